import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Router } from 'express';
import { DOCS_PATH, OPENAPI_PATH, openApiDocument } from '@todo/contracts';
import { AppError } from '@todo/service-kit';
import viewer from './viewer-assets.json' with { type: 'json' };

/**
 * GET /api/openapi.json (the document, generated from the contracts once at start) and /api/docs
 * (Swagger UI rendering it). Nothing is loaded from a CDN: the viewer's files are served by the gateway
 * itself. The bundle (services/gateway/dist/main.js) carries them inside — tools/build/build.mjs defines
 * __API_DOCS_ASSETS__ with their contents — so the image, which holds nothing but main.js, serves the
 * docs too. Run from sources (tsx, unit tests) they are read from node_modules/swagger-ui-dist.
 */
declare const __API_DOCS_ASSETS__: Record<string, string> | undefined;

interface Asset { type: string; body: Buffer }

export function viewerAssets(): Map<string, Asset> {
  const types = viewer.files as Record<string, string>;
  const embedded = typeof __API_DOCS_ASSETS__ === 'undefined' ? undefined : __API_DOCS_ASSETS__;
  const dir = embedded ? '' : path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const assets = new Map<string, Asset>();
  for (const [name, type] of Object.entries(types)) {
    const base64 = embedded?.[name];
    if (embedded && base64 === undefined) throw new Error(`the gateway bundle lacks the API docs asset ${name}; rebuild it`);
    assets.set(name, { type, body: base64 !== undefined ? Buffer.from(base64, 'base64') : readFileSync(path.join(dir, name)) });
  }
  // Our initializer, a file rather than an inline script so the page's CSP can forbid inline scripts.
  assets.set('docs.js', { type: 'text/javascript; charset=utf-8', body: Buffer.from(INITIALIZER) });
  return assets;
}

const INITIALIZER = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '${OPENAPI_PATH}',
    dom_id: '#swagger-ui',
    deepLinking: true,
    tryItOutEnabled: true,
    // The default validator is a badge fetched from an outside server: none here.
    validatorUrl: null,
    displayRequestDuration: true,
  });
});
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Todo platform API</title>
  <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-32x32.png">
  <link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
  <script src="${DOCS_PATH}/docs.js"></script>
</body>
</html>
`;

/** Only this origin: a page that tried to load anything from elsewhere would be refused by the browser. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

export function docsRoutes(): Router {
  const router = Router();
  const assets = viewerAssets();
  const document = JSON.stringify(openApiDocument({ docsAssets: [...assets.keys()] }));

  router.get(OPENAPI_PATH, (_req, res) => {
    res.type('application/json').send(document);
  });
  router.get(DOCS_PATH, (_req, res) => {
    res.set('content-security-policy', CSP).type('text/html; charset=utf-8').send(PAGE);
  });
  router.get(`${DOCS_PATH}/:asset`, (req, res) => {
    const asset = assets.get(req.params.asset);
    if (!asset) throw new AppError('not-found', 404, 'no such file');
    res.set('cache-control', 'public, max-age=3600').type(asset.type).send(asset.body);
  });
  return router;
}
