// The invocation hop's callee: an Express app (express.json, as the services parse) that answers the
// 1 KB JSON body back. Reached directly or through two sidecars by bench/apps/caller.mjs.
import express from 'express';

const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '64kb', strict: true }));
app.get(['/healthz', '/readyz'], (_req, res) => res.json({ status: 'ok' }));
app.post('/echo', (req, res) => res.json(req.body));
app.listen(Number(process.env.APP_PORT), '127.0.0.1');
process.once('SIGTERM', () => process.exit(0)); // exit, not die: a --cpu-prof run writes its profile
