import { randomUUID } from 'node:crypto';
import type { BillingRunProgress } from '../../workflows/billing-run.definitions';
import { ensureSchedules, BILLING_SCHEDULE_ID } from '../../infra/schedules';
import { decideByLink, linkIn } from '../helpers/approvals';
import { createContract, createCustomer, createSite, recordHistory } from '../helpers/fixtures';
import { pdfText } from '../helpers/pdf';
import { startStack, type Stack } from '../helpers/stack';
import { waitUntil } from '../helpers/wait';

// Contracts of 2031 (only this file bills that year): their processes sleep, the runs do the work.
describe('contract billing runs', () => {
  let stack: Stack;
  let finance: string;
  const manager = `billing-${randomUUID().slice(0, 8)}@backoffice.example`;
  beforeAll(async () => {
    stack = await startStack({
      BILLING_MANAGER_EMAIL: manager,
      BILLING_PAGE_SIZE: '2',
      BILLING_BATCH_SIZE: '2',
      BILLING_EMAILS_PER_MINUTE: '6000',
    });
    finance = await stack.keyFor('finance');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const progress = async (period: string): Promise<BillingRunProgress> =>
    (await stack.api('GET', `/billing-runs/${period}`, undefined, { key: finance })).body;
  const waitForPhase = (period: string, phase: BillingRunProgress['phase']) =>
    waitUntil(async () => ((await progress(period))?.phase === phase ? progress(period) : undefined), {
      what: `billing run ${period} ${phase}`,
    });
  const start = (period: string) => stack.api('POST', '/billing-runs', { period }, { key: finance });
  /** Starts the run, approves it by the emailed link and waits until every invoice is sent. */
  async function runAndApprove(period: string): Promise<BillingRunProgress> {
    expect((await start(period)).status).toBe(202);
    const review = await waitForPhase(period, 'awaiting_approval');
    const mail = await stack.mail.waitFor(manager, new RegExp(`Approval needed: Contract billing run ${period}`));
    expect(mail.text).toContain(`Invoices drafted: ${review.drafted}`);
    await decideByLink(linkIn(mail.text!), 'approved');
    return waitForPhase(period, 'done');
  }
  const invoicesOf = (contractId: string) =>
    stack.prisma.invoice.findMany({
      where: { sourceKey: { startsWith: `contract:${contractId}:` } },
      include: { lines: { orderBy: { position: 'asc' } } },
      orderBy: { sequence: 'asc' },
    });

  it('invoices monthly contracts across periods after approval, once each, and prorates an amendment on the next invoice', async () => {
    const customer = await createCustomer(stack);
    const site = await createSite(stack, customer.id, 'rhone');
    const monthly = await createContract(stack, customer.id, [site.id]);
    const quarterly = await createContract(stack, customer.id, [site.id], {
      billingRhythm: 'quarterly',
      billingTiming: 'in_arrears',
      priceCents: 360_000,
    });
    const perJob = await createContract(stack, customer.id, [site.id], { billingRhythm: 'per_intervention' });

    // January: drafts reviewed before anything is issued; starting the month again does nothing new.
    expect((await start('2031-01')).status).toBe(202);
    const review = await waitForPhase('2031-01', 'awaiting_approval');
    expect(review).toMatchObject({ drafted: 1, totalHtCents: 10_000, totalTtcCents: 12_000, issued: 0 });
    expect(review.pages).toBeGreaterThanOrEqual(2); // pages of 2 contracts
    expect(await stack.prisma.invoice.count({ where: { customerId: customer.id } })).toBe(0);
    expect((await start('2031-01')).body).toMatchObject({ started: false });
    const mail = await stack.mail.waitFor(manager, /Approval needed: Contract billing run 2031-01/);
    expect(mail.text).toContain('Total HT: 100,00');
    await decideByLink(linkIn(mail.text!), 'approved', 'Vérifié');
    const january = await waitForPhase('2031-01', 'done');
    expect(january).toMatchObject({ drafted: 1, issued: 1, sent: 1, approval: { decision: 'approved', decidedBy: manager } });
    const [janInvoice] = await invoicesOf(monthly.contractId);
    expect(janInvoice).toMatchObject({ sourceKind: 'contract', totalHtCents: 10_000, totalTtcCents: 12_000 });
    expect(janInvoice.lines[0].description).toMatch(/période du 01\/01\/2031 au 31\/01\/2031$/);
    const emailed = await stack.mail.waitFor(customer.billingEmail, new RegExp(`^Facture ${janInvoice.number}`));
    const pdf = await pdfText(emailed.attachments[0].content);
    expect(pdf).toContain(janInvoice.number);
    // Its collection (dunning) runs as its own process.
    await waitUntil(
      async () => (await stack.temporal.workflow.getHandle(`invoice-${janInvoice.id}`).describe()).status.name === 'RUNNING',
      {
        what: 'the collection process',
      },
    );

    // February, then an amendment from 15 February (after February was billed): March carries the difference.
    await runAndApprove('2031-02');
    const amended = await stack.api('POST', `/contracts/${monthly.contractId}/amendments`, {
      effectiveFrom: '2031-02-15',
      priceCents: 240_000,
      reason: 'Ajout de la pompe à chaleur',
    });
    expect(amended.status).toBe(200);
    const outside = await stack.api('POST', `/contracts/${monthly.contractId}/amendments`, {
      effectiveFrom: '2033-01-01',
      priceCents: 1,
      reason: 'x',
    });
    expect(outside.status).toBe(409);
    expect(outside.body.detail).toMatch(/within the current term/);
    await stack.mail.waitFor(customer.billingEmail, /^Avenant à votre contrat/);
    await runAndApprove('2031-03');
    const march = (await invoicesOf(monthly.contractId)).at(-1)!;
    expect(march.lines.map((l) => [l.description, l.totalHtCents])).toEqual([
      [expect.stringContaining('période du 01/03/2031 au 31/03/2031'), 20_000],
      [
        'Régularisation prorata temporis (avenant), période du 01/02/2031 au 28/02/2031',
        Math.round((20_000 * 14) / 28) - Math.round((10_000 * 14) / 28),
      ],
    ]);

    // April: the quarterly contract's first quarter, in arrears, beside the monthly one.
    const april = await runAndApprove('2031-04');
    expect(april.issued).toBe(2);
    const [q1] = await invoicesOf(quarterly.contractId);
    expect(q1).toMatchObject({ totalHtCents: 90_000 });
    expect(await invoicesOf(perJob.contractId)).toEqual([]);

    // Each contract and month invoiced exactly once, numbers in one gapless series.
    const all = await stack.prisma.invoice.findMany({ where: { customerId: customer.id }, orderBy: { number: 'asc' } });
    expect(all.map((i) => i.sourceKey)).toEqual([...new Set(all.map((i) => i.sourceKey))]);
    expect(all).toHaveLength(5);
    await recordHistory(stack, 'billing-2031-04', 'billing-run-approved');
  });

  it('discards the drafts of a rejected run, and drafts again when asked', async () => {
    const customer = await createCustomer(stack);
    const site = await createSite(stack, customer.id, 'rhone');
    await createContract(stack, customer.id, [site.id], { termStart: '2031-06-01', priceCents: 60_000 });
    expect((await start('2031-06')).status).toBe(202);
    await waitForPhase('2031-06', 'awaiting_approval');
    const mail = await stack.mail.waitFor(manager, /Approval needed: Contract billing run 2031-06/);
    expect((await stack.api('POST', '/billing-runs/2031-06/redraft', undefined, { key: finance })).status).toBe(409);
    await decideByLink(linkIn(mail.text!), 'rejected', 'Prix à revoir');
    const rejected = await waitForPhase('2031-06', 'rejected');
    expect(rejected).toMatchObject({ drafted: 0, issued: 0 });
    expect(await stack.prisma.billingDraft.count({ where: { period: '2031-06' } })).toBe(0);
    expect(await stack.prisma.invoice.count({ where: { customerId: customer.id } })).toBe(0);

    const redraft = await stack.api('POST', '/billing-runs/2031-06/redraft', undefined, { key: finance });
    expect(redraft.status).toBe(200);
    expect(redraft.body.phase).not.toBe('rejected');
    await waitForPhase('2031-06', 'awaiting_approval');
    const again = await waitUntil(() => stack.mail.to(manager, /Approval needed: Contract billing run 2031-06/)[1], {
      what: 'a second approval email',
    });
    await decideByLink(linkIn(again.text!), 'approved');
    await waitForPhase('2031-06', 'done');
    expect(await stack.prisma.invoice.findMany({ where: { customerId: customer.id } })).toEqual([
      expect.objectContaining({ sourceKind: 'contract', totalHtCents: 5_000 }),
    ]);
  });

  it('is started by the monthly Temporal Schedule, which never starts a month twice', async () => {
    await ensureSchedules(stack.temporal, stack.config);
    await ensureSchedules(stack.temporal, stack.config); // again: updated, not duplicated
    const schedule = stack.temporal.schedule.getHandle(BILLING_SCHEDULE_ID);
    try {
      const description = await schedule.describe();
      expect(description.spec.calendars?.[0]).toMatchObject({ dayOfMonth: [{ start: 1, end: 1, step: 1 }] });
      const period = new Date().toISOString().slice(0, 7);
      await schedule.trigger();
      await waitUntil(async () => (await stack.api('GET', `/billing-runs/${period}`, undefined, { key: finance })).status === 200, {
        what: `the scheduled run of ${period}`,
      });
      await schedule.trigger();
      await waitUntil(async () => (await schedule.describe()).info.recentActions.length >= 2, { what: 'the second scheduled action' });
      const [first, second] = await Promise.all(
        (await schedule.describe()).info.recentActions
          .slice(0, 2)
          .map((a) => stack.temporal.workflow.getHandle(a.action.workflow.workflowId, a.action.workflow.firstExecutionRunId).result()),
      );
      expect([first, second].sort()).toEqual([`billing-${period} already exists`, `started billing-${period}`]);
    } finally {
      await schedule.delete();
    }
  });
});
