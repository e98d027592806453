// API write: POST /api/tasks through gateway → daprd → daprd → task-service → state transaction with the
// outbox (Redis + Kafka), against bare Express with the same JSON parsing and an in-memory map. Also
// the page read (GET /api/tasks?limit=100) for a user with 100 tasks and one with thousands.
import { signDevToken } from '../../tools/launcher/token.ts';
import { benchSpec, byId, pidsOf, platformSpecs, startAll, stopAll, waitInvocable } from '../lib/apps.mjs';
import { fortio, tempFile } from '../lib/fortio.mjs';
import { sampleProcesses } from '../lib/procs.mjs';
import { cell, ratio } from '../lib/table.mjs';
import { QUICK, ROUNDS, WINDOW_S, http, log, spread } from '../lib/util.mjs';

const USERS = 16;
export const BODY = '{"title":"Pay rent","priority":"high","tags":["bills"],"dueAt":"2030-05-01T09:00:00Z"}';

export async function userTokens(ctx, prefix, n = USERS) {
  const tokens = [];
  for (let i = 0; i < n; i++) tokens.push(await signDevToken(ctx.launch.secrets.jwtSigningKey, `${prefix}${i}`));
  return tokens;
}

/** Stores `count` tasks for `userId` straight through task-service's sidecar (bulk state save), in the shape task-service writes. */
async function seedTasks(ctx, taskSidecar, userId, count) {
  const now = new Date().toISOString();
  const ids = Array.from({ length: count }, (_, i) => `${userId}-t${String(i).padStart(6, '0')}`);
  const url = `http://127.0.0.1:${taskSidecar}/v1.0/state/statestore`;
  const headers = { 'dapr-api-token': ctx.launch.daprApiToken };
  for (let i = 0; i < ids.length; i += 200) {
    const items = ids.slice(i, i + 200).map((id) => ({
      key: `task:${id}`,
      value: { id, userId, title: `Task ${id}`, description: null, priority: 'medium', tags: ['seed'], dueAt: null, remindAt: null, recurrence: null, status: 'open', createdAt: now, updatedAt: now, completedAt: null, seriesId: null, version: 1 },
    }));
    await http('POST', url, items, headers);
  }
  const pages = [];
  for (let i = 0; i < ids.length; i += 100) pages.push({ key: `user:${userId}:tasks:p:${pages.length}`, value: ids.slice(i, i + 100) });
  for (let i = 0; i < pages.length; i += 50) await http('POST', url, pages.slice(i, i + 50), headers);
  await http('POST', url, [{ key: `user:${userId}:tasks:head`, value: { first: 0, last: pages.length - 1 } }], headers);
}

export async function run(ctx) {
  const specs = (await platformSpecs(ctx.infra, ctx.components)).filter((s) => s.appId === 'gateway' || s.appId === 'task-service');
  const bare = await benchSpec('bench-bare-express', 'bare-express.mjs', [], ctx.components);
  const running = await startAll(specs, ctx.launch);
  const bareRunning = await startAll([bare], ctx.launch, { withDaprd: false });
  const all = [...running, ...bareRunning];
  try {
    await waitInvocable(byId(running, 'gateway').spec.daprHttpPort, 'task-service', ctx.launch);
    const gateway = `http://127.0.0.1:${byId(running, 'gateway').spec.appPort}`;
    const bareUrl = `http://127.0.0.1:${bare.appPort}`;
    const tokensFile = tempFile(ctx.tmp, 'tokens', (await userTokens(ctx, 'writer')).join('\n'));
    const payloadFile = tempFile(ctx.tmp, 'task.json', BODY);
    const post = (base, qps, seconds = WINDOW_S) => fortio({ url: `${base}/api/tasks`, method: 'POST', payloadFile, contentType: 'application/json', tokensFile, qps, c: USERS, seconds });
    log('api-write: warm-up');
    await post(gateway, 100, QUICK ? 1 : 2);
    await post(bareUrl, 100, QUICK ? 1 : 2);
    const rounds = [];
    for (let r = 0; r < ROUNDS; r++) {
      log(`api-write: round ${r + 1}/${ROUNDS}`);
      const sampler = sampleProcesses({ ...pidsOf(running), ...ctx.infra.pids() });
      const platformMax = await post(gateway, 0);
      const resources = sampler.stop();
      const bareMax = await post(bareUrl, 0);
      const p200 = await post(gateway, 200);
      const b200 = await post(bareUrl, 200);
      const p100 = await post(gateway, 100);
      rounds.push({ platformMax, bareMax, p200, b200, p100, resources });
    }
    // The page read: a user with 100 tasks and one with thousands; the page must cost the same.
    const taskSidecar = byId(running, 'task-service').spec.daprHttpPort;
    const bigCount = QUICK ? 1_000 : 5_000;
    await seedTasks(ctx, taskSidecar, 'pager-small', 100);
    await seedTasks(ctx, taskSidecar, 'pager-big', bigCount);
    const small = await signDevToken(ctx.launch.secrets.jwtSigningKey, 'pager-small');
    const big = await signDevToken(ctx.launch.secrets.jwtSigningKey, 'pager-big');
    const page = (token, seconds = WINDOW_S) => fortio({ url: `${gateway}/api/tasks?limit=100`, headers: [`Authorization: Bearer ${token}`], qps: 0, c: 8, seconds });
    await page(small, 1);
    const pages = [];
    for (let r = 0; r < ROUNDS; r++) pages.push({ small: await page(small), big: await page(big) });

    const f = {
      platformMaxRps: spread(rounds.map((x) => x.platformMax.qps)),
      bareMaxRps: spread(rounds.map((x) => x.bareMax.qps)),
      ratioMax: spread(rounds.map((x) => ratio(x.platformMax.qps, x.bareMax.qps))),
      platformP50At200: spread(rounds.map((x) => x.p200.ms.p50)),
      platformP99At200: spread(rounds.map((x) => x.p200.ms.p99)),
      bareP50At200: spread(rounds.map((x) => x.b200.ms.p50)),
      bareP99At200: spread(rounds.map((x) => x.b200.ms.p99)),
      platformP50At100: spread(rounds.map((x) => x.p100.ms.p50)),
      platformP99At100: spread(rounds.map((x) => x.p100.ms.p99)),
      platformErrorsMax: spread(rounds.map((x) => x.platformMax.errors)),
      platformMaxP99: spread(rounds.map((x) => x.platformMax.ms.p99)),
      pageSmallRps: spread(pages.map((x) => x.small.qps)),
      pageBigRps: spread(pages.map((x) => x.big.qps)),
      pageSmallP99: spread(pages.map((x) => x.small.ms.p99)),
      pageBigP99: spread(pages.map((x) => x.big.ms.p99)),
      pageBigTasks: bigCount,
    };
    const res = rounds.map((x) => x.resources);
    return {
      id: 'api-write',
      title: 'API write: POST /api/tasks',
      figures: f,
      tables: [
        {
          columns: ['path', 'max req/s', 'p50 @ 200 req/s (ms)', 'p99 @ 200 req/s (ms)', 'p99 @ 100 req/s (ms)'],
          rows: [
            ['gateway → daprd → daprd → task-service → Redis + outbox', cell(f.platformMaxRps), cell(f.platformP50At200), cell(f.platformP99At200), cell(f.platformP99At100)],
            ['bare Express + in-memory map (baseline)', cell(f.bareMaxRps), cell(f.bareP50At200), cell(f.bareP99At200), '—'],
            ['ratio platform / bare', cell(f.ratioMax, '×'), '', '', ''],
          ],
        },
        {
          title: 'A page of 100 tasks (GET /api/tasks?limit=100, 8 connections)',
          columns: ['user has', 'req/s', 'p99 (ms)'],
          rows: [
            ['100 tasks', cell(f.pageSmallRps), cell(f.pageSmallP99)],
            [`${bigCount} tasks`, cell(f.pageBigRps), cell(f.pageBigP99)],
          ],
        },
      ],
      processes: { 'at max write rate': res[Math.floor(res.length / 2)] },
      method: `fortio-load, ${USERS} users (one JWT and one connection each), body ${BODY.length} B. Max = closed loop with ${USERS} connections for ${WINDOW_S} s; fixed rates held with -nocatchup. Rounds interleave platform and baseline. Pages: users seeded through task-service's sidecar (bulk state save, the stored shape), 8 connections.`,
      raw: { rounds: rounds.map(({ resources: _r, ...x }) => x), pages },
    };
  } finally {
    await stopAll(all);
  }
}
