// The bench's publisher: the app of the `bench-pub` sidecar and the load driver of the publish and
// delivery scenarios in one process. POST /run publishes for a time or a count, at a fixed rate (open
// loop: sends start on schedule whether or not earlier ones answered) or as fast as `concurrency` calls
// in flight allow, in one of these ways:
//   dapr       POST /v1.0/publish/<pubsub>/<topic>, one message per call (the HTTP API, node:http)
//   dapr-fetch the same through Node's fetch, as packages/dapr's thin HTTP client publishes (JSON body,
//              dapr-api-token, keep-alive)
//   dapr-bulk  POST /v1.0/publish/bulk/<pubsub>/<topic>, `batch` messages per call
//   kafka      @platformatic/kafka Producer, acks=all, one message per call, concurrent calls batched (the direct baseline)
//   kafka-batch  the same, `batch` messages per send (fills a topic fast for the delivery bursts)
// Every message carries {sentAt, round, seq}; the Kafka ones are CloudEvents, as daprd would publish.
import { Producer, ProduceAcks, stringSerializers } from '@platformatic/kafka';
import { DAPR, DAPR_TOKEN, controlServer, now, request } from './http-kit.mjs';

const PAD = 'x'.repeat(120); // ~200-byte messages
let producer;
const kafka = (bootstrap) =>
  (producer ??= new Producer({ clientId: 'bench-direct-producer', bootstrapBrokers: [bootstrap], serializers: stringSerializers, acks: ProduceAcks.ALL }));

/**
 * One message per call, but calls that wait while a send is in flight go out together in the next send
 * (at most 2 sends in flight) — what sarama's producer does for daprd's concurrent publish calls, and
 * what any Node service publishing under load would do. Without it the client sent ~250 msg/s here.
 */
const queue = [];
let sending = 0;
function enqueue(bootstrap, message) {
  return new Promise((resolve, reject) => {
    queue.push({ message, resolve, reject });
    pump(bootstrap);
  });
}
function pump(bootstrap) {
  while (sending < 2 && queue.length) {
    const batch = queue.splice(0, 500);
    sending++;
    kafka(bootstrap)
      .send({ messages: batch.map((b) => b.message) })
      .then(() => batch.forEach((b) => b.resolve()), (err) => batch.forEach((b) => b.reject(err)))
      .finally(() => {
        sending--;
        pump(bootstrap);
      });
  }
}

const payload = (round, seq) => ({ sentAt: now(), round, seq, pad: PAD });
const cloudEvent = (topic, data) =>
  JSON.stringify({ specversion: '1.0', id: `${data.round}-${data.seq}`, source: 'bench-direct-producer', type: 'bench.message', topic, datacontenttype: 'application/json', data });

function sender(opts) {
  const { mode, topic, pubsub = 'pubsub', batch = 1, round = 0, bootstrap } = opts;
  let seq = 0;
  const headers = { 'dapr-api-token': DAPR_TOKEN };
  switch (mode) {
    case 'dapr':
      return async () => {
        const r = await request(`${DAPR}/v1.0/publish/${pubsub}/${topic}`, { body: JSON.stringify(payload(round, seq++)), headers });
        if (r.status !== 204) throw new Error(`publish ${r.status} ${r.body}`);
        return 1;
      };
    case 'dapr-fetch':
      return async () => {
        const r = await fetch(`${DAPR}/v1.0/publish/${pubsub}/${topic}`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify(payload(round, seq++)),
        });
        await r.text();
        if (r.status !== 204) throw new Error(`publish ${r.status}`);
        return 1;
      };
    case 'dapr-bulk':
      return async () => {
        const entries = Array.from({ length: batch }, () => ({ entryId: String(seq), event: payload(round, seq++), contentType: 'application/json' }));
        const r = await request(`${DAPR}/v1.0/publish/bulk/${pubsub}/${topic}`, { body: JSON.stringify(entries), headers });
        if (r.status !== 204 && r.status !== 200) throw new Error(`bulk publish ${r.status} ${r.body}`);
        if (r.body && JSON.parse(r.body).failedEntries?.length) throw new Error(`bulk publish failed entries: ${r.body.slice(0, 200)}`);
        return batch;
      };
    case 'kafka':
      return async () => {
        await enqueue(bootstrap, { topic, value: cloudEvent(topic, payload(round, seq++)) });
        return 1;
      };
    case 'kafka-batch':
      return async () => {
        const messages = Array.from({ length: batch }, () => ({ topic, value: cloudEvent(topic, payload(round, seq++)) }));
        await kafka(bootstrap).send({ messages });
        return batch;
      };
    default:
      throw new Error(`unknown mode ${mode}`);
  }
}

/**
 * rate > 0: calls start on a fixed schedule (rate/batch calls per second) for `seconds` or `count`
 * messages, at most `maxInFlight` at once (a schedule that falls behind is reported, not hidden).
 * rate = 0: `concurrency` loops call back to back until `seconds` or `count` is reached.
 */
async function run(opts) {
  const { rate = 0, seconds = 3, count = Infinity, batch = 1, concurrency = 16, maxInFlight = 512 } = opts;
  const send = sender(opts);
  const lat = [];
  let sent = 0;
  let errors = 0;
  let lastError;
  let calls = 0;
  let behind = 0;
  const start = now();
  const deadline = start + seconds * 1000;
  const one = async () => {
    const t = now();
    try {
      const n = await send();
      sent += n;
      lat.push(now() - t);
    } catch (err) {
      errors++;
      lastError = String(err?.message ?? err);
    }
  };
  if (rate > 0) {
    const interval = (1000 * batch) / rate;
    const inFlight = new Set();
    for (let i = 0; ; i++) {
      const at = start + i * interval;
      if (at >= deadline || i * batch >= count) break;
      const wait = at - now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      if (inFlight.size >= maxInFlight) {
        behind++;
        await Promise.race(inFlight);
      }
      calls++;
      const p = one().finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
  } else {
    const loop = async () => {
      while (now() < deadline && calls * batch < count) {
        calls++;
        await one();
      }
    };
    await Promise.all(Array.from({ length: concurrency }, loop));
  }
  const elapsed = (now() - start) / 1000;
  lat.sort((a, b) => a - b);
  const p = (q) => lat[Math.min(lat.length - 1, Math.floor((q / 100) * lat.length))] ?? null;
  return { sent, errors, lastError, calls, behind, seconds: elapsed, msgPerSec: sent / elapsed, callMs: { p50: p(50), p90: p(90), p99: p(99) }, startedAt: start };
}

controlServer({ 'POST /run': (body) => run(body) });
