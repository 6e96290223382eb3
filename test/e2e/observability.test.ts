import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serveWorkerMetrics } from '../../infra/metrics';
import { createCustomer, createProduct } from '../helpers/fixtures';
import { startStack, type Stack } from '../helpers/stack';
import { waitUntil } from '../helpers/wait';

/** The sum of a metric's samples carrying all of `labels`, read from the Prometheus text format. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

const linkIn = (text: string): string => /https?:\/\/\S+\/approvals\/[A-Za-z0-9._-]+/.exec(text)![0];

async function freePort(): Promise<number> {
  const server = http.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('metrics and logs for operators', () => {
  let stack: Stack;
  beforeAll(async () => {
    // No reminder, and a credit decision times out after 6 s.
    stack = await startStack({ CREDIT_APPROVAL_REMINDER_MS: '600000', CREDIT_APPROVAL_TIMEOUT_MS: '6000' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const metrics = async () => (await stack.api('GET', '/metrics', undefined, { key: null })).text;

  /** An order of one service (no stock, no shipment): it is invoiced and emailed at once, unless over the credit limit. */
  async function serviceOrder(overrides: Record<string, unknown> = {}, idempotencyKey = randomUUID()) {
    const customer = await createCustomer(stack, overrides);
    const service = await createProduct(stack, { stocked: false, unitPriceCents: 12_000, vatRateBp: 1000 });
    const order = { customerId: customer.id, lines: [{ sku: service.sku, quantity: 1 }] };
    const created = await stack.api('POST', '/orders', order, { headers: { 'Idempotency-Key': idempotencyKey } });
    expect(created.status).toBe(201);
    return { customer, order, idempotencyKey, ...(created.body as { orderId: string; workflowId: string; totalTtcCents: number }) };
  }

  it('serves Prometheus metrics without an API key, labelled by route template, never by ids or tokens', async () => {
    const customer = await createCustomer(stack);
    await stack.api('GET', '/customers');
    await stack.api('GET', `/customers/${customer.id}`);
    const missing = randomUUID();
    expect((await stack.api('GET', `/orders/${missing}`)).status).toBe(404);
    const token = `forged-${randomUUID()}`;
    expect((await fetch(`${stack.baseUrl}/approvals/${token}`)).status).toBe(404);

    const res = await stack.api('GET', '/metrics', undefined, { key: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
    expect(sample(res.text, 'http_requests_total', { method: 'GET', route: '/customers', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(sample(res.text, 'http_requests_total', { method: 'POST', route: '/customers', status: '201' })).toBeGreaterThanOrEqual(1);
    expect(sample(res.text, 'http_requests_total', { route: '/customers/:id', status: '200' })).toBe(1);
    // An error leaves its router before it is answered: the template still carries the mount path.
    expect(sample(res.text, 'http_requests_total', { route: '/orders/:id', status: '404' })).toBe(1);
    expect(sample(res.text, 'http_requests_total', { route: '/approvals/:token', status: '404' })).toBe(1);
    expect(sample(res.text, 'http_request_duration_seconds_count', { route: '/customers/:id' })).toBe(1);
    expect(res.text).toContain('process_cpu_user_seconds_total');
    expect(res.text).toContain('nodejs_eventloop_lag_seconds');
    for (const raw of [customer.id, missing, token]) expect(res.text).not.toContain(raw);
  });

  it('counts a created order once, then its invoice, its email and its payment', async () => {
    const before = await metrics();
    const { customer, order, idempotencyKey, orderId, totalTtcCents } = await serviceOrder();
    const replay = await stack.api('POST', '/orders', order, { headers: { 'Idempotency-Key': idempotencyKey } });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(sample(await metrics(), 'orders_created_total')).toBe(sample(before, 'orders_created_total') + 1);

    await stack.mail.waitFor(customer.billingEmail, /^Facture FA-/);
    // The SMTP server has the message a moment before the activity counts it: poll, do not race.
    const countsOneMore = (name: string, labels?: Record<string, string>) =>
      waitUntil(async () => sample(await metrics(), name, labels) === sample(before, name, labels) + 1, { what: `${name} + 1` });
    await countsOneMore('invoices_issued_total');
    await countsOneMore('emails_sent_total', { template: 'invoice' });

    const paid = await stack.api('POST', `/orders/${orderId}/payments`, {
      reference: `VIR-${orderId}`,
      amountCents: totalTtcCents,
      receivedOn: '2026-11-22',
    });
    expect(paid.status).toBe(202);
    await stack.mail.waitFor(customer.billingEmail, /^Reçu de paiement/);
    await countsOneMore('payments_recorded_total');
  });

  it('counts credit decisions: a rejection through the emailed link, and a timeout in the worker', async () => {
    const before = await metrics();
    const rejected = await serviceOrder({ creditLimitCents: 1_000 });
    const timedOut = await serviceOrder({ creditLimitCents: 1_000 });
    const mail = await stack.mail.waitFor(stack.config.CREDIT_CONTROLLER_EMAIL, new RegExp(`order ${rejected.orderId}`));
    const link = linkIn(mail.text!);
    const decided = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'decision=rejected',
    });
    expect(decided.status).toBe(200);

    await waitUntil(async () => (await stack.api('GET', `/orders/${timedOut.orderId}`)).body.status === 'rejected', {
      what: 'the unanswered approval to expire',
    });
    const after = await metrics();
    const decisions = (decision: string) =>
      sample(after, 'approvals_decided_total', { decision }) - sample(before, 'approvals_decided_total', { decision });
    expect({ approved: decisions('approved'), rejected: decisions('rejected'), expired: decisions('expired') }).toEqual({
      approved: 0,
      rejected: 1,
      expired: 1,
    });
    expect(after).not.toContain(link.split('/').pop());
  });

  it('serves one worker endpoint: this registry followed by the Temporal SDK exposition', async () => {
    const sdk = http
      .createServer((_req, res) => res.end('# TYPE temporal_worker_start counter\ntemporal_worker_start 1\n'))
      .listen(0, '127.0.0.1');
    await new Promise((resolve) => sdk.once('listening', resolve));
    const server = serveWorkerMetrics(0, `http://127.0.0.1:${(sdk.address() as AddressInfo).port}/metrics`);
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`);
      const text = await res.text();
      expect(res.headers.get('content-type')).toContain('text/plain');
      expect(text).toContain('# TYPE emails_sent_total counter');
      expect(text.indexOf('temporal_worker_start 1')).toBeGreaterThan(text.indexOf('orders_created_total'));
    } finally {
      server.close();
      sdk.close();
    }
  });

  it('runs the real worker process: JSON logs through pino and the SDK temporal_* metrics on WORKER_METRICS_PORT', async () => {
    const [workerPort, sdkPort] = [await freePort(), await freePort()];
    const root = path.resolve(__dirname, '../..');
    const worker = spawn(path.join(root, 'node_modules/.bin/tsx'), ['worker.ts'], {
      cwd: root,
      env: {
        ...process.env,
        LOG_LEVEL: 'info',
        TEMPORAL_TASK_QUEUE: `test-${randomUUID()}`,
        WORKER_METRICS_PORT: String(workerPort),
        SDK_METRICS_PORT: String(sdkPort),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    worker.stdout.on('data', (chunk) => (stdout += chunk));
    try {
      const text = await waitUntil(
        async () => {
          const body = await (await fetch(`http://127.0.0.1:${workerPort}/metrics`)).text();
          return body.includes('temporal_') && stdout.includes('Worker state changed') && body;
        },
        { timeoutMs: 60_000, intervalMs: 500, what: 'the worker metrics endpoint' },
      );
      expect(text).toContain('# TYPE emails_sent_total counter');
      expect(text).toContain('process_cpu_user_seconds_total');
      expect(text).toMatch(/^temporal_\w+/m);
      // Every stdout line is pino JSON, the SDK's own lines (with their sdkComponent) included.
      const entries = stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(entries).toContainEqual(expect.objectContaining({ name: 'worker', msg: 'worker started', level: 30 }));
      expect(entries).toContainEqual(expect.objectContaining({ name: 'worker', sdkComponent: 'worker', taskQueue: expect.any(String) }));
    } finally {
      worker.kill('SIGTERM');
      await new Promise((resolve) => worker.once('exit', resolve));
    }
  });
});
