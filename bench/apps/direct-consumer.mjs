// The delivery baseline: a direct Node Kafka consumer with the same client as the direct producer
// (@platformatic/kafka), no sidecar. Like daprd's Kafka subscriber it handles one message at a time per
// partition (in order) and partitions in parallel, with the same handler delay. Control API as the
// subscriber's: POST /consume {bootstrap, topics: {topic: handlerMs}}, POST /reset, GET /stats.
import { Consumer, stringDeserializers } from '@platformatic/kafka';
import { Recorder, controlServer, now } from './http-kit.mjs';

const rec = new Recorder();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let consumer;

async function consume({ bootstrap, topics }) {
  consumer = new Consumer({ groupId: 'bench-direct-consumer', clientId: 'bench-direct-consumer', bootstrapBrokers: [bootstrap], deserializers: stringDeserializers, maxWaitTime: 100 });
  const stream = await consumer.consume({ topics: Object.keys(topics), mode: 'earliest', autocommit: 500, sessionTimeout: 10_000, heartbeatInterval: 500 });
  const chains = new Map();
  stream.on('data', (message) => {
    const key = `${message.topic}/${message.partition}`;
    const handle = async () => {
      const data = JSON.parse(message.value).data;
      rec.record(message.topic, data.round, now() - data.sentAt);
      const ms = topics[message.topic];
      if (ms) await sleep(ms);
    };
    chains.set(key, (chains.get(key) ?? Promise.resolve()).then(handle, handle));
  });
  stream.on('error', (err) => process.stderr.write(`consumer error: ${err}\n`));
  return {};
}

controlServer({
  'POST /consume': consume,
  'POST /reset': ({ key, round }) => rec.reset(key, round),
  'GET /stats': (_b, url) => rec.stats(url.searchParams.get('key'), url.searchParams.get('full') !== '0'),
});
