import http from 'node:http';
import type { Request, RequestHandler } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The process's Prometheus registry: HTTP, business counters and Node's default process metrics. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

const registers = [registry];

export const httpRequests = new Counter({
  name: 'http_requests_total',
  help: 'HTTP requests answered, by method, route template and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers,
});
export const httpDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request latency, by method, route template and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers,
});

export const ordersCreated = new Counter({ name: 'orders_created_total', help: 'Orders created through the API', registers });
export const invoicesIssued = new Counter({ name: 'invoices_issued_total', help: 'Invoices issued (orders and field jobs)', registers });
export const paymentsRecorded = new Counter({ name: 'payments_recorded_total', help: 'Payments applied to invoices', registers });
export const creditNotesIssued = new Counter({ name: 'credit_notes_issued_total', help: 'Credit notes (avoirs) issued', registers });
export const approvalsDecided = new Counter({
  name: 'approvals_decided_total',
  help: 'Approval requests decided, by decision (approved, rejected, expired)',
  labelNames: ['decision'] as const,
  registers,
});
export const warrantyClaimsClosed = new Counter({
  name: 'warranty_claims_closed_total',
  help: 'Warranty claims closed, by outcome (repaired, replaced, credited, quote_refused...)',
  labelNames: ['outcome'] as const,
  registers,
});
export const supplierRecoveredCents = new Counter({
  name: 'supplier_recovered_cents_total',
  help: 'Amount HT (cents) suppliers accepted to pay back under their warranty',
  registers,
});
export const emailsSent = new Counter({
  name: 'emails_sent_total',
  help: 'Emails delivered to the SMTP server, by template',
  labelNames: ['template'] as const,
  registers,
});
export const emailsFailed = new Counter({
  name: 'emails_failed_total',
  help: 'SMTP delivery attempts that failed (the activity retries), by template',
  labelNames: ['template'] as const,
  registers,
});

/**
 * The route template a request matched (`/orders/:id/shipment`), never its raw URL: the mount path
 * is the URL before the route's own segments, since req.baseUrl is reset when an error leaves a router.
 */
function routeTemplate(req: Request): string {
  if (!req.route) return 'unmatched';
  const own = String(req.route.path).split('/').filter(Boolean);
  const url = req.originalUrl.split('?')[0].split('/').filter(Boolean);
  return '/' + [...url.slice(0, url.length - own.length), ...own].join('/');
}

/** Counts and times every API request by method, route template and status. */
export const httpMetrics: RequestHandler = (req, res, next) => {
  const end = httpDuration.startTimer();
  res.on('finish', () => {
    const labels = { method: req.method, route: routeTemplate(req), status: String(res.statusCode) };
    httpRequests.inc(labels);
    end(labels);
  });
  next();
};

/** GET /metrics: the registry in the Prometheus text format. */
export const metricsEndpoint: RequestHandler = async (_req, res) => {
  res.type(registry.contentType).send(await registry.metrics());
};

/**
 * The worker's one /metrics endpoint: this registry (business counters incremented by activities)
 * followed by the Temporal SDK's own exposition, fetched from its local Prometheus exporter.
 */
export function serveWorkerMetrics(port: number, sdkMetricsUrl: string): http.Server {
  return http
    .createServer(async (req, res) => {
      if (req.method !== 'GET' || req.url !== '/metrics') return void res.writeHead(404).end();
      const sdk = await fetch(sdkMetricsUrl)
        .then((r) => r.text())
        .catch((err: Error) => `# Temporal SDK metrics unavailable: ${err.message}\n`);
      res.writeHead(200, { 'content-type': registry.contentType }).end(`${await registry.metrics()}\n${sdk}`);
    })
    .listen(port);
}
