import http from 'node:http';
import querystring from 'node:querystring';
import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { z } from 'zod';
import { routes } from '../../api/openapi';
import { createCustomer, createProduct, createSite, createTechnician } from '../helpers/fixtures';
import { startStack, type Stack } from '../helpers/stack';
import { waitUntil } from '../helpers/wait';

/**
 * Proof that nothing is lost to bad input: no body, path, query or header makes the API answer 5xx
 * or show its internals, and bad input creates nothing.
 *
 * Every route of the route table is fuzzed with an admin key (authentication passes, so validation and
 * business rules are what is exercised): arbitrary JSON, mutations of the route's documented example
 * (`.meta().example` of its body schema), hostile path ids and query strings. Fuzz traffic carries a marker
 * of its own and points at records this file owns, so "creates nothing" holds whatever other test files
 * do in the same database at the same time.
 *
 * Reproduce a failing run with FUZZ_SEED=<seed printed in the failure>.
 */

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const ARBITRARY_RUNS = 15;
const PATH_RUNS = 10;
const QUERY_RUNS = 15;
const REQUEST_TIMEOUT_MS = 15_000;
const CONCURRENCY = 6;
const BODY_LIMIT_BYTES = 100 * 1024; // API_BODY_LIMIT default

jest.setTimeout(60_000);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Route = (typeof routes)[number];

/** One request of the fuzz traffic and what may come back. */
interface Case {
  /** Short description for the report. */
  what: string;
  method: string;
  /** Raw request target, sent as is (already percent-encoded where needed). */
  path: string;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** The approval pages answer HTML, not problem details. */
  html?: boolean;
  /** The input is valid (reads only): a 2xx is fine too. */
  mayPass?: boolean;
  /** The body field the input breaks: a 400 must name it. */
  field?: string;
  /** Invalid whatever the state of the records: only the validator's 400 (or the body limit's 413) is right. */
  strict?: boolean;
  timeoutMs?: number;
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

const PROBLEM_STATUSES = [400, 404, 409, 410, 413, 415];
const HTML_STATUSES = [400, 404, 409, 410, 413];

/** What a response must never show (a match is only excused when the request itself carried it: an echo). */
const LEAKS: [string, RegExp][] = [
  ['stack trace', /(?:\n|\\n)\s+at |\bat [\w$.<>]+ \(/],
  ['"at /"', /at \//],
  ['prisma', /prisma/i],
  ['"Invalid `"', /Invalid `/],
  [
    'SQL',
    /\bselect\b[^"]{0,80}\bfrom\b|\binsert\s+into\b|\bdelete\s+from\b|violates [\w -]*constraint|duplicate key|syntax error at or near|invalid byte sequence|\bSQLSTATE\b|\bP[1-5]\d{3}\b/i,
  ],
  ['file path', /\/(?:work|home|root|usr|opt|app|srv|tmp|var|etc)\/|node_modules|\.[jt]s:\d+/],
  ['error class', /\b(?:TypeError|RangeError|ReferenceError|SyntaxError|ZodError|PrismaClient\w*|WorkflowNotFoundError|ServiceError)\b/],
  ['driver', /\bgrpc\b|ECONNREFUSED|\bpg_/i],
];

const clip = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n)}... (${s.length} chars)` : s);
/** encodeURIComponent, with lone surrogates (which it refuses) sent as U+FFFD like a browser would. */
const encode = (s: string) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, (c, i: number) => (isPaired(s, i) ? c : '\ufffd')));
const isPaired = (s: string, i: number) => {
  const code = s.charCodeAt(i);
  return code < 0xdc00 ? /[\udc00-\udfff]/.test(s[i + 1] ?? '') : /[\ud800-\udbff]/.test(s[i - 1] ?? '');
};
const safeDecode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** Everything wrong with one answer to one case. */
function problemsWith(c: Case, res: Answer): string[] {
  const out: string[] = [];
  const ok2xx = res.status >= 200 && res.status < 300;
  const allowed = c.strict ? [400, 413] : c.html ? HTML_STATUSES : PROBLEM_STATUSES;
  if (res.status >= 500) out.push(`answered ${res.status}`);
  else if (!(allowed.includes(res.status) || (c.mayPass && ok2xx)))
    out.push(`answered ${res.status} to bad input (expected ${allowed.join('/')})`);
  if (!ok2xx && res.status > 0) {
    if (c.html && res.contentType.startsWith('text/html')) {
      // An approval page: HTML for people, no problem document.
    } else if (!res.contentType.startsWith('application/problem+json')) {
      out.push(`content-type ${res.contentType || '(none)'} instead of application/problem+json`);
    } else {
      let problem: any;
      try {
        problem = JSON.parse(res.text);
      } catch {
        out.push('problem body is not JSON');
      }
      if (problem) {
        if (problem.status !== res.status) out.push(`problem status ${problem.status} on a ${res.status}`);
        if (typeof problem.title !== 'string' || !problem.title) out.push('problem without a title');
        if (c.field && res.status === 400) {
          const leaf = c.field.split('.').pop()!;
          const named = (problem.errors ?? []).some(
            (e: { path: string; message: string }) =>
              e.path === `body.${c.field}` || e.path.startsWith(`body.${c.field}.`) || e.message?.includes(`"${leaf}"`),
          );
          if (!named) out.push(`400 does not name body.${c.field}: ${clip(JSON.stringify(problem.errors ?? problem.detail), 200)}`);
        }
      }
    }
  }
  const sent = [c.path, safeDecode(c.path), c.body ?? '', JSON.stringify(safeDecode(c.path))].join('\n');
  for (const [name, pattern] of LEAKS) {
    const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    for (const m of res.text.matchAll(global)) {
      if (!sent.includes(m[0]) && !sent.toLowerCase().includes(m[0].toLowerCase())) {
        out.push(`leaks ${name}: ...${clip(res.text.slice(Math.max(0, m.index! - 60), m.index! + 80), 200)}...`);
        break;
      }
    }
  }
  return out;
}

describe('bad input: never a 500, never internals, never a record', () => {
  let stack: Stack;
  let agent: http.Agent;
  const marker = `fz${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const own = {} as {
    customer: { id: string; billingEmail: string };
    service: { id: string; sku: string };
    stocked: { id: string; sku: string };
    /** Stocked, never received: orders of it wait for stock. */
    unavailable: { id: string; sku: string };
    site: { id: string };
    /** Holds the email the technician example uses: a create that gets past validation answers 409, and creates nothing. */
    technician: { id: string; email: string };
    closedOrderId: string;
    closedJobId: string;
    workflowIds: string[];
  };
  let before: Record<string, number>;

  /** Raw HTTP (no URL normalisation, any content-type, a timeout): the fuzz needs all three. */
  function send(c: Case): Promise<Answer> {
    const url = new URL(stack.baseUrl);
    return new Promise((resolve) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: c.method,
          path: c.path,
          agent,
          headers: {
            authorization: `Bearer ${stack.adminKey}`,
            ...(c.body !== undefined
              ? { 'content-type': c.contentType ?? 'application/json', 'content-length': String(Buffer.byteLength(c.body)) }
              : {}),
            ...c.headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              contentType: String(res.headers['content-type'] ?? ''),
              text: Buffer.concat(chunks).toString(),
            }),
          );
          res.on('error', (err) => resolve({ status: 0, contentType: '', text: `response error: ${err.message}` }));
        },
      );
      const timeoutMs = c.timeoutMs ?? REQUEST_TIMEOUT_MS;
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (err) => resolve({ status: 0, contentType: '', text: `request failed: ${err.message}` }));
      req.end(c.body);
    });
  }

  /** Sends every case (a few at a time) and returns each violation as one readable line. */
  async function violationsOf(cases: Case[]): Promise<string[]> {
    const found: string[] = [];
    let next = 0;
    const workers = Array.from({ length: CONCURRENCY }, async () => {
      while (next < cases.length) {
        const c = cases[next++];
        const res = await send(c);
        const problems = res.status === 0 ? [res.text] : problemsWith(c, res);
        if (problems.length) {
          found.push(
            `${c.method} ${clip(c.path, 120)} [${c.what}] body=${clip(c.body ?? '(none)', 160)} -> ${res.status} ${res.contentType}: ` +
              `${problems.join('; ')} | ${clip(res.text, 300)}`,
          );
        }
      }
    });
    await Promise.all(workers);
    return found;
  }

  const expectNoViolations = (found: string[]) => expect({ seed: SEED, violations: found.sort() }).toEqual({ seed: SEED, violations: [] });

  /** Counts of what only this file's fuzz traffic could create. */
  async function snapshot(): Promise<Record<string, number>> {
    const p = stack.prisma;
    const has = { contains: marker };
    const customerId = own.customer.id;
    const counts = await Promise.all([
      p.customer.count({ where: { OR: [{ legalName: has }, { billingEmail: has }, { city: has }] } }),
      p.product.count({ where: { OR: [{ sku: { contains: marker, mode: 'insensitive' } }, { name: has }] } }),
      p.technician.count({ where: { OR: [{ name: has }, { email: has }, { sector: has }] } }),
      p.site.count({ where: { OR: [{ name: has }, { customerId }] } }),
      p.order.count({ where: { OR: [{ customerId }, { customerRef: has }] } }),
      p.orderLine.count({ where: { order: { customerId } } }),
      p.invoice.count({ where: { customerId } }),
      p.payment.count({ where: { OR: [{ customerId }, { reference: has }] } }),
      p.intervention.count({ where: { OR: [{ customerId }, { description: has }] } }),
      p.stockMovement.count({ where: { OR: [{ productId: own.stocked.id }, { idempotencyKey: has }] } }),
      p.stockLevel.count({ where: { productId: own.stocked.id } }),
      p.emailOutbox.count({ where: { OR: [{ to: has }, { to: own.customer.billingEmail }] } }),
      p.approval.count({ where: { OR: [{ workflowId: { in: own.workflowIds } }, { approverEmail: has }] } }),
      p.smokeRun.count({ where: { OR: [{ email: has }, { message: has }] } }),
      p.contract.count({ where: { OR: [{ customerId }, { title: has }] } }),
      p.priceIndexValue.count({ where: { name: has } }),
      p.supplier.count({ where: { OR: [{ name: has }, { claimsEmail: has }] } }),
      p.equipment.count({ where: { OR: [{ customerId }, { serialNumber: { contains: marker, mode: 'insensitive' } }] } }),
      p.warrantyClaim.count({ where: { OR: [{ customerId }, { reportedFault: has }] } }),
    ]);
    const names = [
      'customers',
      'products',
      'technicians',
      'sites',
      'orders',
      'orderLines',
      'invoices',
      'payments',
      'interventions',
      'stockMovements',
      'stockLevels',
      'emails',
      'approvals',
      'smokeRuns',
      'contracts',
      'priceIndexValues',
      'suppliers',
      'equipment',
      'warrantyClaims',
    ];
    return Object.fromEntries(names.map((n, i) => [n, counts[i]]));
  }

  beforeAll(async () => {
    stack = await startStack({ RATE_LIMIT_PER_MINUTE: '1000000' });
    agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

    // Records the fuzz points at: a customer with a site, a service and a stocked product (never received).
    own.customer = await createCustomer(stack);
    [own.service, own.stocked, own.unavailable, own.site] = await Promise.all([
      createProduct(stack, { stocked: false }),
      createProduct(stack),
      createProduct(stack),
      createSite(stack, own.customer.id, `fz-${marker}`),
    ]);

    // A closed order and a closed job: their routes parse the body, then refuse to touch a finished process.
    const order = await stack.api('POST', '/orders', { customerId: own.customer.id, lines: [{ sku: own.unavailable.sku, quantity: 1 }] });
    expect(order.status).toBe(201);
    own.closedOrderId = order.body.orderId;
    await waitUntil(async () => (await stack.api('GET', `/orders/${own.closedOrderId}`)).body.process?.step === 'awaiting_stock', {
      what: 'the order awaiting stock',
    });
    expect((await stack.api('POST', `/orders/${own.closedOrderId}/cancel`, { reason: 'closed for the bad-input fuzz' })).status).toBe(200);
    await stack.temporal.workflow.getHandle(order.body.workflowId).result();

    // The site's sector has no technician: the job waits for a manual assignment, then is cancelled.
    const job = await stack.api('POST', '/interventions', { siteId: own.site.id, type: 'inspection', description: 'closed for the fuzz' });
    expect(job.status).toBe(201);
    own.closedJobId = job.body.interventionId;
    await waitUntil(
      async () => (await stack.api('GET', `/interventions/${own.closedJobId}`)).body.process?.step === 'awaiting_manual_assignment',
      { what: 'the job awaiting a manual assignment' },
    );
    expect((await stack.api('POST', `/interventions/${own.closedJobId}/cancel`, { reason: 'closed for the bad-input fuzz' })).status).toBe(
      200,
    );
    await stack.temporal.workflow.getHandle(job.body.workflowId).result();
    own.workflowIds = [order.body.workflowId, job.body.workflowId];

    // Created last, in a sector of its own, so that no job of this file is offered to them.
    own.technician = await createTechnician(stack, `${marker}-t`, { name: `${marker} Tech`, email: `${marker}@fuzz.example` });

    before = await snapshot();
  });

  afterAll(async () => {
    agent?.destroy();
    await stack?.stop();
  });

  const routeKey = (r: Route) => `${r.method.toUpperCase()} ${r.path}`;
  const newToken = () => randomBytes(32).toString('base64url');

  /** The documented example of the route's body, pointed at this file's records and marked. */
  function exampleOf(r: Route): Json | undefined {
    const documented = r.body?.meta()?.example as Json | undefined;
    if (documented === undefined || documented === null || typeof documented !== 'object' || Array.isArray(documented)) return documented;
    const overrides: Record<string, Record<string, Json>> = {
      'POST /orders': {
        customerId: own.customer.id,
        customerRef: `${marker} PO`,
        lines: [
          { sku: own.service.sku, quantity: 1 },
          { sku: own.service.sku, quantity: 2, unitPriceCents: 15_000 },
        ],
      },
      'POST /customers': { legalName: `${marker} SARL`, billingEmail: `${marker}@fuzz.example`, city: `${marker} ville` },
      'POST /products': { sku: `FZ-${marker}`, name: `${marker} produit` },
      'POST /stock/receipts': { sku: own.stocked.sku, reference: `${marker}-REC` },
      'POST /sites': { customerId: own.customer.id, name: `${marker} site` },
      'POST /interventions': { siteId: own.site.id, description: `${marker} panne` },
      // An invalid technician that got through would break every technician's schedule maths (KPIs, dispatch) for
      // the whole database: its email is taken, so such a body answers 409 (reported) instead of creating it.
      'POST /technicians': { name: `${marker} Tech`, email: own.technician.email, sector: marker },
      'POST /intervention-billing-runs': { period: '1999-01' },
      'POST /contracts': { customerId: own.customer.id, siteIds: [own.site.id], plan: [], title: `${marker} contrat` },
      'POST /billing-runs': { period: '1999-01' },
      'POST /price-indices': { name: `${marker}-IDX` },
      'POST /suppliers': { name: `${marker} fournisseur`, claimsEmail: `${marker}@fuzz.example` },
      'POST /equipment': { serialNumber: `FZ-${marker}`, customerId: own.customer.id, siteId: own.site.id },
      'POST /warranty-claims': { customerId: own.customer.id, fault: `${marker} panne` },
      'POST /smoke': { email: `${marker}@fuzz.example`, message: marker },
      'POST /smoke/{id}/confirm': { by: marker },
      'POST /orders/{id}/payments': { reference: `${marker}-PAY` },
      'POST /invoices/{id}/payments': { reference: `${marker}-PAY` },
    };
    return { ...documented, ...overrides[routeKey(r)] };
  }

  /** The route's path with its parameter set to `value` (raw), or to this file's record / an unknown one. */
  function pathOf(r: Route, value?: string): string {
    return r.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      if (value !== undefined) return value;
      if (name === 'token') return newToken();
      if (name === 'period') return '1999-01';
      if (r.path.startsWith('/orders/')) return own.closedOrderId;
      if (r.path.startsWith('/interventions/')) return own.closedJobId;
      return randomUUID();
    });
  }

  function bodyCase(r: Route, what: string, body: Json | undefined, extra: Partial<Case> = {}): Case {
    const form = r.form && body !== null && typeof body === 'object' && !Array.isArray(body);
    return {
      what,
      method: r.method.toUpperCase(),
      path: pathOf(r),
      html: r.problems === false,
      ...(body === undefined
        ? {}
        : form
          ? {
              body: Object.entries(body as Record<string, Json>)
                .map(([k, v]) => `${encode(k)}=${encode(typeof v === 'string' ? v : JSON.stringify(v))}`)
                .join('&'),
              contentType: 'application/x-www-form-urlencoded',
            }
          : { body: JSON.stringify(body) }),
      ...extra,
    };
  }

  // ------------------------------------------------------------------ body mutations

  const DELETE = Symbol('delete');
  interface Mutation {
    what: string;
    value: Json | typeof DELETE;
    /** Bad whatever the schema says (control characters, out of range...): sent even when the schema accepts it. */
    mustReject: boolean;
  }
  const bad = (what: string, value: Json): Mutation => ({ what, value, mustReject: true });
  const maybe = (what: string, value: Json): Mutation => ({ what, value, mustReject: false });

  const TEN_THOUSAND = 10_000;
  function mutationsOf(value: Json, key: string | number): Mutation[] {
    const list: Mutation[] = [maybe('null', null)];
    if (typeof key === 'string') list.push({ what: 'deleted', value: DELETE, mustReject: false });
    if (typeof value === 'string') {
      list.push(
        maybe('number instead of string', 12_345),
        maybe('boolean instead of string', true),
        maybe('array instead of string', [value]),
        maybe('object instead of string', { value }),
        bad('10,000-char string', 'x'.repeat(TEN_THOUSAND)),
        bad('NUL', '\u0000'),
        bad('embedded NUL', `${value.slice(0, 20)}\u0000${value.slice(20)}`),
        bad('BEL and ESC', `\u0007\u001b[31m${value}`),
        bad('DEL', `${value}\u007f`),
        bad('backspace', `\b${value}`),
        maybe('empty string', ''),
        maybe('blank string', '   '),
        maybe('SQL', `${value}'; DROP TABLE "Customer"; --`),
        maybe('path', '../../../../etc/passwd'),
        maybe('percent', '%00%2e%2e%2f'),
        maybe('lone surrogate', '\ud800'),
        maybe('template', '${process.env.DATABASE_URL}{{7*7}}'),
      );
      if (/^[0-9a-f]{8}-/.test(value) && (key === 'customerId' || key === 'siteId')) list.push(bad('unknown reference', randomUUID()));
    } else if (typeof value === 'number') {
      list.push(
        maybe('string instead of number', String(value)),
        maybe('NaN as string', 'NaN'),
        maybe('Infinity as string', 'Infinity'),
        maybe('boolean instead of number', false),
        maybe('array instead of number', [value]),
        bad('-1', -1),
        bad('1e12', 1e12),
        bad('above MAX_SAFE_INTEGER', 2 ** 53 + 2),
        maybe('fraction', value + 0.5),
        maybe('zero', 0),
        maybe('-0', -0),
      );
    } else if (typeof value === 'boolean') {
      list.push(maybe('string instead of boolean', String(value)), maybe('number instead of boolean', 1));
    } else if (Array.isArray(value)) {
      list.push(
        maybe('object instead of array', { 0: value[0] ?? null }),
        maybe('string instead of array', 'a,b'),
        maybe('empty array', []),
        bad(
          `${TEN_THOUSAND} lines (copies)`,
          Array.from({ length: TEN_THOUSAND }, () => value[0] ?? 'x'),
        ),
        bad(
          `${TEN_THOUSAND} lines (zeros)`,
          Array.from({ length: TEN_THOUSAND }, () => 0),
        ),
      );
    } else if (value && typeof value === 'object') {
      list.push(
        maybe('array instead of object', [value]),
        maybe('string instead of object', 'object'),
        maybe('unknown field', { ...value, unexpectedField: 1 }),
      );
    }
    return list;
  }

  /** Every node of a JSON value with its path. */
  function nodes(value: Json, path: (string | number)[] = []): { path: (string | number)[]; value: Json }[] {
    const children: { path: (string | number)[]; value: Json }[] = [];
    if (Array.isArray(value)) value.forEach((v, i) => children.push(...nodes(v, [...path, i])));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) children.push(...nodes(v, [...path, k]));
    return path.length ? [{ path, value }, ...children] : children;
  }

  function setAt(root: Json, path: (string | number)[], value: Json | typeof DELETE): Json {
    const copy = structuredClone(root) as any;
    let node = copy;
    for (const step of path.slice(0, -1)) node = node[step];
    const last = path[path.length - 1];
    if (value === DELETE) delete node[last];
    else node[last] = value;
    return copy;
  }

  /** The bad variants of the route's example: each breaks one field (sent when the schema refuses it, or when it must). */
  function mutationCases(r: Route, example: Json): Case[] {
    const schema = r.body as z.ZodType;
    const cases: Case[] = [];
    const root: Mutation[] = [
      maybe('unknown top-level field', { ...(example as object), unexpectedField: true }),
      maybe('__proto__ field', null),
      maybe('array body', [example]),
      maybe('empty object', {}),
    ];
    for (const m of root) {
      if (m.what === '__proto__ field') {
        // JSON.parse makes "__proto__" an own key, as a client would send it.
        const text = `{"__proto__":{"isAdmin":true},${JSON.stringify(example).slice(1)}`;
        cases.push({ ...bodyCase(r, m.what, undefined), body: text, contentType: 'application/json' });
        continue;
      }
      if (!schema.safeParse(m.value).success) cases.push(bodyCase(r, m.what, m.value as Json));
    }
    for (const node of nodes(example)) {
      for (const m of mutationsOf(node.value, node.path[node.path.length - 1])) {
        const mutated = setAt(example, node.path, m.value);
        if (!m.mustReject && schema.safeParse(mutated).success) continue; // still valid: not bad input
        const field = node.path.join('.');
        cases.push(bodyCase(r, `${field}: ${m.what}`, mutated, { field, strict: m.mustReject }));
      }
    }
    return cases;
  }

  // ------------------------------------------------------------------ paths and queries

  const HOSTILE_IDS = [
    '..',
    '../',
    '..%2F',
    '%2e%2e%2f',
    '%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
    '..%2F..%2F..%2Fetc%2Fpasswd',
    '..%5C..%5Cwindows%5Cwin.ini',
    '%00',
    '%',
    '%zz',
    '%E0%A4%A',
    '%C0%AE%C0%AE%2F',
    'x'.repeat(2000),
    encode(`'; DROP TABLE "Order"; --`),
    encode('{"$ne":null}'),
    'null',
    'undefined',
    '0',
    '-1',
    '1e12',
    encode(' 3f2c8a4e-6b1d-4c9a-9e2f-7a5b1c0d8e41'),
    '3F2C8A4E-6B1D-4C9A-9E2F-7A5B1C0D8E41', // unknown, upper case
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '3f2c8a4e6b1d4c9a9e2f7a5b1c0d8e41',
    encode('3f2c8a4e-6b1d-4c9a-9e2f-7a5b1c0d8e41\u0000'),
    '%F0%9F%92%A9',
  ];

  function pathCases(r: Route): Case[] {
    const example = exampleOf(r);
    const periodLike = r.path.includes('{period}');
    const tokenLike = r.path.includes('{token}');
    const generated = fc.sample(
      fc.oneof(
        fc.uuid().map((u) => ({ what: 'unknown uuid', id: u })),
        fc.string({ maxLength: 60, unit: 'binary' }).map((s) => ({ what: 'random string', id: encode(s) })),
        fc.stringMatching(/^[A-Za-z0-9._-]{10,200}$/).map((s) => ({ what: 'token-shaped', id: s })),
        fc.integer({ min: 1900, max: 1999 }).map((y) => ({ what: 'unknown period', id: `${y}-0${1 + (y % 9)}` })),
      ),
      { numRuns: PATH_RUNS, seed: [...r.path].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) | 0, SEED) },
    );
    const ids = [
      ...HOSTILE_IDS.map((id) => ({ what: 'hostile id', id })),
      // (An empty id is another route: `/technicians/` is the list.)
      ...(tokenLike ? [{ what: 'unknown token', id: newToken() }] : []),
      ...(periodLike ? [{ what: 'unknown period', id: '1901-01' }] : [{ what: 'unknown uuid', id: randomUUID() }]),
      ...generated.filter(({ id }) => id !== ''),
    ];
    const cases: Case[] = ids.map(({ what, id }) => ({
      ...bodyCase(r, `${what} ${clip(id, 40)}`, example),
      path: pathOf(r, id),
      mayPass: false,
    }));
    // Raw traversal: the request target itself climbs out of the route.
    const [prefix] = r.path.split('{');
    cases.push(
      { ...bodyCase(r, 'raw ../ traversal', example), path: `${prefix}../../../../etc/passwd` },
      { ...bodyCase(r, 'raw ./ segments', example), path: `${prefix}./../${r.path.slice(1).replace(/\{\w+\}/, 'x')}` },
    );
    return cases;
  }

  const NASTY_QUERY_VALUES = [
    '',
    '-1',
    '0',
    '1e12',
    '201',
    'NaN',
    'abc',
    '\u0000',
    'a\u0000b',
    '\u0007',
    'x'.repeat(2000),
    '%',
    '../../etc',
    "' OR 1=1 --",
  ];

  function queryCases(r: Route): Case[] {
    const schema = r.query!;
    const keys = Object.keys(schema.shape);
    const qs = (q: Record<string, string | string[]>) =>
      Object.entries(q)
        .flatMap(([k, v]) => [v].flat().map((x) => `${encode(k)}=${encode(x)}`))
        .join('&');
    const pairs = fc.sample(
      fc.dictionary(
        fc.constantFrom(...keys, 'unknown', 'limit[]'),
        fc.oneof(
          fc.string({ maxLength: 40, unit: 'binary' }),
          fc.constantFrom(...NASTY_QUERY_VALUES),
          fc.array(fc.uuid(), { maxLength: 3 }),
        ),
        { minKeys: 1, maxKeys: 3 },
      ),
      { numRuns: QUERY_RUNS, seed: [...r.path].reduce((h, ch) => (h * 17 + ch.charCodeAt(0)) | 0, SEED) },
    );
    const fixed: Record<string, string | string[]>[] = keys.flatMap((k) => NASTY_QUERY_VALUES.map((v) => ({ [k]: v })));
    if (keys.includes('customerId')) {
      fixed.push({ customerId: Array.from({ length: 101 }, () => randomUUID()) }, { customerId: [randomUUID(), 'not-a-uuid'] });
    }
    if (keys.includes('from'))
      fixed.push({ from: '2026-01-01T00:00:00Z', to: 'tomorrow' }, { from: '2026-13-45T99:00:00Z', to: '2026-01-01T00:00:00Z' });
    return [...fixed, ...pairs].map((q) => {
      const text = qs(q);
      const valid = schema.safeParse(querystring.parse(text)).success;
      return {
        what: `query ${clip(text, 60)}`,
        method: r.method.toUpperCase(),
        path: `${pathOf(r)}?${text}`,
        html: r.problems === false,
        mayPass: valid,
      };
    });
  }

  // ------------------------------------------------------------------ the fuzz, route by route

  const fuzzed = routes.filter((r) => r.body || r.params || r.query);

  it('has a leak detector that recognises internals, and excuses echoes of the input', () => {
    const leak = (text: string, body = '{}') =>
      problemsWith(
        { what: 'self-test', method: 'POST', path: '/customers', body },
        { status: 400, contentType: 'application/problem+json', text },
      )
        .filter((p) => p.startsWith('leaks'))
        .map((p) => p.replace(/:.*/s, ''));
    const problem = (detail: string) => JSON.stringify({ type: 'about:blank', title: 'Bad Request', status: 400, detail });
    expect(leak(problem('Invalid `prisma.customer.create()` invocation'))).toEqual(['leaks prisma', 'leaks "Invalid `"']);
    expect(leak(problem('TypeError: x is undefined\n    at /work/main/api/customers/router.ts:13:22'))).toEqual([
      'leaks stack trace',
      'leaks "at /"',
      'leaks file path',
      'leaks error class',
    ]);
    expect(leak(problem('duplicate key value violates unique constraint "Product_sku_key"'))).toEqual(['leaks SQL']);
    expect(leak(problem('Unknown warehouse ../../etc/passwd'), '{"warehouseCode":"../../etc/passwd"}')).toEqual([]);
    expect(leak(problem('Invalid body'))).toEqual([]);
  });

  it('fuzzes every route that takes a body, path parameters or a query', () => {
    expect(fuzzed.map(routeKey)).toEqual(
      expect.arrayContaining([
        'POST /orders',
        'POST /approvals/{token}',
        'GET /approvals/{token}',
        'POST /interventions/{id}/parts-arrived',
      ]),
    );
    // Every documented example is valid, so each mutation breaks exactly what it says.
    for (const r of fuzzed.filter((x) => x.body)) {
      const example = exampleOf(r);
      expect({ route: routeKey(r), valid: example !== undefined && (r.body as z.ZodType).safeParse(example).success }).toEqual({
        route: routeKey(r),
        valid: true,
      });
    }
  });

  describe.each(fuzzed.map((r) => [routeKey(r), r] as const))('%s', (_name, r) => {
    // Each route gets its own sequence of inputs, reproducible from the run's seed.
    const seed = [...routeKey(r)].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) | 0, SEED);

    if (r.body || r.method === 'post') {
      it('answers arbitrary JSON with a 4xx problem', async () => {
        const values = fc.sample(fc.jsonValue(), { numRuns: ARBITRARY_RUNS, seed }) as Json[];
        // Objects shaped like the example, with arbitrary values for some of its fields.
        const example = exampleOf(r);
        const base = example && typeof example === 'object' && !Array.isArray(example) ? example : {};
        const keys = Object.keys(base).length ? Object.keys(base) : ['id'];
        const shaped = (
          fc.sample(fc.dictionary(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1 }), {
            numRuns: 5 * ARBITRARY_RUNS,
            seed,
          }) as Record<string, Json>[]
        )
          .map((v) => ({ ...base, ...v }))
          .filter((v) => !r.body || !r.body.safeParse(v).success)
          .slice(0, ARBITRARY_RUNS);
        const cases = [
          ...values.map((v) => ({ ...bodyCase(r, 'arbitrary JSON', v), body: JSON.stringify(v), contentType: 'application/json' })),
          ...(r.form ? values.map((v) => bodyCase(r, 'arbitrary form', v)) : []),
          ...shaped.map((v) => bodyCase(r, 'example with arbitrary values', v)),
        ];
        expectNoViolations(await violationsOf(cases));
      });
    }

    if (r.body?.meta()?.example !== undefined && !r.form) {
      it('answers every bad variant of the documented example with a 4xx naming the field', async () => {
        expectNoViolations(await violationsOf(mutationCases(r, exampleOf(r)!)));
      });
    }

    if (r.params) {
      it('answers hostile and unknown path parameters with a 4xx', async () => {
        expectNoViolations(await violationsOf(pathCases(r)));
      });
    }

    if (r.query) {
      it('answers hostile query strings with a 4xx (or a 2xx when the query is valid)', async () => {
        expectNoViolations(await violationsOf(queryCases(r)));
      });
    }

    if (r.method === 'post' && r.params && (r.path.startsWith('/orders/') || r.path.startsWith('/interventions/'))) {
      it('refuses the valid example on a finished process with a 4xx', async () => {
        expectNoViolations(await violationsOf([bodyCase(r, 'valid example, finished process', exampleOf(r))]));
      });
    }

    if (r.headers) {
      it('answers a bad Idempotency-Key with a 400', async () => {
        // The body is valid and points at this file's records: only the header is wrong.
        const keys = ['x'.repeat(201), 'has space', 'tab\there', 'caf\u00e9', '"quoted"x y'];
        const cases = keys.map((k) =>
          bodyCase(r, `Idempotency-Key ${JSON.stringify(clip(k, 20))}`, exampleOf(r), {
            headers: { 'Idempotency-Key': k },
            field: undefined,
          }),
        );
        expectNoViolations(await violationsOf(cases));
      });
    }
  });

  // ------------------------------------------------------------------ named cases

  const post = (path: string, body: string, contentType = 'application/json', headers: Record<string, string> = {}) =>
    send({ what: 'named', method: 'POST', path, body, contentType, headers });
  const problemOf = (res: Answer) => {
    expect(res.contentType).toMatch(/^application\/problem\+json/);
    const problem = JSON.parse(res.text);
    expect(problem).toMatchObject({ status: res.status, title: expect.any(String) });
    return problem as { status: number; title: string; detail?: string; errors?: { path: string; message: string }[] };
  };
  const customerBody = (extra: Record<string, unknown> = {}) =>
    JSON.stringify({ ...(exampleOf(routes.find((r) => routeKey(r) === 'POST /customers')!) as object), ...extra });
  const ownOrders = () => stack.prisma.order.count({ where: { customerId: own.customer.id } });

  it('answers a body over the limit with a 413 problem and creates nothing', async () => {
    const res = await post('/customers', customerBody({ legalName: `${marker} ${'x'.repeat(BODY_LIMIT_BYTES + 10_000)}` }));
    expect(res.status).toBe(413);
    expect(problemOf(res)).toMatchObject({ title: 'Content Too Large' });
    const form = await post(
      '/approvals/' + newToken(),
      `comment=${'x'.repeat(20_000)}&decision=approved`,
      'application/x-www-form-urlencoded',
    );
    expect(form.status).toBe(413);
    problemOf(form);
  });

  it('answers malformed JSON with a 400 problem', async () => {
    for (const text of [
      '{"legalName": "x",',
      '{',
      "{'legalName':'x'}",
      'NaN',
      '"just a string"',
      '42',
      '{"a":1}garbage',
      '{"a":01}',
      '\u0000',
      '[[[[[[',
    ]) {
      const res = await post('/customers', text);
      expect({ text, status: res.status }).toEqual({ text, status: 400 });
      expect(problemOf(res).detail).toBe('Body is not valid JSON');
    }
    // Deep nesting just under the limit: parsed, refused, no stack overflow.
    const deep = `{"legalName":${'['.repeat(40_000)}${']'.repeat(40_000)}}`;
    const res = await post('/customers', deep);
    expect(res.status).toBe(400);
    problemOf(res);
  });

  it('answers a wrong content-type or encoding with a 400 or 415 problem', async () => {
    const body = customerBody();
    const variants: [string, Record<string, string>][] = [
      ['text/plain', {}],
      ['application/xml', {}],
      ['multipart/form-data; boundary=x', {}],
      ['application/x-www-form-urlencoded', {}],
      ['application/json; charset=utf-16', {}],
      ['application/json; charset=klingon', {}],
      ['application/json', { 'content-encoding': 'gzip' }],
      ['application/json', { 'content-encoding': 'x-unknown' }],
      ['', {}],
    ];
    for (const [contentType, headers] of variants) {
      const res = await post('/customers', body, contentType, headers);
      expect({ contentType, headers, status: [400, 415].includes(res.status) }).toEqual({ contentType, headers, status: true });
      problemOf(res);
    }
  });

  it('answers unknown fields with a 400 naming them', async () => {
    const res = await post('/customers', customerBody({ isAdmin: true }));
    expect(res.status).toBe(400);
    expect(problemOf(res).errors).toEqual([expect.objectContaining({ path: 'body', message: expect.stringContaining('isAdmin') })]);
    const nested = await post(
      '/orders',
      JSON.stringify({ customerId: own.customer.id, lines: [{ sku: own.service.sku, quantity: 1, discount: 99 }] }),
    );
    expect(nested.status).toBe(400);
    expect(problemOf(nested).errors).toEqual([
      expect.objectContaining({ path: 'body.lines.0', message: expect.stringContaining('discount') }),
    ]);
    const proto = await post('/customers', `{"__proto__":{"isAdmin":true},${customerBody().slice(1)}`);
    expect(proto.status).toBe(400);
    expect(problemOf(proto).errors).toEqual([expect.objectContaining({ path: 'body', message: expect.stringContaining('__proto__') })]);
  });

  it('refuses an order of 10,000 lines (at most 500) and creates no order', async () => {
    const ordersBefore = await ownOrders();
    const line = { sku: own.service.sku, quantity: 1 };
    const order = (n: number) => JSON.stringify({ customerId: own.customer.id, lines: Array.from({ length: n }, () => line) });
    // 10,000 real lines weigh more than the body limit: the parser refuses them first.
    expect(order(10_000).length).toBeGreaterThan(BODY_LIMIT_BYTES);
    const tenThousand = await post('/orders', order(10_000));
    expect(tenThousand.status).toBe(413);
    problemOf(tenThousand);
    // 10,000 bad lines under the limit: refused, each line named.
    const compact = await post('/orders', JSON.stringify({ customerId: own.customer.id, lines: Array.from({ length: 10_000 }, () => 0) }));
    expect(compact.status).toBe(400);
    expect(problemOf(compact).errors?.every((e) => e.path.startsWith('body.lines'))).toBe(true);
    // Valid lines over the maximum: the validator names the array and its maximum.
    const fiveHundredOne = await post('/orders', order(501));
    expect(fiveHundredOne.status).toBe(400);
    expect(problemOf(fiveHundredOne).errors).toEqual([
      expect.objectContaining({ path: 'body.lines', message: expect.stringMatching(/500/) }),
    ]);
    expect(await ownOrders()).toBe(ordersBefore);
  });

  it('refuses negative and huge quantities and amounts with a 400 naming the field', async () => {
    const ordersBefore = await ownOrders();
    const movements = () => stack.prisma.stockMovement.count({ where: { productId: own.stocked.id } });
    const movementsBefore = await movements();
    const cases: [string, string, (v: number | string) => unknown][] = [
      ['/orders', 'body.lines.0.quantity', (v) => ({ customerId: own.customer.id, lines: [{ sku: own.service.sku, quantity: v }] })],
      [
        '/orders',
        'body.lines.0.unitPriceCents',
        (v) => ({ customerId: own.customer.id, lines: [{ sku: own.service.sku, quantity: 1, unitPriceCents: v }] }),
      ],
      [
        `/invoices/${randomUUID()}/payments`,
        'body.amountCents',
        (v) => ({ reference: `${marker}-P`, amountCents: v, receivedOn: '2026-11-22' }),
      ],
      [
        `/orders/${own.closedOrderId}/payments`,
        'body.amountCents',
        (v) => ({ reference: `${marker}-P`, amountCents: v, receivedOn: '2026-11-22' }),
      ],
      ['/stock/receipts', 'body.quantity', (v) => ({ sku: own.stocked.sku, quantity: v, reference: `${marker}-R` })],
      ['/products', 'body.unitPriceCents', (v) => ({ sku: `FZ-${marker}`, name: marker, unitPriceCents: v, vatRateBp: 2000 })],
      ['/customers', 'body.creditLimitCents', (v) => JSON.parse(customerBody({ creditLimitCents: v }))],
    ];
    for (const [path, field, body] of cases) {
      for (const v of [-1, -2_000_000_000, 1e12, 2 ** 31, 1.5, 'NaN']) {
        const res = await post(path, JSON.stringify(body(v)));
        expect({ path, v, status: res.status }).toEqual({ path, v, status: 400 });
        expect(problemOf(res).errors?.map((e) => e.path)).toContain(field);
      }
      // 1e400 is valid JSON that parses to Infinity.
      const infinite = await post(path, JSON.stringify(body(123_456_789)).replace('123456789', '1e400'));
      expect({ path, v: '1e400', status: infinite.status }).toEqual({ path, v: '1e400', status: 400 });
    }
    expect(await ownOrders()).toBe(ordersBefore);
    expect(await movements()).toBe(movementsBefore);
  });

  it('refuses NUL and control characters in names with a 400 naming the field', async () => {
    const cases: [string, string, Record<string, unknown>][] = [
      ['/customers', 'legalName', JSON.parse(customerBody())],
      ['/products', 'name', { sku: `FZ-${marker}`, name: marker, unitPriceCents: 100, vatRateBp: 2000 }],
      ['/technicians', 'name', { name: marker, email: `${marker}@fuzz.example`, sector: marker }],
      [
        '/sites',
        'name',
        { customerId: own.customer.id, name: marker, addressLine: '1 rue', postalCode: '69001', city: 'Lyon', sector: marker },
      ],
    ];
    for (const [path, field, valid] of cases) {
      for (const name of [`${marker}\u0000SARL`, `\u0000`, `${marker}\u001b[2J`, `${marker}\u0007`]) {
        const res = await post(path, JSON.stringify({ ...valid, [field]: name }));
        expect({ path, name, status: res.status }).toEqual({ path, name, status: 400 });
        expect(problemOf(res).errors?.map((e) => e.path)).toContain(`body.${field}`);
      }
    }
  });

  it('refuses control characters in every free-text field the schemas let through', async () => {
    // Each of these strings reaches PostgreSQL (which refuses NUL), an email, a PDF or a log line.
    const sent: [string, string, Record<string, unknown>, string][] = [
      ['/customers', 'locale', JSON.parse(customerBody()), 'fr-FR'],
      ['/technicians', 'timeZone', { name: marker, email: `${marker}@fuzz.example`, sector: marker }, 'Europe/Paris'],
      ['/stock/receipts', 'warehouseCode', { sku: own.stocked.sku, quantity: 1, reference: `${marker}-R` }, 'MAIN'],
      ['/stock/receipts', 'reference', { sku: own.stocked.sku, quantity: 1, warehouseCode: 'MAIN' }, `${marker}-R`],
      ['/orders', 'warehouseCode', { customerId: own.customer.id, lines: [{ sku: own.service.sku, quantity: 1 }] }, 'MAIN'],
      ['/smoke', 'message', { email: `${marker}@fuzz.example` }, marker],
      [`/smoke/${randomUUID()}/confirm`, 'by', {}, marker],
    ];
    const found: string[] = [];
    for (const [path, field, valid, value] of sent) {
      for (const bad of [`${value}\u0000`, `${value}\u0007`]) {
        const res = await post(path, JSON.stringify({ ...valid, [field]: bad }));
        const problems = problemsWith({ what: 'named', method: 'POST', path, body: '', field }, res);
        if (res.status !== 400 && !(path.startsWith('/smoke/') && res.status === 404)) problems.push(`answered ${res.status}, not 400`);
        if (problems.length)
          found.push(`POST ${path} ${field}=${JSON.stringify(bad)} -> ${res.status}: ${problems.join('; ')} | ${clip(res.text, 200)}`);
      }
    }
    expectNoViolations(found);
  });

  it('refuses a technician time zone that does not exist (it would break every schedule computation)', async () => {
    // A technician whose time zone Intl refuses makes GET /api/kpis and GET /dashboard answer 500 for everyone,
    // and the dispatch of their sector fail. The email is taken: if the zone gets through, the answer is 409, not a record.
    for (const timeZone of ['Mars/Olympus', 'Europe/Pariss', 'UTC+25']) {
      const res = await post('/technicians', JSON.stringify({ name: marker, email: own.technician.email, sector: marker, timeZone }));
      expect({ timeZone, status: res.status, answer: clip(res.text, 200) }).toEqual({ timeZone, status: 400, answer: expect.any(String) });
      expect(problemOf(res).errors?.map((e) => e.path)).toContain('body.timeZone');
    }
  });

  it('refuses a NUL in an order cancellation reason, and the order stays open', async () => {
    const customer = await createCustomer(stack);
    const { orderId, workflowId } = (
      await stack.api('POST', '/orders', { customerId: customer.id, lines: [{ sku: own.unavailable.sku, quantity: 1 }] })
    ).body;
    await waitUntil(async () => (await stack.api('GET', `/orders/${orderId}`)).body.process?.step === 'awaiting_stock', {
      what: 'the order awaiting stock',
    });
    const res = await send({
      what: 'named',
      method: 'POST',
      path: `/orders/${orderId}/cancel`,
      body: JSON.stringify({ reason: 'duplicate\u0000order' }),
      timeoutMs: 5_000,
    });
    const step = (await stack.api('GET', `/orders/${orderId}`)).body.process?.step;
    if (res.status === 400) {
      // Closes it properly (a refused cancellation leaves it open).
      await stack.api('POST', `/orders/${orderId}/cancel`, { reason: 'closed by the bad-input test' });
      await stack.temporal.workflow.getHandle(workflowId).result();
    }
    expect({ status: res.status, step, answer: clip(res.text, 300) }).toEqual({
      status: 400,
      step: 'awaiting_stock',
      answer: expect.any(String),
    });
    expect(problemOf(res).errors?.map((e) => e.path)).toContain('body.reason');
  });

  it('answers ids with path characters, and unknown methods, with a 400 or 404 problem and no file', async () => {
    const paths = [
      '/customers/..%2F..%2F..%2Fetc%2Fpasswd',
      '/customers/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/customers/../../etc/passwd',
      '/orders/..%5C..%5Cwindows%5Cwin.ini',
      '/invoices/....%2F%2F....%2F%2Fetc%2Fpasswd/pdf',
      '/interventions/%00/report.pdf',
      '/dashboard/assets/..%2F..%2F..%2F..%2Fpackage.json',
      '/dashboard/assets/%2e%2e/%2e%2e/%2e%2e/package.json',
      '/docs/..%2F..%2Fpackage.json',
      '/smoke/' + 'x'.repeat(2000),
    ];
    for (const path of paths) {
      const res = await send({ what: 'named', method: 'GET', path });
      expect({ path, status: [400, 404].includes(res.status) }).toEqual({ path, status: true });
      problemOf(res);
      expect(res.text).not.toMatch(/root:x:0|"dependencies"|\[fonts\]/);
    }
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const res = await send({ what: 'named', method, path: `/orders/${own.closedOrderId}`, body: '{}' });
      expect({ method, status: res.status, answer: clip(res.text, 200) }).toEqual({ method, status: 404, answer: expect.any(String) });
      problemOf(res);
    }
  });

  it('created nothing: no marked record, and nothing new for the records the fuzz pointed at', async () => {
    // Everything the fuzz could have started has had time to write (the requests are all answered).
    const after = await snapshot();
    expect(after).toEqual(before);
    expect({ customers: after.customers, products: after.products, smokeRuns: after.smokeRuns }).toEqual({
      customers: 0,
      products: 0,
      smokeRuns: 0,
    });
  });
});
