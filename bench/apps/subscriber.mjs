// The bench's subscriber: the app of the `bench-sub` sidecar. An Express app parsing JSON as the
// services do (packages/service-kit), answering daprd explicitly ({status: SUCCESS}). Its subscriptions
// come from BENCH_SUBS (programmatic, read by daprd at start): [{pubsubname, topic, handlerMs, bulk}].
// For each message it records now − data.sentAt (the publisher's clock, the same machine), or for task
// events now − occurredAt (task-service stamps it when the write starts), keyed by topic, or for task
// events by the part of userId before the first '.'. GET /stats?key=…, POST /reset {key, round}.
import express from 'express';
import { Recorder, now } from './http-kit.mjs';

const subs = JSON.parse(process.env.BENCH_SUBS ?? '[]');
const handlerMs = new Map(subs.map((s) => [s.topic, s.handlerMs ?? 0]));
const rec = new Recorder();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function record(topic, data) {
  if (data && typeof data.sentAt === 'number') return rec.record(topic, data.round, now() - data.sentAt);
  if (data && typeof data.occurredAt === 'string' && typeof data.userId === 'string') {
    // A task event: round = the run the user belongs to (userId "<key>.<round>.u<n>").
    const [key, round] = data.userId.split('.');
    rec.record(`task:${key}`, Number(round), now() - Date.parse(data.occurredAt));
  }
}

const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '4mb', type: ['application/json', 'application/*+json'], strict: true }));
app.get(['/healthz', '/readyz'], (_req, res) => res.json({ status: 'ok' }));
app.get('/dapr/subscribe', (_req, res) =>
  res.json(
    subs.map((s) => ({
      pubsubname: s.pubsubname,
      topic: s.topic,
      route: s.bulk ? `/bulk/${s.topic}` : `/deliver/${s.topic}`,
      // Bulk: up to 100 messages per call, waiting at most 20 ms to fill one (Dapr's default wait is 1 s).
      ...(s.bulk ? { bulkSubscribe: { enabled: true, maxMessagesCount: 100, maxAwaitDurationMs: 20 } } : {}),
    })),
  ));
app.post('/deliver/:topic', async (req, res) => {
  record(req.params.topic, req.body?.data);
  const ms = handlerMs.get(req.params.topic);
  if (ms) await sleep(ms);
  res.json({ status: 'SUCCESS' });
});
app.post('/bulk/:topic', async (req, res) => {
  const entries = req.body?.entries ?? [];
  for (const e of entries) record(req.params.topic, typeof e.event === 'object' ? e.event?.data : undefined);
  const ms = handlerMs.get(req.params.topic);
  if (ms) await sleep(ms); // one handler call per batch
  res.json({ statuses: entries.map((e) => ({ entryId: e.entryId, status: 'SUCCESS' })) });
});
app.post('/reset', (req, res) => {
  rec.reset(req.body.key, req.body.round);
  res.json({});
});
app.get('/stats', (req, res) => res.json(rec.stats(req.query.key, req.query.full !== '0')));
app.listen(Number(process.env.APP_PORT), '127.0.0.1');
