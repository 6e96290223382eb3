import { randomUUID } from 'node:crypto';
import { isoDate } from '../../domain/contracts';
import type { ContractProcessStatus } from '../../workflows/service-contract.definitions';
import type { InterventionStatus } from '../../workflows/intervention-dispatch.definitions';
import { createContract, createCustomer, createSite, createTechnician } from '../helpers/fixtures';
import { startStack, type Stack } from '../helpers/stack';
import { waitUntil } from '../helpers/wait';

// One contract day = 0.2 s: a monthly visit's window lasts about 6 s.
describe('preventive visits of a service contract', () => {
  let stack: Stack;
  let tech: string;
  beforeAll(async () => {
    stack = await startStack({ DAY_MS: '200' });
    tech = await stack.keyFor('technician');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const processOf = async (id: string): Promise<ContractProcessStatus> => (await stack.api('GET', `/contracts/${id}`)).body.process;
  const visitsOf = async (id: string) =>
    (await stack.api('GET', `/contracts/${id}/visits`)).body.items as { status: string; interventionId: string | null }[];
  const job = async (id: string): Promise<InterventionStatus> => (await stack.api('GET', `/interventions/${id}`)).body.process;
  const act = async (id: string, action: string, body: unknown) => {
    const res = await stack.api('POST', `/interventions/${id}/${action}`, body, { key: tech });
    if (res.status !== 200) throw new Error(`${action}: ${res.status} ${res.text}`);
  };

  it('starts each visit as a covered field job when due, flags the one not done as overdue, and stops at notice', async () => {
    const sector = `sector-${randomUUID().slice(0, 6)}`;
    const customer = await createCustomer(stack);
    const site = await createSite(stack, customer.id, sector);
    const technician = await createTechnician(stack, sector);
    const accountManager = `am-${randomUUID().slice(0, 8)}@backoffice.example`;
    const { contractId, workflowId } = await createContract(stack, customer.id, [site.id], {
      termStart: isoDate(Date.now()),
      accountManagerEmail: accountManager,
      billingRhythm: 'yearly',
      noticeDays: 0,
      slaHours: { critical: 2, high: 4, normal: 12, low: 48 },
      plan: [{ siteId: site.id, label: 'Entretien chaudière', visitsPerYear: 12, skills: ['heating'], durationMinutes: 60 }],
    });

    // Visit 1 is due on the first day: a preventive job, covered by the contract, done within its window.
    const first = await waitUntil(async () => (await visitsOf(contractId))[0]?.interventionId, { what: 'the first visit to start' });
    const started = await waitUntil(async () => ((await job(first))?.step === 'awaiting_acceptance' ? job(first) : undefined), {
      what: 'the visit to be assigned',
    });
    expect(started.appointment?.technicianId).toBe(technician.id);
    await act(first, 'accept', { technicianId: technician.id });
    await act(first, 'check-in', { technicianId: technician.id });
    await act(first, 'report', {
      workDone: 'Entretien annuel, nettoyage du corps de chauffe.',
      labourMinutes: 60,
      travelMinutes: 20,
      parts: [],
    });
    await act(first, 'complete', { signedBy: 'Mme Roux' });
    const row = (await stack.api('GET', `/interventions/${first}`)).body;
    expect(row).toMatchObject({ type: 'preventive_visit', coverageKind: 'contract', coverageRef: contractId });
    await waitUntil(async () => (await job(first))?.step === 'closed', { what: 'the visit to close' });
    expect((await job(first)).billing).toBe('covered');

    // A breakdown on the covered site gets the contract's response time (2 h for critical, a day being 0.2 s).
    const breakdown = await stack.api('POST', '/interventions', {
      siteId: site.id,
      type: 'breakdown',
      priority: 'critical',
      description: 'Fuite',
    });
    const triaged = await waitUntil(async () => {
      const b = (await stack.api('GET', `/interventions/${breakdown.body.interventionId}`)).body;
      return b.slaDeadline ? b : undefined;
    });
    expect(Date.parse(triaged.slaDeadline) - Date.parse(triaged.createdAt)).toBeCloseTo((2 * 200) / 24, -0.5);
    await stack.api('POST', `/interventions/${breakdown.body.interventionId}/cancel`, { reason: 'Réparée par le client' });

    // Visit 2 starts a window later and nobody does it: overdue, and the account manager is told.
    const overdue = await stack.mail.waitFor(accountManager, /^Overdue preventive visit/, 60_000);
    expect(overdue.text).toContain('Entretien chaudière');
    const status = await waitUntil(async () => {
      const s = await processOf(contractId);
      return s.visits.overdue >= 1 && s.visits.done >= 1 ? s : undefined;
    });
    expect(status).toMatchObject({ step: 'active', visits: { planned: 12, done: 1 } });
    expect(status.nextVisit).toBeDefined();
    expect((await visitsOf(contractId)).slice(0, 2).map((v) => v.status)).toEqual(['done', 'overdue']);

    // Notice without delay (the contract's notice period is 0 days): the contract ends, the visits left are cancelled.
    const notice = await stack.api('POST', `/contracts/${contractId}/termination`, { by: 'customer', reason: 'Vente du bâtiment' });
    expect(notice.status).toBe(200);
    expect(notice.body.step).toBe('ending');
    const result = await stack.temporal.workflow.getHandle(workflowId).result();
    expect(result.step).toBe('terminated');
    await stack.mail.waitFor(customer.billingEmail, /^Fin du contrat/);
    const contract = (await stack.api('GET', `/contracts/${contractId}`)).body;
    expect(contract).toMatchObject({ status: 'terminated', endReason: expect.stringMatching(/^Résiliation par le client/) });
    expect(contract.visits.cancelled).toBeGreaterThan(0);
    expect((await stack.api('POST', `/contracts/${contractId}/termination`, { by: 'customer', reason: 'again' })).status).toBe(409);
  });
});
