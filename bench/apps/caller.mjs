// The invocation hop's caller: POST /direct forwards the body straight to the callee (app → app HTTP, the
// baseline); POST /dapr forwards it through its sidecar's invoke API (app → daprd → daprd → app). The
// caller's own cost is the same on both paths, so their difference is what the two sidecars add.
import http from 'node:http';
import { DAPR, DAPR_TOKEN, readBody, request } from './http-kit.mjs';

const ECHO_PORT = process.env.ECHO_PORT;
const ECHO_ID = process.env.ECHO_APP_ID ?? 'bench-echo';
const server = http.createServer(async (req, res) => {
  if (req.url === '/healthz' || req.url === '/readyz') return res.end('{"status":"ok"}');
  const body = (await readBody(req)).toString();
  const target = req.url === '/dapr' ? `${DAPR}/v1.0/invoke/${ECHO_ID}/method/echo` : `http://127.0.0.1:${ECHO_PORT}/echo`;
  try {
    const answer = await request(target, { body, headers: req.url === '/dapr' ? { 'dapr-api-token': DAPR_TOKEN } : {} });
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(answer.body);
  } catch (err) {
    res.writeHead(502);
    res.end(String(err));
  }
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.APP_PORT), '127.0.0.1');
