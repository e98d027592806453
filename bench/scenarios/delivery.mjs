// Delivery: publish → daprd → Express subscriber (bench/apps/subscriber.mjs), end to end with the send
// time in the payload, against a direct Node consumer with the same Kafka client as the direct producer
// (bench/apps/direct-consumer.mjs): at fixed rates (latency) and as bursts (the most a consumer drains per
// second = the highest rate it sustains with flat lag), over 1/4/12 partitions, handlers of 0 and 5 ms,
// bulk subscribe; then the same on Redis Streams with concurrency 10 and 1.
import { benchSpec, byId, pidsOf, startAll, stopAll } from '../lib/apps.mjs';
import { createTopics } from '../lib/infra.mjs';
import { sampleProcesses } from '../lib/procs.mjs';
import { cell, ratio } from '../lib/table.mjs';
import { QUICK, ROUNDS, http, latencySummary, log, sleep, spread } from '../lib/util.mjs';

const RATES = [100, 1000, 2000];
const B = QUICK ? 200 : 1000; // burst size (slow single-partition cells get less)
const rateWindow = (rate) => (QUICK ? (rate <= 100 ? 1 : 0.5) : rate <= 100 ? 3 : 2);

// Each cell: a workload; each variant: who consumes it (own topic per variant, so no backlog is shared).
const CELLS = [
  ...RATES.map((rate) => ({ id: `r${rate}`, label: `${rate} msg/s, 4 partitions, handler 0 ms`, rate, partitions: 4, handlerMs: 0, variants: rate === 1000 ? ['dapr', 'direct', 'bulk'] : ['dapr', 'direct'] })),
  { id: 'burst-p4-h0', label: 'burst, 4 partitions, handler 0 ms', burst: B, partitions: 4, handlerMs: 0, variants: ['dapr', 'direct', 'bulk'] },
  { id: 'burst-p1-h5', label: 'burst, 1 partition, handler 5 ms', burst: Math.round(B * 0.4), partitions: 1, handlerMs: 5, variants: ['dapr', 'direct'] },
  { id: 'burst-p4-h5', label: 'burst, 4 partitions, handler 5 ms', burst: B, partitions: 4, handlerMs: 5, variants: ['dapr', 'direct', 'bulk'] },
  { id: 'burst-p12-h5', label: 'burst, 12 partitions, handler 5 ms', burst: B, partitions: 12, handlerMs: 5, variants: ['dapr', 'direct'] },
  { id: 'rs-r1000-h0', label: 'Redis Streams, 1000 msg/s, handler 0 ms', rate: 1000, handlerMs: 0, variants: ['streams-c10', 'streams-c1'] },
  { id: 'rs-burst-h5', label: 'Redis Streams, burst, handler 5 ms', burst: Math.round(B * 0.4), handlerMs: 5, variants: ['streams-c10', 'streams-c1'] },
];
const VARIANT_LABEL = { dapr: 'Dapr (daprd → Express)', bulk: 'Dapr bulk subscribe (100 / 20 ms)', direct: 'direct Node consumer', 'streams-c10': 'Dapr, Redis Streams concurrency 10', 'streams-c1': 'Dapr, Redis Streams concurrency 1' };
const topicOf = (cellId, variant) => `bench-d-${cellId}-${variant}`;

export async function run(ctx) {
  const kafkaTopics = {};
  const subs = [];
  const direct = {};
  for (const c of CELLS) {
    for (const v of c.variants) {
      const topic = topicOf(c.id, v);
      if (v.startsWith('streams')) subs.push({ pubsubname: v, topic, handlerMs: c.handlerMs });
      else kafkaTopics[topic] = c.partitions;
      if (v === 'dapr' || v === 'bulk') subs.push({ pubsubname: 'pubsub', topic, handlerMs: c.handlerMs, bulk: v === 'bulk' });
      if (v === 'direct') direct[topic] = c.handlerMs;
    }
  }
  await createTopics(ctx.infra, kafkaTopics);
  const resources = [ctx.components.kafka, ctx.components.streams];
  const pubSpec = await benchSpec('bench-pub', 'publisher.mjs', resources, ctx.components);
  const subSpec = await benchSpec('bench-sub', 'subscriber.mjs', resources, ctx.components, { BENCH_SUBS: JSON.stringify(subs) });
  const directSpec = await benchSpec('bench-direct-consumer', 'direct-consumer.mjs', [], ctx.components);
  const running = [...(await startAll([pubSpec, subSpec], ctx.launch)), ...(await startAll([directSpec], ctx.launch, { withDaprd: false }))];
  try {
    const pubUrl = `http://127.0.0.1:${byId(running, 'bench-pub').spec.appPort}/run`;
    const subUrl = `http://127.0.0.1:${subSpec.appPort}`;
    const directUrl = `http://127.0.0.1:${directSpec.appPort}`;
    await http('POST', `${directUrl}/consume`, { bootstrap: ctx.infra.bootstrap, topics: direct });

    /** One measured run of a cell with one variant. */
    const once = async (c, v, round, { rate = c.rate, burst = c.burst } = {}) => {
      const topic = topicOf(c.id, v);
      const consumer = v === 'direct' ? directUrl : subUrl;
      await http('POST', `${consumer}/reset`, { key: topic, round });
      const pubsub = v.startsWith('streams') ? v : 'pubsub';
      const publish = burst
        ? { mode: v.startsWith('streams') ? 'dapr-bulk' : 'kafka-batch', batch: 100, concurrency: 4, rate: 0, count: burst, seconds: 30 }
        : { mode: v === 'direct' ? 'kafka' : 'dapr', rate, seconds: rateWindow(rate) };
      const sent = await http('POST', pubUrl, { ...publish, topic, pubsub, round, bootstrap: ctx.infra.bootstrap });
      const deadline = Date.now() + (burst ? 30_000 : 10_000);
      let stats;
      for (;;) {
        stats = await http('GET', `${consumer}/stats?key=${topic}&full=0`);
        if (stats.count >= sent.sent || Date.now() > deadline) break;
        await sleep(50);
      }
      stats = await http('GET', `${consumer}/stats?key=${topic}`);
      const publishEnd = sent.startedAt + sent.seconds * 1000;
      return {
        sent: sent.sent,
        publishErrors: sent.errors,
        publishMsgPerSec: sent.msgPerSec,
        delivered: stats.count,
        lost: sent.sent - stats.count,
        // A burst: from its first send to its last arrival (a consumer faster than the writes then shows the
        // write rate, not a fetch batch's instant); a fixed rate: first to last arrival.
        deliveredMsgPerSec: stats.count > 1 ? (burst ? stats.count / ((stats.last - sent.startedAt) / 1000) : (stats.count - 1) / ((stats.last - stats.first) / 1000)) : null,
        drainAfterPublishMs: stats.last ? stats.last - publishEnd : null,
        e2eMs: latencySummary(stats.latencies),
      };
    };

    log('delivery: warm-up (every consumer joined and warm)');
    // A short burst on every topic (each consumer has joined its group and got its partitions), then the
    // Dapr publish path at a rate (the bursts are written by the direct producer).
    for (const c of CELLS) for (const v of c.variants) await once(c, v, -1, { burst: QUICK ? 20 : 50 });
    await once(CELLS[1], 'dapr', -1, { rate: 500, burst: undefined });
    const rounds = [];
    let resources;
    for (let r = 0; r < ROUNDS; r++) {
      log(`delivery: round ${r + 1}/${ROUNDS}`);
      const round = {};
      for (const c of CELLS) {
        for (const v of c.variants) {
          const sampler = c.id === 'r1000' && v === 'dapr' && r === Math.floor(ROUNDS / 2) ? sampleProcesses({ ...pidsOf(running), kafka: ctx.infra.pids().kafka }) : undefined;
          round[`${c.id}/${v}`] = await once(c, v, r);
          if (sampler) resources = sampler.stop();
        }
      }
      rounds.push(round);
    }
    const fig = (key, pick) => spread(rounds.map((x) => pick(x[key])));
    const f = {};
    const rows = [];
    for (const c of CELLS) {
      for (const v of c.variants) {
        const key = `${c.id}/${v}`;
        const e = {
          p50: fig(key, (x) => x.e2eMs.p50),
          p99: fig(key, (x) => x.e2eMs.p99),
          delivered: fig(key, (x) => x.deliveredMsgPerSec),
          published: fig(key, (x) => x.publishMsgPerSec),
          drainMs: fig(key, (x) => x.drainAfterPublishMs),
          lost: fig(key, (x) => x.lost),
        };
        f[key] = e;
        rows.push([c.label, VARIANT_LABEL[v], cell(e.published), cell(e.delivered), cell(e.p50), cell(e.p99), cell(e.drainMs), cell(e.lost)]);
      }
    }
    const r = (a, b, pick) => spread(rounds.map((x) => ratio(pick(x[a]), pick(x[b]))));
    f.ratioP99At1000 = r('r1000/dapr', 'r1000/direct', (x) => x.e2eMs.p99);
    f.ratioP50At1000 = r('r1000/dapr', 'r1000/direct', (x) => x.e2eMs.p50);
    f.ratioMaxP4H0 = r('burst-p4-h0/dapr', 'burst-p4-h0/direct', (x) => x.deliveredMsgPerSec);
    f.ratioMaxP4H5 = r('burst-p4-h5/dapr', 'burst-p4-h5/direct', (x) => x.deliveredMsgPerSec);
    f.ratioBulkMaxP4H5 = r('burst-p4-h5/bulk', 'burst-p4-h5/dapr', (x) => x.deliveredMsgPerSec);
    f.ratioStreamsC1C10 = r('rs-burst-h5/streams-c1', 'rs-burst-h5/streams-c10', (x) => x.deliveredMsgPerSec);
    return {
      id: 'delivery',
      title: 'Delivery: publish → subscriber, end to end',
      figures: f,
      cells: CELLS.map(({ variants, ...c }) => ({ ...c, variants })),
      tables: [
        {
          columns: ['workload', 'consumer', 'published msg/s', 'delivered msg/s', 'e2e p50 (ms)', 'e2e p99 (ms)', 'last delivery after last publish (ms)', 'not delivered'],
          rows,
        },
        {
          title: 'Ratios',
          columns: ['ratio', 'value'],
          rows: [
            ['e2e p99 at 1000 msg/s, Dapr / direct', cell(f.ratioP99At1000, '×')],
            ['e2e p50 at 1000 msg/s, Dapr / direct', cell(f.ratioP50At1000, '×')],
            ['max delivered, 4 partitions, 0 ms, Dapr / direct', cell(f.ratioMaxP4H0, '×')],
            ['max delivered, 4 partitions, 5 ms, Dapr / direct', cell(f.ratioMaxP4H5, '×')],
            ['max delivered, 4 partitions, 5 ms, bulk / single subscribe', cell(f.ratioBulkMaxP4H5, '×')],
            ['Redis Streams max delivered, 5 ms, concurrency 1 / 10', cell(f.ratioStreamsC1C10, '×')],
          ],
        },
      ],
      processes: resources ? { 'at 1000 msg/s through Dapr': resources } : {},
      method: `Fixed rates: the Dapr variants publish through the bench-pub sidecar one message per call, the direct variant with the direct producer (acks=all), open loop for ${QUICK ? 1 : '2-3'} s; e2e = arrival in the handler − sentAt in the payload (one clock). Bursts: ${B} messages (${Math.round(B * 0.4)} for 1 partition and Redis Streams at 5 ms) written as fast as possible (direct producer, 100 per send; Redis Streams: Dapr bulk publish) — the consumer's drain rate (first to last arrival) is the highest rate it sustains with flat lag. Every variant has its own topic; the direct consumer handles partitions in parallel and each partition in order, as daprd's Kafka subscriber does. Bulk subscribe: maxMessagesCount 100, maxAwaitDurationMs 20, one handler call (and one handler delay) per batch.`,
      raw: { rounds },
    };
  } finally {
    await stopAll(running);
  }
}
