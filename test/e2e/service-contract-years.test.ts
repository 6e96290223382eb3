import { addMonths, isoDate } from '../../domain/contracts';
import type { ContractProcessStatus } from '../../workflows/service-contract.definitions';
import { createContract, createCustomer, createSite, recordHistory } from '../helpers/fixtures';
import { startStack, type Stack } from '../helpers/stack';
import { waitUntil } from '../helpers/wait';

// One contract day = 10 ms: a yearly term lasts 3.65 s, ten of them well under a minute.
describe('a service contract over ten years', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ DAY_MS: '10', RENEWAL_LEAD_DAYS: '30', RENEWAL_APPROVAL_DAYS: '5', CONTRACT_MAX_HISTORY_EVENTS: '200' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('continues as new at every term, carrying its state, with every run far below the history limits', async () => {
    const customer = await createCustomer(stack);
    const site = await createSite(stack, customer.id, 'ain');
    const termStart = isoDate(Date.now());
    const { contractId, workflowId } = await createContract(stack, customer.id, [site.id], {
      termStart,
      // Billing runs, not the contract's process, invoice: yearly keeps this contract out of other files' monthly runs.
      billingRhythm: 'yearly',
      noticeDays: 30,
      renewal: { rule: 'uplift', upliftBp: 200 },
      plan: [{ siteId: site.id, label: 'Visite semestrielle', visitsPerYear: 2, skills: ['nobody-has-this'], durationMinutes: 60 }],
    });
    const status = await waitUntil(
      async () => {
        const s: ContractProcessStatus = (await stack.api('GET', `/contracts/${contractId}`)).body.process;
        return s && s.term.number >= 11 ? s : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500, what: 'ten renewals' },
    );
    // Nobody answers: the account manager's silence keeps the contract's rule, the customer's renews tacitly.
    expect(status.history).toHaveLength(10);
    expect(status.history.every((h) => h.outcome === 'tacitly_renewed')).toBe(true);
    let price = 120_000;
    for (const h of status.history) expect(h.priceCents).toBe((price = Math.round((price * 10_200) / 10_000)));
    expect(status.term.start).toBe(addMonths(termStart, 120));
    // Visits of every term were planned and, never done, counted as overdue across runs.
    expect(status.visits.overdueAllTerms).toBeGreaterThanOrEqual(20);

    const runs = [];
    for await (const run of stack.temporal.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push(run);
    const events = runs
      .filter((r) => r.status.name !== 'RUNNING')
      .map((r) => r.historyLength)
      .sort((a, b) => a - b);
    console.log(`serviceContract: ${runs.length} runs for 10 years; events per finished run: min ${events[0]}, max ${events.at(-1)}`);
    expect(runs.length).toBeGreaterThanOrEqual(11);
    expect(events.at(-1)).toBeLessThan(1000);
    await recordHistory(stack, workflowId, 'service-contract-years');
  });
});
