// Invocation hop: app → daprd → daprd → app with a 1 KB JSON body, against app → app direct HTTP. The
// load generator calls a caller app (bench/apps/caller.mjs) that forwards either way, so the caller's own
// cost is in both paths and their difference is what the two sidecars add.
import { benchSpec, byId, pidsOf, startAll, stopAll, waitInvocable } from '../lib/apps.mjs';
import { fortio, tempFile } from '../lib/fortio.mjs';
import { sampleProcesses } from '../lib/procs.mjs';
import { cell } from '../lib/table.mjs';
import { QUICK, ROUNDS, WINDOW_S, log, spread } from '../lib/util.mjs';

const RATE = 1_000;

export async function run(ctx) {
  const echo = await benchSpec('bench-echo', 'echo.mjs', [], ctx.components);
  const caller = await benchSpec('bench-caller', 'caller.mjs', [], ctx.components, { ECHO_PORT: String(echo.appPort), ECHO_APP_ID: 'bench-echo' });
  const running = await startAll([echo, caller], ctx.launch);
  try {
    await waitInvocable(caller.daprHttpPort, 'bench-echo', ctx.launch);
    const base = `http://127.0.0.1:${byId(running, 'bench-caller').spec.appPort}`;
    const body = JSON.stringify({ id: 'x', items: Array.from({ length: 16 }, (_, i) => ({ n: i, text: 'lorem ipsum dolor sit amet, consectetur' })) }).slice(0, 1000);
    const payloadFile = tempFile(ctx.tmp, 'invoke-1k.json', JSON.stringify({ pad: body.replaceAll('"', "'").slice(0, 1010) }));
    const hit = (p, seconds = WINDOW_S, qps = RATE) => fortio({ url: `${base}/${p}`, method: 'POST', payloadFile, contentType: 'application/json', qps, c: 16, seconds });
    log('invoke: warm-up');
    await hit('dapr', QUICK ? 1 : 2);
    await hit('direct', 1);
    const rounds = [];
    for (let r = 0; r < ROUNDS; r++) {
      log(`invoke: round ${r + 1}/${ROUNDS}`);
      const sampler = sampleProcesses(pidsOf(running));
      const dapr = await hit('dapr');
      const resources = sampler.stop();
      const direct = await hit('direct');
      rounds.push({ dapr, direct, resources });
    }
    const added = (q) => spread(rounds.map((x) => x.dapr.ms[q] - x.direct.ms[q]));
    const f = {
      daprP50: spread(rounds.map((x) => x.dapr.ms.p50)),
      daprP90: spread(rounds.map((x) => x.dapr.ms.p90)),
      daprP99: spread(rounds.map((x) => x.dapr.ms.p99)),
      directP50: spread(rounds.map((x) => x.direct.ms.p50)),
      directP90: spread(rounds.map((x) => x.direct.ms.p90)),
      directP99: spread(rounds.map((x) => x.direct.ms.p99)),
      addedP50: added('p50'),
      addedP90: added('p90'),
      addedP99: added('p99'),
      daprQps: spread(rounds.map((x) => x.dapr.qps)),
      directQps: spread(rounds.map((x) => x.direct.qps)),
      daprErrors: spread(rounds.map((x) => x.dapr.errors)),
    };
    return {
      id: 'invoke',
      title: `Invocation hop at ${RATE} req/s, 1 KB`,
      figures: f,
      tables: [
        {
          columns: ['path', 'achieved req/s', 'p50 (ms)', 'p90 (ms)', 'p99 (ms)'],
          rows: [
            ['caller → daprd → daprd → echo app', cell(f.daprQps), cell(f.daprP50), cell(f.daprP90), cell(f.daprP99)],
            ['caller → echo app, direct HTTP (baseline)', cell(f.directQps), cell(f.directP50), cell(f.directP90), cell(f.directP99)],
            ['added by the two sidecars', '', cell(f.addedP50), cell(f.addedP90), cell(f.addedP99)],
          ],
        },
      ],
      processes: { [`at ${RATE} req/s through Dapr`]: rounds[Math.floor(rounds.length / 2)].resources },
      method: `fortio-load at ${RATE} req/s held (-nocatchup), 16 connections, ${WINDOW_S} s per round, POST of a ~1 KB JSON body echoed back. Both sidecars run the project's configuration (components/config.yaml: tracing sampling 1, sqlite name resolution, API and app tokens).`,
      raw: { rounds: rounds.map(({ resources: _r, ...x }) => x) },
    };
  } finally {
    await stopAll(running);
  }
}
