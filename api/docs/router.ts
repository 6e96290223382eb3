import path from 'node:path';
import express, { Router } from 'express';
import { buildOpenApiDocument } from '../openapi';

/** Swagger UI's files, served from the installed package: the reference works offline, with no CDN. */
const swaggerUiDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const ASSETS = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png', 'favicon-16x16.png']);

/** The page: no inline script (the CSP allows same-origin scripts only), so the initializer is a file too. */
const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Service back office API reference</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
<link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
<link rel="icon" type="image/png" href="/docs/favicon-16x16.png" sizes="16x16">
<style>body{margin:0}</style>
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/swagger-initializer.js"></script>
</body>
</html>
`;

const initializer = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
};
`;

/**
 * The API reference, public like /health: GET /openapi.json (built once, from the zod schemas the
 * routers validate with) and GET /docs (Swagger UI).
 */
export function docsRouter(): Router {
  const router = Router();
  const document = JSON.stringify(buildOpenApiDocument());
  const statics = express.static(swaggerUiDir, { index: false, fallthrough: true, maxAge: '1d' });

  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').set('Cache-Control', 'no-cache').send(document);
  });

  router.get('/docs', (_req, res) => {
    res.type('html').set('Cache-Control', 'no-cache').send(page);
  });

  // The page's assets: our initializer and a few files of swagger-ui-dist (not its petstore initializer).
  router.use('/docs', (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const file = req.path.slice(1);
    if (file === 'swagger-initializer.js') {
      res.type('application/javascript').set('Cache-Control', 'no-cache').send(initializer);
      return;
    }
    if (!ASSETS.has(file)) return next();
    statics(req, res, next);
  });

  return router;
}
