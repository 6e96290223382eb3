import { randomUUID } from 'node:crypto';
import { http, poll, type Harness, type HttpAnswer } from './harness';

/** A process the API accepted: the verifier checks it exists, and that it completed unless `expectRunning`. */
export interface Accepted {
  lifecycle: string;
  workflowId: string;
  /** Long-lived by design within the run (e.g. a contract whose term starts in years). */
  expectRunning?: boolean;
}

/** What every lifecycle driver of one scenario shares. */
export class LoadContext {
  readonly accepted: Accepted[] = [];
  /** Approval ids the load decided by POST; every other approval saw GET/HEAD only. */
  readonly decidedApprovals = new Set<string>();
  readonly scannedApprovals = new Set<string>();
  readonly errors: string[] = [];
  readonly tag: string;

  constructor(
    readonly h: Harness,
    readonly scenario: string,
    /** Index of the scenario in the run: periods and other unique keys derive from it. */
    readonly index: number,
  ) {
    this.tag = `${scenario.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${randomUUID().slice(0, 6)}`;
  }

  api(method: string, path: string, body?: unknown, opts: { key?: string; headers?: Record<string, string> } = {}): Promise<HttpAnswer> {
    return http(this.h.baseUrl, method, path, body, opts);
  }

  /** A request that must end with one of the statuses (retries of 5xx/429/network errors included). */
  async expect(
    status: number | number[],
    method: string,
    path: string,
    body?: unknown,
    opts: { key?: string; headers?: Record<string, string> } = {},
  ) {
    const res = await this.api(method, path, body, opts);
    if (![status].flat().includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${res.text.slice(0, 300)}`);
    return res;
  }

  /** Polls a record's GET until its process is at one of the steps (4 minutes at most); returns the record. */
  waitStep(path: string, steps: string[], key: string): Promise<any> {
    return poll(
      async () => {
        const record = (await this.expect(200, 'GET', path, undefined, { key })).body;
        return record.process && steps.includes(record.process.step) ? record : undefined;
      },
      `${path} at ${steps.join('/')}`,
      240_000,
    );
  }

  accept(a: Accepted): void {
    this.accepted.push(a);
  }

  /** The approval link of the first mail to `to` whose subject matches, scanned by GET and HEAD like a mail filter would. */
  async approvalLink(to: string, subject: RegExp): Promise<string> {
    const mail = await poll(async () => this.h.sink.find(to, subject)[0], `an email to ${to} matching ${subject}`, 180_000);
    const link = /https?:\/\/\S+\/approvals\/[A-Za-z0-9._-]+/.exec(mail.text)![0];
    this.scannedApprovals.add(approvalIdOf(link));
    for (const method of ['GET', 'HEAD']) {
      await poll(async () => (await fetch(link, { method })).status === 200, `${method} of the approval page`, 120_000);
    }
    return link;
  }

  /** A click on a link whose process moved on: the status it answers (not recorded as a decision: it must change nothing). */
  async lateDecision(link: string): Promise<number> {
    return poll(
      async () => {
        const res = await fetch(link, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'decision=approved',
        });
        return res.status < 500 ? res.status : undefined;
      },
      'an answer to the late approval POST',
      120_000,
    );
  }

  /** Posts the decisions at once (a double click, or two approvers racing): one must win, the others be told. */
  async decide(link: string, decisions: ('approved' | 'rejected')[]): Promise<'approved' | 'rejected'> {
    this.decidedApprovals.add(approvalIdOf(link));
    const post = (decision: string) =>
      poll(
        async () => {
          const res = await fetch(link, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ decision, comment: 'reliability run' }).toString(),
          });
          return res.status < 500 ? { decision, status: res.status } : undefined;
        },
        'an answer to the approval POST',
        180_000,
      );
    const answers = await Promise.all(decisions.map(post));
    const won = answers.filter((a) => a.status === 200);
    if (won.length > 1) this.errors.push(`approval ${approvalIdOf(link)}: ${won.length} POSTs were told "decision recorded"`);
    // A 500 answered after the decision was applied is retried and told 409: the recorded one is in the database.
    const row = await poll(async () => {
      const a = await this.h.prisma.approval.findUnique({ where: { id: approvalIdOf(link) } });
      return a && a.status !== 'pending' ? a : undefined;
    }, 'the approval to be decided');
    return row.status as 'approved' | 'rejected';
  }
}

/** The approval id is the token's part before the dot (infra/approval-tokens.ts). */
export const approvalIdOf = (link: string) => link.split('/approvals/')[1].split('.')[0];

/**
 * One business lifecycle as load: `prepare` creates the master data its items share (once per scenario)
 * and returns the driver of one item, which starts a process through the API, records it as accepted and
 * pushes it through to its end as the people around it would (each call retried through the faults).
 * Adding a lifecycle to the load is one entry in `lifecycles` below.
 */
export interface Lifecycle {
  name: string;
  /** Items per scenario at SOAK=1. */
  items: number;
  /** Workflow types the API starts for this lifecycle (the verifier's visibility count). */
  workflowTypes: string[];
  prepare(ctx: LoadContext): Promise<(index: number) => Promise<void>>;
}

const today = () => new Date().toISOString().slice(0, 10);
const unique = () => randomUUID().slice(0, 8);

async function customer(ctx: LoadContext, overrides: Record<string, unknown> = {}) {
  const res = await ctx.expect(
    201,
    'POST',
    '/customers',
    {
      legalName: `Fiabilité ${unique()} SARL`,
      siren: '552100554',
      siret: '55210055400013',
      vatNumber: 'FR96552100554',
      billingEmail: `compta-${unique()}@reliability.example`,
      addressLine: '3 place du Marché',
      postalCode: '38000',
      city: 'Grenoble',
      paymentTermsDays: 30,
      creditLimitCents: 100_000_000,
      ...overrides,
    },
    { key: await ctx.h.keyFor('admin') },
  );
  return res.body as { id: string; billingEmail: string };
}

async function product(ctx: LoadContext, overrides: Record<string, unknown> = {}) {
  const res = await ctx.expect(
    201,
    'POST',
    '/products',
    { sku: `REL-${unique()}`, name: 'Circulateur', unitPriceCents: 12_500, vatRateBp: 2000, ...overrides },
    { key: await ctx.h.keyFor('admin') },
  );
  return res.body as { id: string; sku: string };
}

async function receive(ctx: LoadContext, sku: string, quantity: number, warehouseCode?: string) {
  await ctx.expect(
    201,
    'POST',
    '/stock/receipts',
    { sku, quantity, reference: `REC-${unique()}`, ...(warehouseCode ? { warehouseCode } : {}) },
    {
      key: await ctx.h.keyFor('operations'),
    },
  );
}

async function site(ctx: LoadContext, customerId: string, sector: string) {
  const res = await ctx.expect(
    201,
    'POST',
    '/sites',
    {
      customerId,
      name: `Chaufferie ${unique()}`,
      addressLine: '5 rue Garibaldi',
      postalCode: '69006',
      city: 'Lyon',
      sector,
    },
    { key: await ctx.h.keyFor('admin') },
  );
  return res.body as { id: string };
}

/** Order to cash: an order (every fourth over the credit limit, decided by racing link clicks), shipment, payment. */
const orders: Lifecycle = {
  name: 'orders',
  items: 12,
  workflowTypes: ['orderToCash'],
  async prepare(ctx) {
    const [ops, finance] = [await ctx.h.keyFor('operations'), await ctx.h.keyFor('finance')];
    const good = await customer(ctx);
    const overLimit = await customer(ctx, { creditLimitCents: 1_000 });
    const stocked = await product(ctx, { unitPriceCents: 45_000, vatRateBp: 550 });
    const service = await product(ctx, { stocked: false, unitPriceCents: 6_500, vatRateBp: 1000 });
    await receive(ctx, stocked.sku, 1000);
    const waitStep = (orderId: string, steps: string[]) => ctx.waitStep(`/orders/${orderId}`, steps, ops);

    return async (i) => {
      const risky = i % 4 === 3;
      const created = await ctx.expect(
        201,
        'POST',
        '/orders',
        {
          customerId: (risky ? overLimit : good).id,
          customerRef: `${ctx.tag}-${i}`,
          lines: [
            { sku: stocked.sku, quantity: 1 },
            { sku: service.sku, quantity: 1 },
          ],
        },
        { key: ops, headers: { 'Idempotency-Key': `${ctx.tag}-order-${i}` } },
      );
      const { orderId, workflowId } = created.body as { orderId: string; workflowId: string };
      ctx.accept({ lifecycle: 'orders', workflowId });
      if (risky) {
        const link = await ctx.approvalLink(
          ctx.h.env().CREDIT_CONTROLLER_EMAIL ?? 'credit@backoffice.local',
          new RegExp(`Credit approval for order ${orderId}`),
        );
        if (i % 8 === 7) {
          // Only scanned, then the order is cancelled: a click after the process moved on is told so (410) and changes nothing.
          // A retry after a lost answer joins the cancellation, or is told the order is already cancelled.
          await ctx.expect([200, 409], 'POST', `/orders/${orderId}/cancel`, { reason: 'Client parti ailleurs' }, { key: ops });
          await waitStep(orderId, ['cancelled']);
          const late = await ctx.lateDecision(link);
          if (late !== 410) throw new Error(`a decision on the withdrawn approval of ${orderId} answered ${late}`);
          return;
        }
        const decision = await ctx.decide(link, ['approved', 'rejected', 'approved']);
        if (decision === 'rejected') {
          await waitStep(orderId, ['rejected']);
          return;
        }
      }
      await waitStep(orderId, ['awaiting_shipment']);
      const shipped = await ctx.api('POST', `/orders/${orderId}/shipment`, { carrier: 'Geodis', trackingNumber: `GD-${i}` }, { key: ops });
      // A retry after a lost answer is told the shipment is already recorded (or being recorded): the step moves on.
      if (shipped.status === 409) await waitStep(orderId, ['awaiting_payment', 'paid']);
      else if (shipped.status !== 200) throw new Error(`shipment of ${orderId}: ${shipped.status} ${shipped.text}`);
      const invoiced = await waitStep(orderId, ['awaiting_payment']);
      await ctx.expect(
        202,
        'POST',
        `/orders/${orderId}/payments`,
        { reference: `VIR-${ctx.tag}-${i}`, amountCents: invoiced.process.amounts.dueCents, receivedOn: today() },
        { key: finance },
      );
      await waitStep(orderId, ['paid']);
    };
  },
};

/** Waits for a field job's steps and plays the technician's part, each update retried through the faults. */
function jobDriver(ctx: LoadContext, readKey: string, techKey: string) {
  const job = async (id: string) => (await ctx.expect(200, 'GET', `/interventions/${id}`, undefined, { key: readKey })).body;
  const waitStep = (id: string, steps: string[]) => ctx.waitStep(`/interventions/${id}`, steps, readKey);
  /**
   * An update the technician's app sends. A retry after a lost answer is refused (409) with the job
   * already past it; a refusal while the job still shows the step (the worker rebuilding the process
   * after a kill, see the SDK defect in docs/RELIABILITY.md) is tapped again, as a technician would.
   */
  const act = async (id: string, action: string, body: unknown, done: (job: any) => boolean) => {
    let res: HttpAnswer | undefined;
    for (let attempt = 0; attempt < 5; attempt++) {
      res = await ctx.api('POST', `/interventions/${id}/${action}`, body, { key: techKey });
      if (res.status === 200) return;
      if (res.status !== 409) break;
      if (await poll(async () => done(await job(id)), `${action} on ${id} to take effect`, 15_000).catch(() => false)) return;
    }
    throw new Error(`${action} on ${id}: ${res!.status} ${res!.text}`);
  };
  /** Accepted, checked in, reported and signed off by the technician it was given to. */
  const fieldWork = async (id: string, report: Record<string, unknown>) => {
    const assigned = await waitStep(id, ['awaiting_acceptance']);
    const technicianId = assigned.process.appointment.technicianId as string;
    await act(id, 'accept', { technicianId }, (j) => j.process.step !== 'awaiting_acceptance');
    await waitStep(id, ['accepted']);
    await act(id, 'check-in', { technicianId }, (j) => j.process.step !== 'accepted');
    await waitStep(id, ['in_progress']);
    await act(id, 'report', report, (j) => j.workDone !== null);
    await act(id, 'complete', { signedBy: 'M. Martin' }, (j) => j.signedBy !== null || j.process.step !== 'in_progress');
  };
  return { waitStep, fieldWork };
}

/** Technicians of one sector (one a job, so parallel jobs never wait on one person), each van holding `perVan` of the SKUs. */
async function technicians(ctx: LoadContext, sector: string, count: number, van: Record<string, number>) {
  for (let t = 0; t < count; t++) {
    const res = await ctx.expect(
      201,
      'POST',
      '/technicians',
      {
        name: `Tech ${unique()}`,
        email: `tech-${unique()}@reliability.example`,
        skills: ['heating'],
        sector,
        workingDays: [1, 2, 3, 4, 5, 6, 7],
        workStart: '00:00',
        workEnd: '23:59',
      },
      { key: await ctx.h.keyFor('admin') },
    );
    for (const [sku, quantity] of Object.entries(van)) await receive(ctx, sku, quantity, res.body.van.code);
  }
}

/** Intervention dispatch: a breakdown assigned, accepted, checked in, reported with a part from the van, signed off, its invoice paid. */
const interventions: Lifecycle = {
  name: 'interventions',
  items: 6,
  workflowTypes: ['interventionDispatch'],
  async prepare(ctx) {
    const [ops, tech, finance] = [await ctx.h.keyFor('operations'), await ctx.h.keyFor('technician'), await ctx.h.keyFor('finance')];
    const sector = `rel-${unique()}`;
    const c = await customer(ctx);
    const s = await site(ctx, c.id, sector);
    const part = await product(ctx, { name: 'Vanne 3 voies', unitPriceCents: 8_900 });
    const items = Math.max(1, Math.round(this.items * soak()));
    // Enough parts in every van for every job: the dispatch may give them all to one technician (ties go to the same one).
    await technicians(ctx, sector, items, { [part.sku]: items + 2 });
    const { waitStep, fieldWork } = jobDriver(ctx, ops, tech);

    return async (i) => {
      const created = await ctx.expect(
        201,
        'POST',
        '/interventions',
        { siteId: s.id, type: 'breakdown', priority: 'normal', description: `Panne ${ctx.tag} ${i}`, requiredSkills: ['heating'] },
        { key: ops, headers: { 'Idempotency-Key': `${ctx.tag}-job-${i}` } },
      );
      const { interventionId: id, workflowId } = created.body as { interventionId: string; workflowId: string };
      ctx.accept({ lifecycle: 'interventions', workflowId });
      await fieldWork(id, {
        workDone: 'Vanne remplacée, purge',
        labourMinutes: 45,
        travelMinutes: 15,
        parts: [{ sku: part.sku, quantity: 1 }],
      });
      const closed = await waitStep(id, ['closed']);
      const invoice = await ctx.expect(200, 'GET', `/invoices/${closed.invoiceId}`, undefined, { key: finance });
      await ctx.expect(
        202,
        'POST',
        `/invoices/${closed.invoiceId}/payments`,
        { reference: `VIR-${ctx.tag}-job-${i}`, amountCents: invoice.body.totalTtcCents, receivedOn: today() },
        { key: finance },
      );
      await poll(
        async () => (await ctx.expect(200, 'GET', `/invoices/${closed.invoiceId}`, undefined, { key: finance })).body.status === 'paid',
        `invoice ${closed.invoiceId} paid`,
        240_000,
      );
    };
  },
};

/** Service contracts: a contract started today, then terminated by the customer with no notice, so its process ends. */
const contracts: Lifecycle = {
  name: 'contracts',
  items: 4,
  workflowTypes: ['serviceContract'],
  async prepare(ctx) {
    const ops = await ctx.h.keyFor('operations');
    const c = await customer(ctx);
    const s = await site(ctx, c.id, `rel-${unique()}`);
    const read = async (id: string) => (await ctx.expect(200, 'GET', `/contracts/${id}`, undefined, { key: ops })).body;
    return async (i) => {
      const created = await ctx.expect(
        201,
        'POST',
        '/contracts',
        {
          customerId: c.id,
          title: `Contrat ${ctx.tag} ${i}`,
          accountManagerEmail: `am-${unique()}@reliability.example`,
          termStart: today(),
          priceCents: 120_000,
          billingRhythm: 'per_intervention',
          noticeDays: 0,
          siteIds: [s.id],
        },
        { key: ops, headers: { 'Idempotency-Key': `${ctx.tag}-contract-${i}` } },
      );
      const { contractId, workflowId } = created.body as { contractId: string; workflowId: string };
      ctx.accept({ lifecycle: 'contracts', workflowId });
      await poll(async () => (await read(contractId)).process?.term, `contract ${contractId} loaded`, 240_000);
      // The process takes updates once it has loaded its term ("starting; try again"): retried like a person would.
      await poll(
        async () => {
          const ended = await ctx.api(
            'POST',
            `/contracts/${contractId}/termination`,
            { by: 'customer', reason: 'Fin de test de fiabilité' },
            { key: ops },
          );
          if (ended.status === 200) return true;
          if (ended.status === 409 && /try again/.test(ended.text)) return false;
          if (ended.status === 409 && (await read(contractId)).status !== 'active') return true;
          throw new Error(`termination of ${contractId}: ${ended.status} ${ended.text}`);
        },
        `termination of ${contractId}`,
        240_000,
        1_000,
      );
      await poll(async () => (await read(contractId)).status === 'terminated', `contract ${contractId} terminated`, 240_000);
    };
  },
};

/** Contract billing runs: one month (its own year per scenario) with monthly contracts, approved by racing clicks, every invoice paid. */
const billingRuns: Lifecycle = {
  name: 'billing runs',
  items: 2,
  workflowTypes: ['billingRun'],
  async prepare(ctx) {
    const [ops, finance] = [await ctx.h.keyFor('operations'), await ctx.h.keyFor('finance')];
    const c = await customer(ctx);
    const s = await site(ctx, c.id, `rel-${unique()}`);
    return async (i) => {
      // Runs are once per month: each scenario and item bills a month of its own, far in the future.
      const period = `${2040 + ctx.index * 3}-${String(1 + i).padStart(2, '0')}`;
      for (let k = 0; k < 3; k++) {
        const created = await ctx.expect(
          201,
          'POST',
          '/contracts',
          {
            customerId: c.id,
            title: `Contrat mensuel ${ctx.tag} ${period} ${k}`,
            accountManagerEmail: `am-${unique()}@reliability.example`,
            termStart: `${period}-01`,
            priceCents: 120_000 + k * 12_000,
            billingRhythm: 'monthly',
            siteIds: [s.id],
          },
          { key: ops, headers: { 'Idempotency-Key': `${ctx.tag}-billed-${i}-${k}` } },
        );
        // Its term starts years from now on the contract clock: the process sleeps through the run.
        ctx.accept({ lifecycle: 'billing runs', workflowId: created.body.workflowId, expectRunning: true });
      }
      const started = await ctx.expect(202, 'POST', '/billing-runs', { period }, { key: finance });
      ctx.accept({ lifecycle: 'billing runs', workflowId: started.body.workflowId });
      const link = await ctx.approvalLink(ctx.h.settings.billingManager, new RegExp(`Approval needed: Contract billing run ${period}`));
      const decision = await ctx.decide(link, ['approved', 'approved']);
      if (decision !== 'approved') throw new Error(`billing run ${period}: ${decision}`);
      const done = await poll(
        async () => {
          const p = (await ctx.expect(200, 'GET', `/billing-runs/${period}`, undefined, { key: finance })).body;
          return p.phase === 'done' ? p : undefined;
        },
        `billing run ${period} done`,
        240_000,
      );
      const invoices = await ctx.h.prisma.invoice.findMany({ where: { sourceKey: { endsWith: `:${period}` }, sourceKind: 'contract' } });
      if (invoices.length !== done.issued) throw new Error(`billing run ${period}: ${invoices.length} invoices for ${done.issued} issued`);
      for (const inv of invoices) {
        await ctx.expect(
          202,
          'POST',
          `/invoices/${inv.id}/payments`,
          { reference: `VIR-${inv.number}`, amountCents: inv.totalTtcCents, receivedOn: today() },
          { key: finance },
        );
      }
    };
  },
};

/**
 * Warranty claims: an equipment under warranty repaired at no charge and claimed back from its supplier
 * (accepted, or rejected and absorbed), and every third one out of warranty, its quote accepted by link
 * and its invoice paid.
 */
const warrantyClaims: Lifecycle = {
  name: 'warranty claims',
  items: 4,
  workflowTypes: ['warrantyClaim'],
  async prepare(ctx) {
    const [ops, tech, finance] = [await ctx.h.keyFor('operations'), await ctx.h.keyFor('technician'), await ctx.h.keyFor('finance')];
    const sector = `rel-${unique()}`;
    const c = await customer(ctx);
    const s = await site(ctx, c.id, sector);
    const unit = await product(ctx, { name: 'Pompe à chaleur', unitPriceCents: 450_000, vatRateBp: 550, warrantyMonths: 24 });
    const part = await product(ctx, { name: 'Carte électronique', unitPriceCents: 12_000, purchaseCostCents: 8_000 });
    const items = Math.max(1, Math.round(this.items * soak()));
    await technicians(ctx, sector, items, { [part.sku]: items + 2 });
    const supplier = (
      await ctx.expect(
        201,
        'POST',
        '/suppliers',
        { name: `Fournisseur ${unique()}`, claimsEmail: `sav-${unique()}@supplier.example` },
        { key: ops },
      )
    ).body as { id: string };
    const { fieldWork } = jobDriver(ctx, ops, tech);
    const claim = async (id: string) => (await ctx.expect(200, 'GET', `/warranty-claims/${id}`, undefined, { key: ops })).body;
    const waitStep = (id: string, steps: string[]) => ctx.waitStep(`/warranty-claims/${id}`, steps, ops);

    return async (i) => {
      const covered = i % 3 !== 2;
      const serialNumber = `REL-${ctx.tag}-${i}`;
      await ctx.expect(
        [201, 409],
        'POST',
        '/equipment',
        {
          serialNumber,
          model: 'Pompe à chaleur',
          sku: unit.sku,
          customerId: c.id,
          siteId: s.id,
          supplierId: supplier.id,
          installedOn: covered ? new Date(Date.now() - 100 * 86_400_000).toISOString().slice(0, 10) : '2015-06-01',
        },
        { key: ops, headers: { 'Idempotency-Key': `${ctx.tag}-equipment-${i}` } },
      );
      const created = await ctx.expect(
        201,
        'POST',
        '/warranty-claims',
        {
          serialNumber,
          customerId: c.id,
          fault: `Défaut haute pression ${ctx.tag} ${i}`,
          requiredSkills: ['heating'],
          estimate: { labourMinutes: 30, parts: [{ sku: part.sku, quantity: 1 }] },
        },
        { key: ops, headers: { 'Idempotency-Key': `${ctx.tag}-claim-${i}` } },
      );
      const { claimId, workflowId } = created.body as { claimId: string; workflowId: string };
      ctx.accept({ lifecycle: 'warranty claims', workflowId });
      if (!covered) {
        // The quote leaves after the decision window; the customer accepts it by link.
        const link = await ctx.approvalLink(c.billingEmail, /^Devis DV-/);
        const decision = await ctx.decide(link, ['approved']);
        if (decision !== 'approved') throw new Error(`quote of claim ${claimId}: ${decision}`);
      }
      const repair = await poll(
        async () => (await claim(claimId)).repairInterventionId as string | null,
        `the repair of ${claimId}`,
        240_000,
      );
      await fieldWork(repair, {
        workDone: 'Carte remplacée',
        labourMinutes: 30,
        travelMinutes: 15,
        parts: [{ sku: part.sku, quantity: 1 }],
      });
      if (covered) {
        await waitStep(claimId, ['awaiting_supplier', 'closed']);
        const answer = i % 2 === 0 ? { outcome: 'accepted' } : { outcome: 'rejected', reason: 'Hors conditions' };
        const res = await ctx.api(
          'POST',
          `/warranty-claims/${claimId}/supplier-answer`,
          { reference: `RG-ANS-${i}`, ...answer },
          {
            key: finance,
            headers: { 'Idempotency-Key': `${ctx.tag}-supplier-${i}` },
          },
        );
        if (res.status !== 200 && res.status !== 409) throw new Error(`supplier answer of ${claimId}: ${res.status} ${res.text}`);
      } else {
        const settled = await waitStep(claimId, ['closed']);
        const invoiceId = settled.process.invoices[0].id as string;
        const invoice = await ctx.expect(200, 'GET', `/invoices/${invoiceId}`, undefined, { key: finance });
        await ctx.expect(
          202,
          'POST',
          `/invoices/${invoiceId}/payments`,
          { reference: `VIR-${ctx.tag}-claim-${i}`, amountCents: invoice.body.totalTtcCents, receivedOn: today() },
          { key: finance },
        );
      }
      await waitStep(claimId, ['closed']);
    };
  },
};

/** Every lifecycle of the mixed load; one entry adds a lifecycle. */
export const lifecycles: Lifecycle[] = [orders, interventions, contracts, billingRuns, warrantyClaims];

/** SOAK=n multiplies the items of every lifecycle (default 1). */
export const soak = () => Math.max(0.25, Number(process.env.SOAK ?? 1));

/**
 * Runs the mixed load of a scenario: every lifecycle's items, started a little apart so the faults land
 * on processes at every step. Resolves when every item reached its end (or failed: in `ctx.errors`).
 */
export async function runLoad(ctx: LoadContext, { spreadMs = 30_000, only }: { spreadMs?: number; only?: string[] } = {}): Promise<void> {
  const chosen = lifecycles.filter((l) => !only || only.includes(l.name));
  const drivers = await Promise.all(chosen.map(async (l) => ({ l, item: await l.prepare(ctx) })));
  const jobs: Promise<void>[] = [];
  for (const { l, item } of drivers) {
    const n = Math.max(1, Math.round(l.items * soak()));
    for (let i = 0; i < n; i++) {
      const delay = Math.round((spreadMs * soak() * (i + 0.5)) / n);
      jobs.push(
        new Promise((r) => setTimeout(r, delay))
          .then(() => item(i))
          .catch((err: Error) => {
            ctx.errors.push(`${l.name} #${i}: ${err.message}`);
          }),
      );
    }
  }
  await Promise.all(jobs);
}
