import { randomUUID } from 'node:crypto';
import type { InterventionStatus } from '../../workflows/intervention-dispatch.definitions';
import { createCustomer, createProduct, createSite, createTechnician, recordHistory } from '../helpers/fixtures';
import { pdfText } from '../helpers/pdf';
import { startStack, type Stack } from '../helpers/stack';
import { waitUntil } from '../helpers/wait';

// One hour = 1 s: a critical job's SLA (2 h) runs out in 2 s, a normal one (24 h) in 24 s.
const DAY_MS = 24_000;

describe('intervention dispatch through the HTTP API', () => {
  let stack: Stack;
  let tech: string;
  let dispatcher: string;
  let finance: string;
  beforeAll(async () => {
    stack = await startStack({ DAY_MS: String(DAY_MS), SLA_HOURS: 'critical:2,high:8,normal:24,low:72' });
    [tech, dispatcher, finance] = await Promise.all([stack.keyFor('technician'), stack.keyFor('dispatcher'), stack.keyFor('finance')]);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const sector = () => `sector-${randomUUID().slice(0, 6)}`;
  const status = async (id: string): Promise<InterventionStatus> => (await stack.api('GET', `/interventions/${id}`)).body.process;
  const waitForStep = (id: string, step: string) =>
    waitUntil(async () => ((await status(id))?.step === step ? status(id) : undefined), { what: `intervention ${id} at ${step}` });
  const act = async (id: string, action: string, body: unknown, key = tech) => {
    const res = await stack.api('POST', `/interventions/${id}/${action}`, body, { key });
    if (res.status !== 200) throw new Error(`${action}: ${res.status} ${res.text}`);
    return res.body as InterventionStatus;
  };
  const createJob = async (siteId: string, overrides: Record<string, unknown> = {}) => {
    const res = await stack.api('POST', '/interventions', {
      siteId,
      type: 'breakdown',
      priority: 'normal',
      description: 'Chaudière en panne, plus d’eau chaude',
      requiredSkills: ['heating'],
      ...overrides,
    });
    if (res.status !== 201) throw new Error(`intervention: ${res.status} ${res.text}`);
    return res.body as { interventionId: string; workflowId: string };
  };

  it('takes a breakdown from request to an emailed invoice: assigned, accepted, checked in, parts from the van', async () => {
    const s = sector();
    const customer = await createCustomer(stack);
    const site = await createSite(stack, customer.id, s);
    const part = await createProduct(stack, { name: 'Vanne 3 voies', unitPriceCents: 8_900, vatRateBp: 2000 });
    const technician = await createTechnician(stack, s, { van: { [part.sku]: 5 } });
    const { interventionId, workflowId } = await createJob(site.id);

    const assigned = await waitForStep(interventionId, 'awaiting_acceptance');
    expect(assigned.appointment?.technicianId).toBe(technician.id);
    const toTech = await stack.mail.waitFor(technician.email, /New job|Rendez-vous/);
    const toCustomer = await stack.mail.waitFor(customer.billingEmail, /^Rendez-vous d'intervention/);
    for (const mail of [toTech, toCustomer]) {
      const ics = mail.attachments.find((a) => a.contentType.startsWith('text/calendar'));
      expect(ics?.content.toString()).toContain('BEGIN:VEVENT');
      expect(ics?.content.toString()).toContain(`UID:intervention-${interventionId}`);
    }

    // Updates answer once the process has acted on them.
    expect((await act(interventionId, 'accept', { technicianId: technician.id })).step).toBe('accepted');
    const early = await stack.api('POST', `/interventions/${interventionId}/complete`, { signedBy: 'M. Martin' }, { key: tech });
    expect(early.status).toBe(409); // no completing a job never checked in
    expect((await act(interventionId, 'check-in', { technicianId: technician.id })).step).toBe('in_progress');
    const tooMany = await stack.api(
      'POST',
      `/interventions/${interventionId}/report`,
      { workDone: 'x', labourMinutes: 10, travelMinutes: 5, parts: [{ sku: part.sku, quantity: 9 }] },
      { key: tech },
    );
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors[0]).toEqual({ path: 'body.parts.0.quantity', message: `The van holds 5 of ${part.sku}` });
    await act(interventionId, 'report', {
      workDone: 'Remplacement de la vanne 3 voies,\nremise en eau et purge.',
      labourMinutes: 90,
      travelMinutes: 30,
      parts: [{ sku: part.sku, quantity: 2 }],
    });
    expect(['closing', 'billing', 'closed']).toContain((await act(interventionId, 'complete', { signedBy: 'M. Martin' })).step);

    const invoiceMail = await stack.mail.waitFor(customer.billingEmail, /^Facture FA-/);
    const report = await stack.mail.waitFor(customer.billingEmail, /^Rapport d'intervention/);
    expect(await pdfText(report.attachments[0].content)).toContain('M. Martin');
    const text = await pdfText(invoiceMail.attachments[0].content);
    // 90 min at 75.00 + 45.00 travel + 2 x 89.00, all at 20 %: HT 335.50, TTC 402.60
    expect(text).toContain("main d'œuvre"); // the PDF wraps long designations: the exact line is checked below
    expect(text).toContain('Vanne 3 voies');
    expect(text).toContain('402,60 €');

    const done = await stack.temporal.workflow.getHandle(workflowId).result();
    expect(done).toMatchObject({ step: 'closed', billing: 'charged', slaBreached: false });
    const row = (await stack.api('GET', `/interventions/${interventionId}`)).body;
    expect(row).toMatchObject({ status: 'closed', signedBy: 'M. Martin', labourMinutes: 90, billing: 'charged' });
    const van = await stack.prisma.stockLevel.findFirstOrThrow({ where: { warehouseId: technician.van.id, productId: part.id } });
    expect(van.onHand).toBe(3);

    const invoice = await stack.prisma.invoice.findUniqueOrThrow({
      where: { id: done.invoice!.id },
      include: { lines: { orderBy: { position: 'asc' } } },
    });
    expect(invoice.lines.map((l) => [l.description.replace(/^Intervention \S+ du \S+ : /, ''), l.quantity, l.totalHtCents])).toEqual([
      ["main d'œuvre (90 min)", 1, 11_250],
      ['déplacement', 1, 4_500],
      [`Vanne 3 voies (${part.sku})`, 2, 17_800],
    ]);
    expect(invoice.totalTtcCents).toBe(40_260);
    const paid = await stack.api(
      'POST',
      `/invoices/${invoice.id}/payments`,
      { reference: `VIR-${interventionId}`, amountCents: 40_260, receivedOn: '2026-11-22' },
      { key: finance },
    );
    expect(paid.status).toBe(202);
    await stack.mail.waitFor(customer.billingEmail, /^Reçu de paiement/);
    expect((await stack.temporal.workflow.getHandle(`invoice-${invoice.id}`).result()).step).toBe('paid');
    await recordHistory(stack, workflowId, 'intervention-dispatch-charged');
  });

  it('gives a declined job to the next best technician', async () => {
    const s = sector();
    const site = await createSite(stack, (await createCustomer(stack)).id, s);
    const [a, b] = await Promise.all([createTechnician(stack, s), createTechnician(stack, s)]);
    const { interventionId } = await createJob(site.id);
    const first = await waitForStep(interventionId, 'awaiting_acceptance');
    const other = first.appointment!.technicianId === a.id ? b : a;
    const wrong = await stack.api('POST', `/interventions/${interventionId}/accept`, { technicianId: other.id }, { key: tech });
    expect(wrong.status).toBe(409);
    await act(interventionId, 'decline', { technicianId: first.appointment!.technicianId, reason: 'Sick today' });
    const second = await waitUntil(async () => {
      const st = await status(interventionId);
      return st.step === 'awaiting_acceptance' && st.appointment?.technicianId === other.id && st;
    });
    expect(second.declinedBy).toEqual([first.appointment!.technicianId]);
    await stack.mail.waitFor(other.email, /./);
    await act(interventionId, 'cancel', { reason: 'Customer fixed it' }, dispatcher);
    const cancelled = await waitForStep(interventionId, 'cancelled');
    expect(cancelled.reason).toMatch(/Customer fixed it/);
    await stack.mail.waitFor(other.email, /^Intervention annulée/);
    expect((await stack.prisma.intervention.findUniqueOrThrow({ where: { id: interventionId } })).technicianId).toBeNull();
  });

  it('escalates to the dispatcher when nobody fits, takes a manual assignment, and flags a missed SLA', async () => {
    const s = sector();
    const site = await createSite(stack, (await createCustomer(stack)).id, s);
    const gasFitter = await createTechnician(stack, s, { skills: ['heating'] });
    const { interventionId, workflowId } = await createJob(site.id, { priority: 'critical', requiredSkills: ['heating', 'refrigerant'] });
    const waiting = await waitForStep(interventionId, 'awaiting_manual_assignment');
    expect(waiting.waitingFor).toBe('assignment');
    const escalation = await stack.mail.waitFor(stack.config.DISPATCHER_EMAIL, new RegExp(`No technician fits: critical breakdown`));
    expect(escalation.text).toContain('missing skills: refrigerant');

    // Nobody checks in within the 2 s SLA: the dispatcher is told and the job is flagged, yet goes on.
    await stack.mail.waitFor(stack.config.DISPATCHER_EMAIL, /^SLA breached: critical breakdown/);
    expect((await status(interventionId)).slaBreached).toBe(true);
    // The board, page by page (limit 2): every open job once, soonest deadline first.
    const board: { id: string; slaDeadline: string | null }[] = [];
    for (let cursor = ''; ; ) {
      const res = await stack.api('GET', `/dispatch/board?limit=2${cursor && `&cursor=${cursor}`}`, undefined, { key: dispatcher });
      board.push(...res.body.items);
      if (!res.body.nextCursor) break;
      cursor = res.body.nextCursor;
    }
    expect(new Set(board.map((j) => j.id)).size).toBe(board.length);
    const deadlines = board.map((j) => j.slaDeadline).filter((d): d is string => d !== null);
    expect(deadlines).toEqual([...deadlines].sort());
    expect(board.find((j) => j.id === interventionId)).toMatchObject({ sla: 'breached', slaBreached: true });

    const start = new Date(Date.now() + 3_600_000).toISOString();
    await act(interventionId, 'assign', { technicianId: gasFitter.id, start }, dispatcher);
    const assigned = await waitForStep(interventionId, 'awaiting_acceptance');
    expect(assigned.appointment).toMatchObject({ technicianId: gasFitter.id, start });
    const schedule = await stack.api(
      'GET',
      `/technicians/${gasFitter.id}/schedule?from=${encodeURIComponent(new Date().toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}`,
    );
    expect(schedule.body.appointments.map((j: { id: string }) => j.id)).toEqual([interventionId]);
    await act(interventionId, 'cancel', { reason: 'Test over' }, dispatcher);
    await recordHistory(stack, workflowId, 'intervention-dispatch-manual-sla-breach');
  });

  it('holds a job for missing parts and resumes when they arrive; a covered job records its cost and bills nothing', async () => {
    const s = sector();
    const customer = await createCustomer(stack);
    const site = await createSite(stack, customer.id, s);
    const part = await createProduct(stack, { name: 'Circulateur', unitPriceCents: 21_000 });
    const technician = await createTechnician(stack, s, { van: { [part.sku]: 1 }, hourlyCostCents: 6_000 });
    const { interventionId, workflowId } = await createJob(site.id, {
      type: 'preventive_visit',
      coverage: { kind: 'contract', reference: 'CT-2026-017' },
    });
    await waitForStep(interventionId, 'awaiting_acceptance');
    await act(interventionId, 'accept', { technicianId: technician.id });
    await act(interventionId, 'check-in', { technicianId: technician.id });
    await waitForStep(interventionId, 'in_progress');

    await act(interventionId, 'parts-request', { parts: [{ sku: part.sku, quantity: 1 }], note: 'Circulateur HS' });
    const held = await waitForStep(interventionId, 'on_hold_parts');
    expect(held.partsRequested).toEqual([{ sku: part.sku, quantity: 1 }]);
    await stack.mail.waitFor(stack.config.DISPATCHER_EMAIL, /^Parts needed/);
    expect((await stack.api('POST', `/interventions/${interventionId}/complete`, { signedBy: 'X' }, { key: tech })).status).toBe(409);
    expect((await stack.api('POST', `/interventions/${interventionId}/parts-arrived`, {}, { key: dispatcher })).status).toBe(202);
    await waitForStep(interventionId, 'in_progress');

    await act(interventionId, 'report', {
      workDone: 'Visite annuelle, circulateur remplacé',
      labourMinutes: 60,
      travelMinutes: 30,
      parts: [{ sku: part.sku, quantity: 1 }],
    });
    await act(interventionId, 'complete', { signedBy: 'Mme Durand' });
    const done = await stack.temporal.workflow.getHandle(workflowId).result();
    // Cost: 90 min at 60.00/h + the part at 210.00 = 300.00; nothing invoiced.
    expect(done).toMatchObject({ step: 'closed', billing: 'covered', costCents: 30_000 });
    expect(done.invoice).toBeUndefined();
    expect(await stack.prisma.invoice.count({ where: { customerId: customer.id } })).toBe(0);
    const report = await stack.mail.waitFor(customer.billingEmail, /^Rapport d'intervention/);
    expect(await pdfText(report.attachments[0].content)).toContain('CT-2026-017');
    await recordHistory(stack, workflowId, 'intervention-dispatch-parts-hold-covered');
  });

  it('groups a monthly-billed customer’s jobs on one invoice, once per period', async () => {
    const s = sector();
    const customer = await createCustomer(stack, { interventionBilling: 'monthly' });
    const site = await createSite(stack, customer.id, s);
    const technician = await createTechnician(stack, s);
    const jobs = [await createJob(site.id), await createJob(site.id)];
    for (const { interventionId, workflowId } of jobs) {
      await waitUntil(
        async () =>
          (await status(interventionId)).step === 'awaiting_acceptance' &&
          (await status(interventionId)).appointment?.technicianId === technician.id,
      );
      await act(interventionId, 'accept', { technicianId: technician.id });
      await act(interventionId, 'check-in', { technicianId: technician.id });
      await waitForStep(interventionId, 'in_progress');
      await act(interventionId, 'report', { workDone: 'Contrôle', labourMinutes: 30, travelMinutes: 15, parts: [] });
      await act(interventionId, 'complete', { signedBy: 'Accueil' });
      expect(await stack.temporal.workflow.getHandle(workflowId).result()).toMatchObject({ billing: 'monthly' });
    }
    expect(await stack.prisma.invoice.count({ where: { customerId: customer.id } })).toBe(0);

    const period = new Date().toISOString().slice(0, 7);
    const run = await stack.api('POST', '/intervention-billing-runs', { period }, { key: finance });
    expect([200, 202]).toContain(run.status);
    await stack.temporal.workflow.getHandle(run.body.workflowId).result();
    const invoices = await stack.prisma.invoice.findMany({ where: { customerId: customer.id }, include: { lines: true } });
    expect(invoices).toHaveLength(1);
    // Two jobs: 2 x (30 min at 75.00 + 45.00 travel) = 165.00 HT
    expect(invoices[0].totalHtCents).toBe(16_500);
    expect(invoices[0].lines).toHaveLength(4);
    await stack.mail.waitFor(customer.billingEmail, /^Facture FA-/);

    // The same period again creates nothing new.
    const again = await stack.api('POST', '/intervention-billing-runs', { period }, { key: finance });
    if (again.status === 202) await stack.temporal.workflow.getHandle(again.body.workflowId).result();
    expect(await stack.prisma.invoice.count({ where: { customerId: customer.id } })).toBe(1);
  });

  it("lets a technician's own key act on that technician's jobs only, in their own name", async () => {
    const s = sector();
    const customer = await createCustomer(stack);
    const site = await createSite(stack, customer.id, s);
    const mine = await createTechnician(stack, s);
    const other = await createTechnician(stack, sector());
    const { interventionId } = await createJob(site.id);
    await waitForStep(interventionId, 'awaiting_acceptance');
    const [myKey, otherKey] = await Promise.all([stack.keyFor('technician', mine.id), stack.keyFor('technician', other.id)]);
    const byOther = await stack.api('POST', `/interventions/${interventionId}/accept`, { technicianId: other.id }, { key: otherKey });
    expect(byOther.status).toBe(403);
    const inAnotherName = await stack.api('POST', `/interventions/${interventionId}/accept`, { technicianId: other.id }, { key: myKey });
    expect(inAnotherName.status).toBe(403);
    expect(inAnotherName.body.detail).toMatch(/own technician only/);
    expect((await act(interventionId, 'accept', { technicianId: mine.id }, myKey)).step).toBe('accepted');
    const report = { workDone: 'x', labourMinutes: 10, travelMinutes: 5, parts: [] };
    expect((await stack.api('POST', `/interventions/${interventionId}/report`, report, { key: otherKey })).status).toBe(403);
    await stack.api('POST', `/interventions/${interventionId}/cancel`, { reason: 'Test des clés' }, { key: dispatcher });
  });

  it('rejects bad requests with 400/404 and creates nothing', async () => {
    // Only what these requests could create: other test files create jobs meanwhile.
    const mine = () => stack.prisma.intervention.count({ where: { description: { in: ['x', ''] } } });
    const before = await mine();
    expect((await stack.api('POST', '/interventions', { siteId: randomUUID(), type: 'breakdown', description: 'x' })).status).toBe(400);
    expect(
      (await stack.api('POST', '/interventions', { siteId: 'not-a-uuid', type: 'teleport', description: '' })).body.errors.length,
    ).toBeGreaterThanOrEqual(3);
    expect((await stack.api('GET', `/interventions/${randomUUID()}`)).status).toBe(404);
    expect((await stack.api('POST', `/interventions/${randomUUID()}/accept`, { technicianId: randomUUID() }, { key: tech })).status).toBe(
      404,
    );
    expect((await stack.api('POST', '/technicians', { name: 'A', email: 'a@b.fr', sector: 's' }, { key: tech })).status).toBe(403);
    expect(await mine()).toBe(before);
  });
});
