// Publish: how many messages/s an app gets onto Kafka through Dapr — one per call (HTTP API and the
// Node's fetch, as packages/dapr's thin HTTP client) and bulk 10/100 — against a direct Node producer (@platformatic/kafka,
// acks=all) and Kafka's own ProducerPerformance (Java client, batching) as the box's ceiling.
import { benchSpec, byId, pidsOf, startAll, stopAll } from '../lib/apps.mjs';
import { createTopics, kafkaTool } from '../lib/infra.mjs';
import { sampleProcesses } from '../lib/procs.mjs';
import { cell, ratio } from '../lib/table.mjs';
import { QUICK, ROUNDS, WINDOW_S, http, log, spread } from '../lib/util.mjs';

const TOPIC = 'bench-publish';
const PARTITIONS = 4;
const CONCURRENCY = 16;

export async function run(ctx) {
  await createTopics(ctx.infra, { [TOPIC]: PARTITIONS });
  const pub = await benchSpec('bench-pub', 'publisher.mjs', [ctx.components.kafka], ctx.components);
  const running = await startAll([pub], ctx.launch);
  try {
    const url = `http://127.0.0.1:${byId(running, 'bench-pub').spec.appPort}/run`;
    const modes = [
      { key: 'daprSingle', label: 'Dapr publish, 1 per call (HTTP API)', mode: 'dapr' },
      { key: 'daprFetch', label: 'Dapr publish, 1 per call (Node fetch, as packages/dapr\'s thin client)', mode: 'dapr-fetch' },
      { key: 'daprBulk10', label: 'Dapr bulk publish, 10 per call', mode: 'dapr-bulk', batch: 10 },
      { key: 'daprBulk100', label: 'Dapr bulk publish, 100 per call', mode: 'dapr-bulk', batch: 100 },
      { key: 'direct', label: 'direct Node producer (@platformatic/kafka, acks=all), 1 per call, concurrent calls batched', mode: 'kafka' },
    ];
    const go = (m, seconds = WINDOW_S) => http('POST', url, { ...m, topic: TOPIC, rate: 0, seconds, concurrency: m.batch ? 4 : CONCURRENCY, bootstrap: ctx.infra.bootstrap });
    const records = QUICK ? 20_000 : 200_000;
    const ceiling = async () => {
      const out = await kafkaTool('org.apache.kafka.tools.ProducerPerformance', ['--topic', TOPIC, '--num-records', String(records), '--record-size', '200', '--throughput', '-1', '--producer-props', `bootstrap.servers=${ctx.infra.bootstrap}`, 'acks=all']);
      const m = /(\d+) records sent, ([\d.]+) records\/sec .*?([\d.]+) ms avg latency, ([\d.]+) ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th/.exec(out);
      if (!m) throw new Error(`ProducerPerformance: unexpected output: ${out.slice(-500)}`);
      return { msgPerSec: Number(m[2]), p50: Number(m[5]), p99: Number(m[7]) };
    };
    log('publish: warm-up');
    for (const m of modes) await go(m, QUICK ? 0.3 : 1);
    const rounds = [];
    for (let r = 0; r < ROUNDS; r++) {
      log(`publish: round ${r + 1}/${ROUNDS}`);
      const round = {};
      for (const m of modes) {
        const sampler = sampleProcesses({ ...pidsOf(running), kafka: ctx.infra.pids().kafka });
        round[m.key] = await go(m);
        round[m.key].resources = sampler.stop();
      }
      round.ceiling = await ceiling();
      rounds.push(round);
    }
    const rate = (k) => spread(rounds.map((x) => x[k].msgPerSec));
    const f = Object.fromEntries(modes.map((m) => [m.key, rate(m.key)]));
    f.ceiling = rate('ceiling');
    f.ratioDaprDirect = spread(rounds.map((x) => ratio(x.daprSingle.msgPerSec, x.direct.msgPerSec)));
    f.ratioFetchHttp = spread(rounds.map((x) => ratio(x.daprFetch.msgPerSec, x.daprSingle.msgPerSec)));
    f.ratioBulk10Single = spread(rounds.map((x) => ratio(x.daprBulk10.msgPerSec, x.daprSingle.msgPerSec)));
    f.ratioBulk100Single = spread(rounds.map((x) => ratio(x.daprBulk100.msgPerSec, x.daprSingle.msgPerSec)));
    f.ratioDirectCeiling = spread(rounds.map((x) => ratio(x.direct.msgPerSec, x.ceiling.msgPerSec)));
    f.ratioBulk100Ceiling = spread(rounds.map((x) => ratio(x.daprBulk100.msgPerSec, x.ceiling.msgPerSec)));
    const callP50 = (k) => spread(rounds.map((x) => x[k].callMs.p50));
    const callP99 = (k) => spread(rounds.map((x) => x[k].callMs.p99));
    const mid = rounds[Math.floor(rounds.length / 2)];
    return {
      id: 'publish',
      title: 'Publish to Kafka (msg/s, ~200 B messages, acks=all)',
      figures: f,
      tables: [
        {
          columns: ['publisher', 'msg/s', 'call p50 (ms)', 'call p99 (ms)'],
          rows: [
            ...modes.map((m) => [m.label, cell(f[m.key]), cell(callP50(m.key)), cell(callP99(m.key))]),
            [`Kafka ProducerPerformance (Java, batching; box ceiling), ${records} records`, cell(f.ceiling), cell(spread(rounds.map((x) => x.ceiling.p50))), cell(spread(rounds.map((x) => x.ceiling.p99)))],
          ],
        },
        {
          title: 'Ratios',
          columns: ['ratio', 'value'],
          rows: [
            ['Dapr single / direct', cell(f.ratioDaprDirect, '×')],
            ['fetch (as the adapter) / node:http', cell(f.ratioFetchHttp, '×')],
            ['bulk 10 / single', cell(f.ratioBulk10Single, '×')],
            ['bulk 100 / single', cell(f.ratioBulk100Single, '×')],
            ['direct Node / ceiling', cell(f.ratioDirectCeiling, '×')],
            ['Dapr bulk 100 / ceiling', cell(f.ratioBulk100Ceiling, '×')],
          ],
        },
      ],
      processes: Object.fromEntries(modes.map((m) => [m.label, mid[m.key].resources])),
      method: `${PARTITIONS}-partition topic. Each publisher runs ${WINDOW_S} s per round as fast as it can: ${CONCURRENCY} calls in flight for one-message modes, 4 for bulk (bench/apps/publisher.mjs, which is also the app of the bench-pub sidecar). ProducerPerformance: ${records} records of 200 B, --throughput -1, acks=all, the client's default batching (batch.size 16 KB, linger.ms 0 in Kafka 3.9: it batches what accumulates while a request is in flight).`,
      raw: { rounds: rounds.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, { ...v, resources: undefined }]))) },
    };
  } finally {
    await stopAll(running);
  }
}
