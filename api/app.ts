import express from 'express';
import helmet from 'helmet';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { pinoHttp } from 'pino-http';
import { randomUUID } from 'node:crypto';
import type { ApiDeps } from './deps';
import { authenticate } from './auth';
import { errorHandler, unknownRoute } from './errors';
import { idempotentRequests } from './idempotency';
import { health } from './health';
import { httpMetrics, metricsEndpoint } from '../infra/metrics';
import { smokeRouter } from './smoke/router';
import { approvalsRouter } from './approvals/router';
import { docsRouter } from './docs/router';
import { customersRouter } from './customers/router';
import { invoicesRouter } from './invoices/router';
import { ordersRouter } from './orders/router';
import { productsRouter } from './products/router';
import { interventionsRouter } from './interventions/router';
import { techniciansRouter } from './technicians/router';
import { kpisRouter } from './kpis/router';
import { contractsRouter } from './contracts/router';
import { warrantyRouter } from './warranty/router';

/** The HTTP API: thin routers over Temporal and the read model. */
export function createApp(deps: ApiDeps): express.Express {
  const { config, prisma, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(helmet({ referrerPolicy: { policy: 'no-referrer' } }));
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const id = (req.headers['x-request-id'] as string | undefined)?.slice(0, 100) || randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      // Approval links carry their token in the path: never log it.
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url.replace(/\/approvals\/[^/?]+/, '/approvals/[token]'),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(httpMetrics);
  // Rate limits: per client address for everything (IPv6 grouped by /56), then per API key once it is known.
  const limiter = (keyGenerator: (req: express.Request) => string) =>
    rateLimit({
      windowMs: 60_000,
      limit: config.RATE_LIMIT_PER_MINUTE,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      keyGenerator,
      handler: (_req, res) =>
        res.status(429).type('application/problem+json').json({ type: 'about:blank', title: 'Too Many Requests', status: 429 }),
    });
  app.use(limiter((req) => ipKeyGenerator(req.ip ?? '0.0.0.0')));
  app.use(express.json({ limit: config.API_BODY_LIMIT }));
  app.use(express.urlencoded({ extended: false, limit: '10kb' }));

  app.get('/health', health(deps));
  // API reference: GET /openapi.json and GET /docs (Swagger UI), public like /health.
  app.use(docsRouter());
  app.get('/metrics', metricsEndpoint);
  // Approval pages: the signed link is the credential, no API key.
  app.use('/approvals', approvalsRouter(deps));

  const api = express.Router();
  api.use(authenticate(prisma));
  api.use(limiter((req) => `key:${req.apiKey!.id}`));
  api.use(idempotentRequests(prisma));
  api.use('/smoke', smokeRouter(deps));
  api.use('/customers', customersRouter(deps));
  api.use('/orders', ordersRouter(deps));
  api.use(productsRouter(deps));
  api.use(invoicesRouter(deps));
  api.use('/technicians', techniciansRouter(deps));
  api.use(interventionsRouter(deps));
  api.use(contractsRouter(deps));
  api.use(warrantyRouter(deps));
  api.use(kpisRouter(deps));
  app.use(api);

  app.use(unknownRoute);
  // Through req.log, so each logged error carries its request id.
  app.use((err: unknown, req: express.Request, res: express.Response, next: express.NextFunction) =>
    errorHandler(req.log ?? logger)(err, req, res, next),
  );
  return app;
}
