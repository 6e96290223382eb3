import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { addDays, addMonths, isoDate } from '../../domain/contracts';
import type { ContractProcessStatus } from '../../workflows/service-contract.definitions';
import { decideByLink, linkIn } from '../helpers/approvals';
import { launchBrowser } from '../helpers/browser';
import { createContract, createCustomer, createSite, recordHistory } from '../helpers/fixtures';
import { startStack, type Stack } from '../helpers/stack';
import { waitUntil } from '../helpers/wait';

// One contract day = 2 s. Each contract's term ends 20 days (40 s) after it is created, with 5 days
// of notice and a renewal starting 10 days before the refusal deadline: the proposal starts after
// 10 s, the account manager has 4 days (8 s), the customer can refuse until 30 s, the term ends at 40 s.
const DAY_MS = 2000;

describe('renewal of a service contract', () => {
  let stack: Stack;
  let browser: Browser;
  // Concurrent tests start before beforeAll hooks run: they await the stack themselves.
  const ready = Promise.all([
    startStack({ DAY_MS: String(DAY_MS), RENEWAL_LEAD_DAYS: '10', RENEWAL_APPROVAL_DAYS: '4' }),
    launchBrowser(),
  ]).then(([s, b]) => {
    [stack, browser] = [s, b];
  });
  afterAll(async () => {
    await ready.catch(() => undefined);
    await browser?.close();
    await stack?.stop();
  });

  /** A contract whose term ends in 20 days, renewed at +5 %. */
  async function endingSoon(overrides: Record<string, unknown> = {}, customerOverrides: Record<string, unknown> = {}) {
    await ready;
    const customer = await createCustomer(stack, customerOverrides);
    const site = await createSite(stack, customer.id, 'loire');
    const accountManager = `am-${randomUUID().slice(0, 8)}@backoffice.example`;
    const termEnd = addDays(isoDate(Date.now()), 20);
    const contract = await createContract(stack, customer.id, [site.id], {
      termStart: addMonths(termEnd, -12),
      billingRhythm: 'yearly',
      noticeDays: 5,
      priceCents: 200_000,
      renewal: { rule: 'uplift', upliftBp: 500 },
      accountManagerEmail: accountManager,
      ...overrides,
    });
    return { ...contract, customer, accountManager, termEnd };
  }
  const processOf = async (id: string): Promise<ContractProcessStatus> => (await stack.api('GET', `/contracts/${id}`)).body.process;
  const waitForRun = (id: string, run: number) =>
    waitUntil(async () => ((await processOf(id))?.run === run && (await processOf(id)).term.number > 0 ? processOf(id) : undefined), {
      what: `run ${run} of contract ${id}`,
      timeoutMs: 60_000,
    });

  it.concurrent('is approved by the account manager and accepted by the customer in a real browser: a new term', async () => {
    const c = await endingSoon();
    const proposal = await stack.mail.waitFor(c.accountManager, /^Approval needed: Renewal proposal/, 30_000);
    const page = await browser.newPage();
    await page.goto(linkIn(proposal.text!));
    const table = await page.locator('table').textContent();
    expect(table).toMatch(/Prix annuel HT actuel2\s000,00/);
    expect(table).toMatch(/Prix annuel HT proposé2\s100,00/); // +5 %
    await page.click('button[value=approved]');
    await expect(page.locator('h1').textContent()).resolves.toBe('Decision recorded');

    const offer = await stack.mail.waitFor(c.customer.billingEmail, /^Renouvellement de votre contrat/, 30_000);
    expect(offer.text).not.toContain('L215-1'); // a business customer
    await page.goto(linkIn(offer.text!));
    await page.click('button:has-text("Accepter le renouvellement")');
    await expect(page.locator('h1').textContent()).resolves.toBe('Decision recorded');
    await page.close();
    expect((await processOf(c.contractId)).renewal).toMatchObject({ step: 'decided', outcome: 'renewed', proposedPriceCents: 210_000 });
    await stack.mail.waitFor(c.customer.billingEmail, /renouvellement$/);

    // At the end of the term the same process goes on, as a new run with its state carried over.
    const next = await waitForRun(c.contractId, 2);
    expect(next).toMatchObject({
      step: 'active',
      term: { number: 2, start: c.termEnd },
      history: [{ term: 1, outcome: 'renewed', priceCents: 210_000 }],
    });
    const contract = (await stack.api('GET', `/contracts/${c.contractId}`)).body;
    expect(contract).toMatchObject({ termNumber: 2, priceCents: 210_000, status: 'active' });
    expect(contract.terms.map((t: { outcome: string | null }) => t.outcome)).toEqual(['renewed', null]);
    expect(contract.versions.at(-1)).toMatchObject({ priceCents: 210_000, reason: 'Renouvellement accepté' });
    await recordHistory(stack, c.workflowId, 'service-contract-renewed');
  });

  it.concurrent('ends at its term when the customer refuses through the API', async () => {
    const c = await endingSoon({ tacitRenewal: false });
    const proposal = await stack.mail.waitFor(c.accountManager, /^Approval needed: Renewal proposal/, 30_000);
    expect((await stack.api('POST', `/contracts/${c.contractId}/renewal-decision`, { decision: 'refused' })).status).toBe(409);
    await decideByLink(linkIn(proposal.text!), 'approved');
    await stack.mail.waitFor(c.customer.billingEmail, /^Renouvellement de votre contrat/, 30_000);
    expect((await processOf(c.contractId)).waitingFor).toBe('customer');
    const refused = await stack.api('POST', `/contracts/${c.contractId}/renewal-decision`, {
      decision: 'refused',
      comment: 'Par téléphone',
    });
    expect(refused.status).toBe(202);
    const ending = await waitUntil(async () => ((await processOf(c.contractId)).step === 'ending' ? processOf(c.contractId) : undefined));
    expect(ending).toMatchObject({ renewal: { outcome: 'refused' }, endDate: c.termEnd, waitingFor: 'next_date' });
    await stack.mail.waitFor(c.customer.billingEmail, /fin à échéance$/);

    const result = await stack.temporal.workflow.getHandle(c.workflowId).result();
    expect(result).toMatchObject({ step: 'terminated', run: 1 });
    expect((await stack.api('GET', `/contracts/${c.contractId}`)).body).toMatchObject({ status: 'terminated', renewalStatus: 'refused' });
    await stack.mail.waitFor(c.accountManager, /^Fin du contrat/);
  });

  it.concurrent('renews tacitly when nobody answers, after telling a consumer of the right to refuse (loi Chatel)', async () => {
    const c = await endingSoon({}, { isBusiness: false, siren: undefined, siret: undefined, vatNumber: undefined });
    await stack.mail.waitFor(c.accountManager, /^Reminder: approval still needed: Renewal proposal/, 30_000);
    const offer = await stack.mail.waitFor(c.customer.billingEmail, /^Renouvellement de votre contrat/, 30_000);
    expect(offer.text).toContain("Conformément à l'article L215-1 du Code de la consommation");
    expect(offer.text).toContain(`jusqu'au ${addDays(c.termEnd, -5).split('-').reverse().join('/')}`);
    const term = await stack.prisma.contractTerm.findFirstOrThrow({ where: { contractId: c.contractId, number: 1 } });
    expect(term.legalNoticeSentAt).not.toBeNull();

    const next = await waitForRun(c.contractId, 2);
    expect(next.history).toEqual([{ term: 1, outcome: 'tacitly_renewed', priceCents: 210_000 }]);
    const approvals = await stack.prisma.approval.findMany({ where: { workflowId: c.workflowId }, orderBy: { createdAt: 'asc' } });
    expect(approvals.map((a) => [a.step, a.status])).toEqual([
      ['renewal_account_manager', 'expired'],
      ['renewal_customer', 'expired'],
    ]);
    await stack.mail.waitFor(c.customer.billingEmail, /renouvellement$/);
  });
});
