// The whole platform (every service of dapr.yaml with its daprd) plus a measuring consumer (bench-sub on
// task-events) and three more task-service instances whose outbox staging topics have 3, 8 and 16 partitions
// (task-service's own has 32, tools/kafka/topics.txt). One boot, interleaved rounds of:
//   domain event  POST /api/tasks at 100/s through the gateway → outbox → task-events → consumer
//   footprint     400 page reads/s + 100 writes/s through the gateway (500 req/s) — RSS and CPU of every process
//   outbox sweep  task writes as fast as each task-service instance takes them: writes/s against
//                 task events/s delivered, and the lag left when the writes stop
import { signDevToken } from '../../tools/launcher/token.ts';
import { OUTBOX_VARIANTS, assignPorts, waitInvocable, benchSpec, byId, pidsOf, platformSpecs, startAll, stopAll } from '../lib/apps.mjs';
import { fortio, tempFile } from '../lib/fortio.mjs';
import { createTopics } from '../lib/infra.mjs';
import { footprint, sampleProcesses } from '../lib/procs.mjs';
import { cell } from '../lib/table.mjs';
import { QUICK, ROUNDS, WINDOW_S, http, latencySummary, log, sleep, spread } from '../lib/util.mjs';
import { BODY } from './api-write.mjs';

const USERS = 16;
const stagingTopic = (appId) => `default${appId}task-eventsoutbox`;

export async function run(ctx) {
  await createTopics(ctx.infra, Object.fromEntries(Object.entries(OUTBOX_VARIANTS).map(([id, n]) => [stagingTopic(id), n])));
  const specs = await platformSpecs(ctx.infra, ctx.components);
  const task = specs.find((s) => s.appId === 'task-service');
  for (const appId of Object.keys(OUTBOX_VARIANTS)) specs.push(await assignPorts({ ...task, appId, env: { ...task.env } }));
  specs.push(await benchSpec('bench-sub', 'subscriber.mjs', [ctx.components.kafka], ctx.components, { BENCH_SUBS: JSON.stringify([{ pubsubname: 'pubsub', topic: 'task-events' }]) }));
  const running = await startAll(specs, ctx.launch);
  try {
    const gatewaySidecar = byId(running, 'gateway').spec.daprHttpPort;
    for (const appId of ['task-service', 'notification-service', 'chat-service', 'dead-letter-service']) await waitInvocable(gatewaySidecar, appId, ctx.launch);
    const gateway = `http://127.0.0.1:${byId(running, 'gateway').spec.appPort}`;
    const sub = `http://127.0.0.1:${byId(running, 'bench-sub').spec.appPort}`;
    const payloadFile = tempFile(ctx.tmp, 'task.json', BODY);
    const tokens = async (prefix) => {
      const list = [];
      for (let i = 0; i < USERS; i++) list.push(await signDevToken(ctx.launch.secrets.jwtSigningKey, `${prefix}.u${i}`));
      return tempFile(ctx.tmp, `tokens-${prefix}`, list.join('\n'));
    };
    const pids = () => ({ ...pidsOf(running.filter((r) => !r.spec.appId.startsWith('bench-'))), ...ctx.infra.pids() });

    log('platform: idle footprint');
    // Idle = after the start-up work (JIT, consumer-group joins, the first cron ticks) has settled.
    await sleep(QUICK ? 500 : 5_000);
    const idle = await footprint(pids(), QUICK ? 1_500 : 3_000);

    /** Waits until the consumer has `want` events under `key` (or `ms` passed); returns its stats. */
    const delivered = async (key, want, ms) => {
      const deadline = Date.now() + ms;
      for (;;) {
        const s = await http('GET', `${sub}/stats?key=${key}&full=0`);
        if (s.count >= want || Date.now() > deadline) return http('GET', `${sub}/stats?key=${key}`);
        await sleep(50);
      }
    };

    const variants = [...Object.entries(OUTBOX_VARIANTS).map(([appId, partitions]) => ({ appId, partitions })), { appId: 'task-service', partitions: 32 }];
    log('platform: warm-up');
    await fortio({ url: `${gateway}/api/tasks`, method: 'POST', payloadFile, contentType: 'application/json', tokensFile: await tokens('warm.0'), qps: 50, c: USERS, seconds: 1 });
    const rounds = [];
    for (let r = 0; r < ROUNDS; r++) {
      log(`platform: round ${r + 1}/${ROUNDS}`);
      const round = {};
      // Domain event latency at 100 task writes/s through the gateway.
      await http('POST', `${sub}/reset`, { key: 'task:dl', round: r });
      const api = await fortio({ url: `${gateway}/api/tasks`, method: 'POST', payloadFile, contentType: 'application/json', tokensFile: await tokens(`dl.${r}`), qps: 100, c: USERS, seconds: WINDOW_S });
      const events = await delivered('task:dl', api.codes['201'] ?? 0, 15_000);
      round.domain = { api, created: api.codes['201'] ?? 0, delivered: events.count, e2eMs: latencySummary(events.latencies) };

      // Footprint at 500 req/s: 400 page reads + 100 writes.
      const readers = await tokens(`fp.${r}`);
      const sampler = sampleProcesses(pids());
      const [reads, writes] = await Promise.all([
        fortio({ url: `${gateway}/api/tasks?limit=20`, tokensFile: readers, qps: 400, c: USERS, seconds: WINDOW_S + 1 }),
        fortio({ url: `${gateway}/api/tasks`, method: 'POST', payloadFile, contentType: 'application/json', tokensFile: readers, qps: 100, c: USERS, seconds: WINDOW_S + 1 }),
      ]);
      round.footprint = { reads, writes, processes: sampler.stop() };

      // Outbox throughput per staging-topic partition count.
      for (const v of variants) {
        const key = `ob${v.partitions}`;
        await http('POST', `${sub}/reset`, { key: `task:${key}`, round: r });
        const sidecar = byId(running, v.appId).spec.daprHttpPort;
        const users = tempFile(ctx.tmp, `users-${key}-${r}`, Array.from({ length: USERS }, (_, i) => `${key}.${r}.u${i}`).join('\n'));
        const writes = await fortio({
          url: `http://127.0.0.1:${sidecar}/v1.0/invoke/${v.appId}/method/tasks`,
          method: 'POST',
          payloadFile,
          contentType: 'application/json',
          headers: [`dapr-api-token: ${ctx.launch.daprApiToken}`],
          tokensFile: users,
          tokenHeader: 'x-user-id: ',
          qps: 0,
          c: USERS,
          seconds: WINDOW_S,
        });
        const writesEnd = performance.timeOrigin + performance.now();
        const created = writes.codes['201'] ?? 0;
        const atEnd = await http('GET', `${sub}/stats?key=task:${key}&full=0`);
        const ev = await delivered(`task:${key}`, created, 20_000);
        round[key] = {
          partitions: v.partitions,
          writesPerSec: created / writes.durationSec,
          writeErrors: writes.errors,
          created,
          delivered: ev.count,
          // fortio does not count the request each connection still has in flight when its time is up
          // (the server completes it), so up to one event per connection more than "created" arrives.
          lagAtWritesEnd: Math.max(0, created - atEnd.count),
          eventsPerSec: ev.count > 1 ? (ev.count - 1) / ((ev.last - ev.first) / 1000) : null,
          drainMs: ev.last ? Math.max(0, ev.last - writesEnd) : null,
          e2eMs: latencySummary(ev.latencies),
        };
      }
      rounds.push(round);
    }
    const pick = (fn) => spread(rounds.map(fn));
    const f = {
      domainP50At100: pick((x) => x.domain.e2eMs.p50),
      domainP99At100: pick((x) => x.domain.e2eMs.p99),
      domainApiP99At100: pick((x) => x.domain.api.ms.p99),
      domainApiP50At100: pick((x) => x.domain.api.ms.p50),
      domainLost: pick((x) => Math.max(0, x.domain.created - x.domain.delivered)),
      footprintReadsQps: pick((x) => x.footprint.reads.qps),
      footprintWritesQps: pick((x) => x.footprint.writes.qps),
      footprintReadP99: pick((x) => x.footprint.reads.ms.p99),
      footprintErrors: pick((x) => x.footprint.reads.errors + x.footprint.writes.errors),
      outbox: {},
    };
    for (const v of variants) {
      const k = `ob${v.partitions}`;
      f.outbox[v.partitions] = {
        writesPerSec: pick((x) => x[k].writesPerSec),
        eventsPerSec: pick((x) => x[k].eventsPerSec),
        lagAtWritesEnd: pick((x) => x[k].lagAtWritesEnd),
        drainMs: pick((x) => x[k].drainMs),
        p50: pick((x) => x[k].e2eMs.p50),
        p99: pick((x) => x[k].e2eMs.p99),
        lost: pick((x) => Math.max(0, x[k].created - x[k].delivered)),
      };
    }
    // What one staging partition forwards per second, where the forwarder fell behind (a round in which
    // more than 10 % of the events were still on the way when the writes stopped): it handles one message
    // at a time per partition (marker check, publish, marker delete).
    const saturated = variants.flatMap((v) => rounds.map((x) => x[`ob${v.partitions}`]).filter((o) => o.lagAtWritesEnd > 0.1 * o.created && o.eventsPerSec).map((o) => o.eventsPerSec / v.partitions));
    f.outboxEventsPerSecPerPartition = saturated.length ? spread(saturated) : null;
    // Kept up = in every round at most 2 % of the events still on the way when the writes stopped and the
    // last within 500 ms. Recommended = the smallest count that kept up and whose forwarding capacity
    // (partitions × the per-partition rate above) covers the target of 500 task events/s per task-service.
    const keptUp = (p) => rounds.every((x) => x[`ob${p}`].lagAtWritesEnd <= 0.02 * x[`ob${p}`].created && (x[`ob${p}`].drainMs ?? Infinity) <= 500);
    const perPartition = f.outboxEventsPerSecPerPartition?.median;
    const kept = variants.filter((v) => keptUp(v.partitions)).map((v) => v.partitions).sort((a, b) => a - b);
    f.outboxKeptUp = kept;
    f.outboxRecommendedPartitions = kept.find((p) => !perPartition || p * perPartition >= 500) ?? Math.max(...variants.map((v) => v.partitions));
    f.outboxMaxSustained = spread(rounds.map((x) => Math.max(...variants.map((v) => Math.min(x[`ob${v.partitions}`].writesPerSec, x[`ob${v.partitions}`].eventsPerSec ?? 0)))));
    const mid = rounds[Math.floor(rounds.length / 2)];
    const procNames = Object.keys(idle);
    return {
      id: 'platform',
      title: 'Whole platform: domain events, outbox, footprint',
      figures: f,
      tables: [
        {
          title: 'Domain event: task change → consumer, at 100 task writes/s through the gateway',
          columns: ['figure', 'value'],
          rows: [
            ['event p50 (occurredAt → consumer handler), ms', cell(f.domainP50At100)],
            ['event p99, ms', cell(f.domainP99At100)],
            ['API p50 / p99 (POST /api/tasks), ms', `${cell(f.domainApiP50At100)} / ${cell(f.domainApiP99At100)}`],
            ['events not delivered within 15 s', cell(f.domainLost)],
          ],
        },
        {
          title: 'Outbox: task writes as fast as task-service takes them, per staging-topic partition count',
          note: `Kept up in every round (≤ 2 % of the events still on the way when the writes stopped, the last within 500 ms): ${f.outboxKeptUp.length ? `${f.outboxKeptUp.join(', ')} partitions` : 'none'}.${f.outboxEventsPerSecPerPartition ? ` Where it fell behind, one staging partition forwarded ${cell(f.outboxEventsPerSecPerPartition)} events/s.` : ''} Recommended staging partitions: **${f.outboxRecommendedPartitions}** (the smallest that kept up${f.outboxEventsPerSecPerPartition ? ' and forwards ≥ 500 events/s at that rate' : ''}).`,
          columns: ['staging partitions', 'writes/s', 'task events/s delivered', 'lag when writes stop', 'last event after writes stop (ms)', 'event p50 (ms)', 'event p99 (ms)', 'not delivered'],
          rows: variants.map((v) => {
            const o = f.outbox[v.partitions];
            return [String(v.partitions), cell(o.writesPerSec), cell(o.eventsPerSec), cell(o.lagAtWritesEnd), cell(o.drainMs), cell(o.p50), cell(o.p99), cell(o.lost)];
          }),
        },
        {
          title: `Footprint: idle, and at 500 req/s (400 page reads + 100 writes through the gateway; achieved ${cell(f.footprintReadsQps)} + ${cell(f.footprintWritesQps)} req/s, ${cell(f.footprintErrors)} errors)`,
          columns: ['process', 'RSS idle (MB)', 'of it anonymous', 'CPU idle (%)', 'RSS at 500 req/s (MB, max)', 'of it anonymous', 'CPU at 500 req/s (% of a core)'],
          rows: procNames.map((n) => {
            const at = mid.footprint.processes[n];
            return [n, String(idle[n].rssMb), String(idle[n].anonMb), String(idle[n].cpuPct), String(at?.rssMb ?? '—'), String(at?.anonMb ?? '—'), String(at?.cpuPct ?? '—')];
          }),
        },
      ],
      processes: { idle, 'at 500 req/s': mid.footprint.processes },
      method: `Every service of dapr.yaml with its daprd, plus bench-sub (bench/apps/subscriber.mjs, its own daprd and consumer group on task-events) and task-service again as bench-outbox-p3, -p8 and -p16 (own outbox staging topics with 3, 8 and 16 partitions; task-service's own has 32). Event latency = arrival at bench-sub − the event's occurredAt (task-service stamps it as the write starts). Outbox: ${USERS} users (x-user-id) write through each instance's own sidecar as fast as it answers for ${WINDOW_S} s; "kept up" = in every round at most 2 % of the events still on the way when the writes stop and the last within 500 ms. Footprint: ${QUICK ? 1.5 : 3} s idle from ${QUICK ? 0.5 : 5} s after start-up, then ${WINDOW_S + 1} s at 500 req/s, /proc sampled every 250 ms; "anonymous" is RssAnon (heap, stacks), the rest of RSS is file-backed (the executable's pages, shared and reclaimable).`,
      raw: { idle, rounds: rounds.map((x) => ({ ...x, footprint: { ...x.footprint, processes: undefined } })) },
    };
  } finally {
    await stopAll(running);
  }
}
