// The API-write baseline: bare Express with the services' JSON parsing (express.json, 64 KB, strict,
// the same types as packages/service-kit/src/http.ts) and an in-memory map — no JWT, no sidecar, no
// Redis, no Kafka. What the same machine does for POST /api/tasks when nothing else is in the way.
import { randomUUID } from 'node:crypto';
import express from 'express';

const app = express();
app.disable('x-powered-by');
app.set('query parser', 'simple');
app.use(express.json({ limit: '64kb', type: ['application/json', 'application/*+json'], strict: true }));
const tasks = new Map();
const byUser = new Map();

app.get(['/healthz', '/readyz'], (_req, res) => res.json({ status: 'ok' }));
app.post('/api/tasks', (req, res) => {
  const body = req.body ?? {};
  if (typeof body.title !== 'string' || body.title.length === 0) return res.status(400).json({ title: 'invalid' });
  const now = new Date().toISOString();
  // The token's tail as the user key: verifying the JWT is part of what the baseline leaves out.
  const userId = req.get('authorization')?.slice(-12) ?? 'anonymous';
  const task = { id: randomUUID(), userId, title: body.title, description: body.description ?? null, priority: body.priority ?? 'medium', tags: body.tags ?? [], dueAt: body.dueAt ?? null, remindAt: null, recurrence: null, status: 'open', createdAt: now, updatedAt: now, completedAt: null, seriesId: null, version: 1 };
  tasks.set(task.id, task);
  if (!byUser.has(userId)) byUser.set(userId, []);
  byUser.get(userId).push(task.id);
  res.status(201).location(`/api/tasks/${task.id}`).json(task);
});
app.get('/api/tasks', (req, res) => {
  const ids = byUser.get(req.get('authorization')?.slice(-12) ?? 'anonymous') ?? [];
  const limit = Math.min(Number(req.query.limit ?? 100), 200);
  res.json({ items: ids.slice(0, limit).map((id) => tasks.get(id)), next: null });
});
app.listen(Number(process.env.APP_PORT), '127.0.0.1');
process.once('SIGTERM', () => process.exit(0)); // exit, not die: a --cpu-prof run writes its profile
