import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { createApp } from '../../api/app';
import { hashApiKey, type Role } from '../../api/auth';
import { routes } from '../../api/openapi';
import { linkIn } from '../helpers/approvals';
import { createContract, createCustomer, createProduct, createSite } from '../helpers/fixtures';
import { startStack, type Stack } from '../helpers/stack';

/**
 * API security over the whole route table (api/openapi.ts): every route but /health, the docs and the
 * approval pages needs a key (401), the right role (403), is rate limited (429), refuses an oversized
 * body (413) before doing anything; concurrent creations with one Idempotency-Key make one record;
 * approval tokens never reach the logs.
 */

const ALL_ROLES: Role[] = ['operations', 'finance', 'dispatcher', 'technician', 'read_only'];
const BODY_LIMIT_BYTES = 100 * 1024; // API_BODY_LIMIT default
type Route = (typeof routes)[number];

/** A concrete URL for a route: path parameters filled with a syntactically valid id that exists nowhere. */
const urlOf = (r: Route) =>
  // A period no other file runs: a query to a run whose test worker is gone waits for it (503).
  r.path.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'period' ? '1999-01' : name === 'name' ? 'SYNTEC' : randomUUID()));
const label = (r: Route) => `${r.method.toUpperCase()} ${r.path}`;

describe('API security over every route', () => {
  let stack: Stack;
  let revoked: string;
  const keys = new Map<Role, string>();
  beforeAll(async () => {
    stack = await startStack({ RATE_LIMIT_PER_MINUTE: '1000000' });
    for (const role of ALL_ROLES) keys.set(role, await stack.keyFor(role));
    revoked = await stack.keyFor('admin');
    await stack.prisma.apiKey.update({ where: { keyHash: hashApiKey(revoked) }, data: { revokedAt: new Date() } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const guarded = routes.filter((r) => r.roles);

  it('guards every route of the table except the public ones', () => {
    const open = routes.filter((r) => !r.roles).map(label);
    expect(open.every((l) => /\/health|\/openapi\.json|\/docs|\/metrics|\/approvals\//.test(l))).toBe(true);
    expect(guarded.length).toBeGreaterThan(30);
  });

  it.each(guarded.map((r) => [label(r), r] as const))('%s: 401 without a key, with a forged key and with a revoked key', async (_l, r) => {
    for (const key of [null, 'bo_forged', `${stack.adminKey}x`, revoked]) {
      const res = await stack.api(r.method.toUpperCase(), urlOf(r), r.body && r.method === 'post' ? {} : undefined, { key });
      expect({ key: key && key.slice(0, 6), status: res.status }).toEqual({ key: key && key.slice(0, 6), status: 401 });
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.headers.get('www-authenticate') ?? '').not.toMatch(/basic/i);
    }
  });

  it.each(guarded.map((r) => [label(r), r] as const))('%s: 403 for every role it does not name, never for admin', async (_l, r) => {
    const refused = ALL_ROLES.filter((role) => !r.roles!.includes(role));
    for (const role of refused) {
      const res = await stack.api(r.method.toUpperCase(), urlOf(r), r.method === 'post' ? {} : undefined, { key: keys.get(role)! });
      expect({ role, status: res.status }).toEqual({ role, status: 403 });
      expect(res.body.title).toBe('Forbidden');
    }
    for (const role of [...r.roles!, 'admin' as const]) {
      const key = role === 'admin' ? stack.adminKey : keys.get(role)!;
      const res = await stack.api(r.method.toUpperCase(), urlOf(r), r.method === 'post' ? {} : undefined, { key });
      expect({ role, status: res.status }).not.toEqual({ role, status: 403 });
      expect(res.status).not.toBe(401);
      expect(res.status).toBeLessThan(500);
    }
  });

  const withBody = routes.filter((r) => r.method === 'post' && r.body && !r.form);
  it.each(withBody.map((r) => [label(r), r] as const))('%s: 413 problem for a body over the limit, whatever the key', async (_l, r) => {
    // Refused without a key too: the body is turned away before authentication and routing, so no
    // handler ran (bad-input.test.ts counts what its own oversized requests could have created;
    // whole-table counts here would see the other test files' work).
    const huge = JSON.stringify({ padding: 'x'.repeat(BODY_LIMIT_BYTES + 1024) });
    for (const key of [stack.adminKey, null]) {
      const res = await stack.api('POST', urlOf(r), huge, { key });
      expect(res.status).toBe(413);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 413 });
    }
  });

  it('makes one intervention and one contract of concurrent POSTs with the same Idempotency-Key', async () => {
    const customer = await createCustomer(stack);
    const site = await createSite(stack, customer.id, `sec-${randomUUID().slice(0, 6)}`);
    const job = { siteId: site.id, type: 'breakdown', priority: 'low', description: 'Fuite', requiredSkills: ['nobody-has-this'] };
    const jobKey = { 'Idempotency-Key': `job-${site.id}` };
    const jobs = await Promise.all(Array.from({ length: 4 }, () => stack.api('POST', '/interventions', job, { headers: jobKey })));
    expect(jobs.map((j) => j.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(jobs.map((j) => j.body.interventionId)).size).toBe(1);
    expect(await stack.prisma.intervention.count({ where: { siteId: site.id } })).toBe(1);

    const contractKey = { 'Idempotency-Key': `contract-${site.id}` };
    const body = {
      customerId: customer.id,
      title: 'Contrat concurrent',
      accountManagerEmail: 'am@backoffice.example',
      termStart: '2032-01-01',
      priceCents: 120_000,
      billingRhythm: 'yearly',
      siteIds: [site.id],
    };
    const contracts = await Promise.all(Array.from({ length: 4 }, () => stack.api('POST', '/contracts', body, { headers: contractKey })));
    expect(contracts.map((c) => c.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(contracts.map((c) => c.body.contractId)).size).toBe(1);
    expect(await stack.prisma.contract.count({ where: { customerId: customer.id } })).toBe(1);
    await createContract(stack, customer.id, [site.id], { billingRhythm: 'yearly', termStart: '2032-01-01' });
    expect(await stack.prisma.contract.count({ where: { customerId: customer.id } })).toBe(2);
  });

  it("refuses one approval's id with another approval's signature (another approver, another step), and changes nothing", async () => {
    const service = await createProduct(stack, { stocked: false, unitPriceCents: 50_000 });
    const tokens: string[] = [];
    const workflowIds: string[] = [];
    for (let k = 0; k < 2; k++) {
      const customer = await createCustomer(stack, { creditLimitCents: 1_000 });
      const { orderId, workflowId } = (
        await stack.api('POST', '/orders', { customerId: customer.id, lines: [{ sku: service.sku, quantity: 1 }] })
      ).body;
      const mail = await stack.mail.waitFor(stack.config.CREDIT_CONTROLLER_EMAIL, new RegExp(`Credit approval for order ${orderId}`));
      tokens.push(linkIn(mail.text!).split('/approvals/')[1]);
      workflowIds.push(workflowId);
    }
    const [idA, sigA] = tokens[0].split('.');
    const [idB, sigB] = tokens[1].split('.');
    const post = (token: string) =>
      fetch(`${stack.baseUrl}/approvals/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'decision=approved',
      }).then((r) => r.status);
    expect(await Promise.all([post(`${idA}.${sigB}`), post(`${idB}.${sigA}`), post(`${idA}.${sigA}${sigB}`), post(idA)])).toEqual([
      404, 404, 404, 404,
    ]);
    for (const workflowId of workflowIds) {
      expect((await stack.prisma.approval.findFirstOrThrow({ where: { workflowId } })).status).toBe('pending');
    }
    for (const workflowId of workflowIds) await stack.temporal.workflow.getHandle(workflowId).terminate('test over');
  });

  it('never writes an approval token to the logs, whatever the request does with it', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
    const server = http.createServer(createApp({ config: stack.config, prisma: stack.prisma, temporal: stack.temporal, logger }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const customer = await createCustomer(stack, { creditLimitCents: 1_000 });
      const service = await createProduct(stack, { stocked: false, unitPriceCents: 50_000 });
      const { orderId } = (await stack.api('POST', '/orders', { customerId: customer.id, lines: [{ sku: service.sku, quantity: 1 }] }))
        .body;
      const mail = await stack.mail.waitFor(stack.config.CREDIT_CONTROLLER_EMAIL, new RegExp(`Credit approval for order ${orderId}`));
      const token = linkIn(mail.text!).split('/approvals/')[1];
      const link = `${base}/approvals/${token}`;
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      const answers = [
        (await fetch(link)).status,
        (await fetch(link, { method: 'HEAD' })).status,
        (await fetch(`${link}?utm=1`)).status,
        (await fetch(link, { method: 'POST', headers: { ...form, origin: 'http://evil.example' }, body: 'decision=approved' })).status,
        (await fetch(link, { method: 'POST', headers: form, body: 'decision=maybe' })).status,
        (await fetch(link, { method: 'POST', headers: form, body: 'decision=rejected' })).status,
        (await fetch(link, { method: 'POST', headers: form, body: 'decision=approved' })).status,
        (await fetch(`${base}/approvals/${token.slice(0, -2)}`)).status,
      ];
      expect(answers).toEqual([200, 200, 200, 403, 400, 200, 409, 404]);
      const page = await fetch(link);
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      const logged = lines.join('');
      expect(logged).toContain('/approvals/[token]');
      const signature = token.split('.')[1];
      expect(logged).not.toContain(signature);
      expect(logged).not.toContain(signature.slice(0, 20));
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    }
  });
});

describe('rate limits', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ RATE_LIMIT_PER_MINUTE: '5' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it.each(['admin', ...ALL_ROLES] as Role[])('answers 429 problems with RateLimit headers to %s once the window is spent', async (role) => {
    const key = role === 'admin' ? stack.adminKey : await stack.keyFor(role);
    let res = await stack.api('GET', '/invoices', undefined, { key });
    for (let i = 0; i < 10 && res.status !== 429; i++) res = await stack.api('GET', '/invoices', undefined, { key });
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toEqual({ type: 'about:blank', title: 'Too Many Requests', status: 429 });
    expect(res.headers.get('ratelimit-policy')).toMatch(/5/);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('limits requests without a key too (per address), before authentication', async () => {
    const res = await stack.api('GET', '/orders', undefined, { key: null });
    expect(res.status).toBe(429);
  });
});
