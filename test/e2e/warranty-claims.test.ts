import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { addDays, addMonths, isoDate } from '../../domain/dates';
import type { InterventionStatus } from '../../workflows/intervention-dispatch.definitions';
import type { WarrantyClaimStatus } from '../../workflows/warranty-claim.definitions';
import { decideByLink, linkIn } from '../helpers/approvals';
import { launchBrowser } from '../helpers/browser';
import { createContract, createCustomer, createProduct, createSite, createTechnician, recordHistory } from '../helpers/fixtures';
import { pdfText } from '../helpers/pdf';
import { startStack, type Stack } from '../helpers/stack';
import { waitUntil } from '../helpers/wait';

// One business day = 1 s: the operator has 5 s to grant goodwill before a quote leaves, the customer
// 30 s to answer it, the warranty manager 30 s to approve, and a silent supplier is reminded every 2 s.
const DAY_MS = 1000;
const today = isoDate(Date.now());
const unique = () => randomUUID().slice(0, 8).toUpperCase();

describe('warranty claims through the HTTP API', () => {
  let stack: Stack;
  let browser: Browser;
  let tech: string;
  let finance: string;
  // Concurrent tests start before beforeAll hooks run: they await the stack themselves.
  const ready = Promise.all([
    startStack({
      DAY_MS: String(DAY_MS),
      WARRANTY_DECISION_DAYS: '5',
      WARRANTY_APPROVAL_DAYS: '30',
      WARRANTY_QUOTE_DAYS: '30',
      SUPPLIER_CLAIM_REMINDER_DAYS: '2',
      SUPPLIER_CLAIM_REMINDERS: '2',
      WARRANTY_APPROVAL_THRESHOLD_CENTS: '50000',
      SLA_HOURS: 'critical:2400,high:2400,normal:2400,low:2400',
    }),
    launchBrowser(),
  ]).then(async ([s, b]) => {
    [stack, browser] = [s, b];
    [tech, finance] = await Promise.all([stack.keyFor('technician'), stack.keyFor('finance')]);
  });
  afterAll(async () => {
    await ready.catch(() => undefined);
    await browser?.close();
    await stack?.stop();
  });

  /** A customer, a site, a technician whose van holds the parts, a supplier, and an equipment installed `installedOn`. */
  async function installedBase(opts: {
    installedOn: string;
    supplier?: boolean;
    part?: Record<string, unknown>;
    unit?: Record<string, unknown>;
    equipment?: Record<string, unknown>;
  }) {
    await ready;
    const sector = `sector-${unique()}`;
    const customer = await createCustomer(stack);
    const site = await createSite(stack, customer.id, sector);
    const unit = await createProduct(stack, {
      name: 'Pompe à chaleur 8 kW',
      unitPriceCents: 450_000,
      purchaseCostCents: 300_000,
      warrantyMonths: 36,
      ...opts.unit,
    });
    const part = await createProduct(stack, {
      name: 'Carte électronique PAC',
      unitPriceCents: 12_000,
      purchaseCostCents: 8_000,
      ...opts.part,
    });
    const technician = await createTechnician(stack, sector, { van: { [part.sku]: 5, [unit.sku]: 1 } });
    const supplier = opts.supplier
      ? (await stack.api('POST', '/suppliers', { name: `Thermatec ${unique()}`, claimsEmail: `garantie-${unique()}@thermatec.example` }))
          .body
      : undefined;
    const serialNumber = `PAC-${unique()}`;
    const componentSerial = `CE-${unique()}`;
    const registered = await stack.api('POST', '/equipment', {
      serialNumber,
      model: 'Pompe à chaleur 8 kW',
      sku: unit.sku,
      customerId: customer.id,
      siteId: site.id,
      supplierId: supplier?.id,
      installedOn: opts.installedOn,
      configuration: [{ label: 'Carte électronique', sku: part.sku, serial: componentSerial }],
      ...opts.equipment,
    });
    if (registered.status !== 201) throw new Error(`equipment: ${registered.status} ${registered.text}`);
    return { customer, site, unit, part, technician, supplier, serialNumber, componentSerial, equipment: registered.body };
  }

  const openClaim = async (body: Record<string, unknown>) => {
    const res = await stack.api('POST', '/warranty-claims', { fault: 'Défaut E04 haute pression, arrêt de la pompe à chaleur', ...body });
    if (res.status !== 201) throw new Error(`claim: ${res.status} ${res.text}`);
    return res.body as { claimId: string; workflowId: string };
  };
  const claimOf = async (id: string) => (await stack.api('GET', `/warranty-claims/${id}`)).body;
  const statusOf = async (id: string): Promise<WarrantyClaimStatus> => (await claimOf(id)).process;
  const waitForStep = (id: string, step: WarrantyClaimStatus['step'], timeoutMs = 30_000) =>
    waitUntil(async () => ((await statusOf(id))?.step === step ? statusOf(id) : undefined), { what: `claim ${id} at ${step}`, timeoutMs });
  const resultOf = (workflowId: string): Promise<WarrantyClaimStatus> => stack.temporal.workflow.getHandle(workflowId).result();
  const jobOf = async (id: string): Promise<InterventionStatus> => (await stack.api('GET', `/interventions/${id}`)).body.process;
  const act = async (id: string, action: string, body: unknown) => {
    const res = await stack.api('POST', `/interventions/${id}/${action}`, body, { key: tech });
    if (res.status !== 200) throw new Error(`${action}: ${res.status} ${res.text}`);
  };
  /** The technician's side of a job: accept, check in, report, sign-off. */
  async function doJob(jobId: string, technicianId: string, report: Record<string, unknown> | null) {
    await waitUntil(async () => (await jobOf(jobId))?.step === 'awaiting_acceptance', { what: `job ${jobId} assigned` });
    await act(jobId, 'accept', { technicianId });
    await act(jobId, 'check-in', { technicianId });
    if (!report) return;
    await act(jobId, 'report', {
      workDone: 'Réparation effectuée, essais OK.',
      labourMinutes: 60,
      travelMinutes: 30,
      parts: [],
      ...report,
    });
    await act(jobId, 'complete', { signedBy: 'M. Girard' });
  }
  const repairJob = (claimId: string) =>
    waitUntil(async () => (await claimOf(claimId)).repairInterventionId as string | null, { what: `the repair job of ${claimId}` });

  it.concurrent(
    'repairs a covered equipment at no charge, swaps the serialised part, extends the warranty and recovers the cost from the supplier',
    async () => {
      const base = await installedBase({ installedOn: addDays(today, -200), supplier: true });
      const { claimId, workflowId } = await openClaim({
        serialNumber: base.serialNumber,
        customerId: base.customer.id,
        requiredSkills: ['heating'],
        estimate: { labourMinutes: 60, parts: [{ sku: base.part.sku, quantity: 1 }] },
      });
      await stack.mail.waitFor(base.customer.billingEmail, /^Votre demande SAV .* est enregistrée/);

      // Covered in full by the manufacturer warranty: no decision to wait for, the repair is dispatched at once.
      const job = await repairJob(claimId);
      const assessed = await statusOf(claimId);
      expect(assessed).toMatchObject({ decision: 'covered', stage: 'estimate', amounts: { customerCents: 0 } });
      expect(assessed.lines.map((l) => [l.kind, l.coverage, l.basis, l.supplierRecoverable])).toEqual([
        ['labour', 'covered', 'manufacturer', true],
        ['travel', 'covered', 'manufacturer', false],
        ['part', 'covered', 'manufacturer', true],
      ]);
      await doJob(job, base.technician.id, {
        parts: [{ sku: base.part.sku, quantity: 1 }],
        replacements: [{ sku: base.part.sku, removedSerial: base.componentSerial, installedSerial: 'CE-NEW-001' }],
      });

      // Settled on the actual work: cost recorded (60 + 30 min at 45 €/h + the part at 80 €), nothing invoiced.
      const waiting = await waitForStep(claimId, 'awaiting_supplier');
      expect(waiting).toMatchObject({
        stage: 'actual',
        waitingFor: 'supplier',
        invoices: [],
        amounts: { customerCents: 0, costCents: 4_500 + 2_250 + 8_000, claimedFromSupplierCents: 4_500 + 8_000 },
      });
      expect(waiting.lines.find((l) => l.kind === 'part')).toMatchObject({
        removedSerial: base.componentSerial,
        installedSerial: 'CE-NEW-001',
      });
      const outcome = await stack.mail.waitFor(base.customer.billingEmail, /^Votre demande SAV .* : résultat/);
      expect(outcome.text).toContain('Votre équipement a été réparé');
      expect(outcome.text).toMatch(/garantie de votre équipement est prolongée jusqu'au/);

      // The supplier receives the claim document, is reminded, and answers: the cost is recovered.
      const toSupplier = await stack.mail.waitFor(base.supplier.claimsEmail, /^Demande de prise en charge garantie RG-/);
      const doc = await pdfText(toSupplier.attachments[0].content);
      expect(doc).toContain('RÉCLAMATION GARANTIE');
      expect(doc).toContain(base.serialNumber);
      expect(doc).toContain(`${base.componentSerial} remplacé par CE-NEW-001`);
      expect(doc).toContain('125,00 €');
      await stack.mail.waitFor(base.supplier.claimsEmail, /^Relance 1 : demande de prise en charge/, 15_000);
      const pending = (await stack.api('GET', `/warranty-claims?supplierRecoveryPending=true&customerId=${base.customer.id}`)).body.items;
      expect(pending.map((c: { id: string }) => c.id)).toEqual([claimId]);
      const early = await stack.api(
        'POST',
        `/warranty-claims/${claimId}/supplier-answer`,
        { outcome: 'partially_accepted', acceptedCents: 12_500, reference: 'X' },
        { key: finance },
      );
      expect(early.status).toBe(400); // a partial acceptance is less than the claim
      const answered = await stack.api(
        'POST',
        `/warranty-claims/${claimId}/supplier-answer`,
        { outcome: 'accepted', reference: 'THX-2026-0042' },
        { key: finance },
      );
      expect(answered.status).toBe(200);
      const result = await resultOf(workflowId);
      expect(result).toMatchObject({
        step: 'closed',
        outcome: 'repaired',
        supplierClaim: { status: 'accepted' },
        amounts: { recoveredCents: 12_500 },
      });
      expect(await stack.prisma.invoice.count({ where: { customerId: base.customer.id } })).toBe(0);

      // The installed base: component swapped in the configuration as maintained, warranty six months longer, the history.
      const equipment = (await stack.api('GET', `/equipment/${base.serialNumber}`)).body;
      expect(equipment.configurationAsSold).toEqual([{ label: 'Carte électronique', sku: base.part.sku, serial: base.componentSerial }]);
      expect(equipment.configurationAsMaintained).toEqual([{ label: 'Carte électronique', sku: base.part.sku, serial: 'CE-NEW-001' }]);
      expect(equipment.manufacturerWarrantyEnd.slice(0, 10)).toBe(addMonths(addMonths(addDays(today, -200), 36), 6));
      expect(equipment.events.map((e: { kind: string }) => e.kind)).toEqual([
        'installed',
        'intervention',
        'part_replaced',
        'warranty_extended',
      ]);
      expect(equipment.interventions.map((i: { id: string }) => i.id)).toEqual([job]);
      await recordHistory(stack, workflowId, 'warranty-claim-covered-supplier-accepted');
    },
  );

  it.concurrent('sends a quote for an equipment out of warranty, accepted in a real browser, then invoices the repair', async () => {
    const base = await installedBase({ installedOn: '2018-04-02' });
    const { claimId, workflowId } = await openClaim({
      serialNumber: base.serialNumber,
      customerId: base.customer.id,
      estimate: { labourMinutes: 60, parts: [{ sku: base.part.sku, quantity: 1 }] },
    });
    const manager = await stack.mail.waitFor(
      stack.config.WARRANTY_MANAGER_EMAIL,
      new RegExp(`Warranty claim ${claimId.slice(0, 8)}: not fully covered`),
    );
    expect(manager.text).toContain('garantie expirée');
    // Nobody grants goodwill within the day: the quote leaves. Labour 75 € + travel 45 € + part 120 € = 240 € HT.
    const quote = await stack.mail.waitFor(base.customer.billingEmail, /^Devis DV-\d{4}-\d{6} - réparation/);
    expect(quote.text).toContain('Total à votre charge : 240,00 € HT');
    expect(await pdfText(quote.attachments[0].content)).toMatch(/DEVIS[\s\S]*Total HT 240,00 €/);
    expect((await statusOf(claimId)).waitingFor).toBe('customer');

    const page = await browser.newPage();
    await page.goto(linkIn(quote.text!));
    expect(await page.locator('table').textContent()).toContain('240,00 €');
    expect(await page.locator('button[value=approved]').textContent()).toBe('Accepter le devis');
    await page.click('button[value=approved]');
    await expect(page.locator('h1').textContent()).resolves.toBe('Decision recorded');
    await page.close();

    const job = await repairJob(claimId);
    await doJob(job, base.technician.id, { parts: [{ sku: base.part.sku, quantity: 1 }] });
    const invoiceMail = await stack.mail.waitFor(base.customer.billingEmail, /^Facture FA-/);
    const result = await resultOf(workflowId);
    expect(result).toMatchObject({ step: 'closed', outcome: 'repaired', decision: 'not_covered', amounts: { customerCents: 24_000 } });
    const [invoice] = await stack.prisma.invoice.findMany({ where: { customerId: base.customer.id } });
    expect(invoice).toMatchObject({ sourceKind: 'warranty', totalHtCents: 24_000, totalTtcCents: 28_800 });
    expect(invoiceMail.subject).toBe(`Facture ${invoice.number}`);
    expect(result.invoices).toEqual([{ id: invoice.id, number: invoice.number, purpose: 'repair' }]);
    await waitUntil(() => stack.temporal.workflow.getHandle(`invoice-${invoice.id}`).describe(), { what: 'the invoice collection' });
    await recordHistory(stack, workflowId, 'warranty-claim-quote-accepted');
  });

  it.concurrent('closes the claim without repair when the customer refuses the quote', async () => {
    const base = await installedBase({ installedOn: '2017-09-15' });
    const { claimId, workflowId } = await openClaim({
      serialNumber: base.serialNumber,
      customerId: base.customer.id,
      estimate: { labourMinutes: 30, parts: [] },
    });
    await waitForStep(claimId, 'awaiting_decision');
    const now = await stack.api('POST', `/warranty-claims/${claimId}/decision`, { decision: 'as_proposed', reason: 'Hors garantie' });
    expect(now.status).toBe(200);
    const quote = await stack.mail.waitFor(base.customer.billingEmail, /^Devis DV-/);
    await decideByLink(linkIn(quote.text!), 'rejected', 'Trop cher');
    const result = await resultOf(workflowId);
    expect(result).toMatchObject({ step: 'closed', outcome: 'quote_refused' });
    expect((await claimOf(claimId)).repairInterventionId).toBeNull();
    const closed = await stack.mail.waitFor(base.customer.billingEmail, /dossier clos$/);
    expect(closed.text).toContain('Vous avez refusé notre devis');
    expect(await stack.prisma.invoice.count({ where: { customerId: base.customer.id } })).toBe(0);
  });

  it.concurrent('grants goodwill over the threshold once the warranty manager approves it: repaired at no charge', async () => {
    const base = await installedBase({ installedOn: '2019-01-20', part: { unitPriceCents: 90_000, purchaseCostCents: 60_000 } });
    const { claimId, workflowId } = await openClaim({
      serialNumber: base.serialNumber,
      customerId: base.customer.id,
      estimate: { labourMinutes: 60, parts: [{ sku: base.part.sku, quantity: 1 }] },
    });
    await waitForStep(claimId, 'awaiting_decision');
    const decided = await stack.api('POST', `/warranty-claims/${claimId}/decision`, { decision: 'goodwill', reason: 'Client fidèle' });
    expect(decided.body).toMatchObject({ step: 'awaiting_approval', waitingFor: 'approval' });
    const again = await stack.api('POST', `/warranty-claims/${claimId}/decision`, { decision: 'as_proposed', reason: 'x' });
    expect(again.status).toBe(409);
    const approval = await stack.mail.waitFor(
      stack.config.WARRANTY_MANAGER_EMAIL,
      new RegExp(`Approval needed: Warranty claim on ${base.serialNumber}`),
    );
    expect(approval.text).toContain('geste commercial : Client fidèle');
    await decideByLink(linkIn(approval.text!), 'approved', 'OK');

    const job = await repairJob(claimId);
    await doJob(job, base.technician.id, { parts: [{ sku: base.part.sku, quantity: 1 }] });
    const result = await resultOf(workflowId);
    expect(result).toMatchObject({
      step: 'closed',
      outcome: 'repaired',
      decision: 'goodwill',
      amounts: { customerCents: 0, costCents: 4_500 + 2_250 + 60_000 },
    });
    expect(result.lines.every((l) => l.coverage === 'goodwill')).toBe(true);
    expect(await stack.prisma.invoice.count({ where: { customerId: base.customer.id } })).toBe(0);
    expect(stack.mail.to(base.customer.billingEmail, /^Devis/)).toEqual([]);
  });

  it.concurrent(
    'dispatches an inspection first and decides coverage on its diagnosis; a replaced unit is registered with its own warranty',
    async () => {
      const base = await installedBase({ installedOn: addDays(today, -100) });
      const { claimId, workflowId } = await openClaim({ serialNumber: base.serialNumber, customerId: base.customer.id, inspection: true });
      const inspection = await waitUntil(async () => (await claimOf(claimId)).inspectionInterventionId as string | null, {
        what: 'the inspection job',
      });
      expect((await stack.api('GET', `/interventions/${inspection}`)).body).toMatchObject({
        type: 'inspection',
        coverageKind: 'warranty',
        coverageRef: claimId,
      });
      await doJob(inspection, base.technician.id, null);
      const diagnosis = {
        technicianId: base.technician.id,
        cause: 'normal_use',
        findings: 'Compresseur HS, remplacement de la PAC complète.',
        estimate: { labourMinutes: 240, parts: [{ sku: base.unit.sku, quantity: 1 }] },
      };
      const wrongTech = await stack.api(
        'POST',
        `/warranty-claims/${claimId}/inspection-report`,
        { ...diagnosis, technicianId: randomUUID() },
        { key: tech },
      );
      expect(wrongTech.status).toBe(400);
      const reported = await stack.api('POST', `/warranty-claims/${claimId}/inspection-report`, diagnosis, { key: tech });
      expect(reported.status).toBe(200);
      expect(reported.body).toMatchObject({ stage: 'estimate', decision: 'covered' });
      await act(inspection, 'report', { workDone: 'Diagnostic : compresseur HS', labourMinutes: 30, travelMinutes: 30, parts: [] });
      await act(inspection, 'complete', { signedBy: 'M. Girard' });

      // 4 h of labour and a new unit at cost (3 000 €): over the threshold, the warranty manager approves.
      const approval = await stack.mail.waitFor(
        stack.config.WARRANTY_MANAGER_EMAIL,
        new RegExp(`Approval needed: Warranty claim on ${base.serialNumber}`),
      );
      await decideByLink(linkIn(approval.text!), 'approved');
      const job = await repairJob(claimId);
      const newSerial = `PAC-NEW-${unique()}`;
      await doJob(job, base.technician.id, {
        labourMinutes: 240,
        parts: [{ sku: base.unit.sku, quantity: 1 }],
        replacements: [{ sku: base.unit.sku, removedSerial: base.serialNumber, installedSerial: newSerial }],
      });
      const result = await resultOf(workflowId);
      expect(result).toMatchObject({ step: 'closed', outcome: 'replaced', decision: 'covered', inspectionInterventionId: inspection });

      // The installed base: the old serial retired and replaced, the new one under its own 36-month warranty.
      const old = (await stack.api('GET', `/equipment/${base.serialNumber}`)).body;
      expect(old).toMatchObject({ status: 'retired', retiredOn: expect.stringMatching(today), replacedBy: { serialNumber: newSerial } });
      expect(old.events.map((e: { kind: string }) => e.kind)).toEqual(['installed', 'intervention', 'intervention', 'replaced']);
      const unit = (await stack.api('GET', `/equipment/${newSerial}`)).body;
      expect(unit).toMatchObject({
        status: 'in_service',
        siteId: base.site.id,
        customerId: base.customer.id,
        replaces: { serialNumber: base.serialNumber },
      });
      expect(unit.installedOn.slice(0, 10)).toBe(today);
      expect(unit.manufacturerWarrantyEnd.slice(0, 10)).toBe(addMonths(today, 36));
      expect(unit.events).toEqual([
        expect.objectContaining({ kind: 'installed', detail: expect.objectContaining({ replaces: base.serialNumber }) }),
      ]);
      // A claim on the retired serial is refused.
      const retired = await stack.api('POST', '/warranty-claims', {
        serialNumber: base.serialNumber,
        customerId: base.customer.id,
        fault: 'x',
        inspection: true,
      });
      expect(retired.status).toBe(400);
      expect(retired.body.errors).toEqual([{ path: 'body.serialNumber', message: 'This equipment is retired (replaced or scrapped)' }]);
    },
  );

  it.concurrent('absorbs a supplier rejection by default, and re-invoices it to a customer whose contract says so', async () => {
    await ready;
    const absorb = await installedBase({ installedOn: addDays(today, -300), supplier: true });
    const reinvoice = await installedBase({ installedOn: addDays(today, -300), supplier: true });
    await createContract(stack, reinvoice.customer.id, [reinvoice.site.id], {
      termStart: addDays(today, -30),
      billingRhythm: 'per_intervention',
      equipment: [reinvoice.serialNumber],
      supplierRejection: 'reinvoice',
    });
    const run = async (base: typeof absorb, answer: Record<string, unknown>) => {
      const { claimId, workflowId } = await openClaim({
        serialNumber: base.serialNumber,
        customerId: base.customer.id,
        estimate: { labourMinutes: 60, parts: [{ sku: base.part.sku, quantity: 1 }] },
      });
      await doJob(await repairJob(claimId), base.technician.id, { parts: [{ sku: base.part.sku, quantity: 1 }] });
      await waitForStep(claimId, 'awaiting_supplier');
      const res = await stack.api(
        'POST',
        `/warranty-claims/${claimId}/supplier-answer`,
        { reference: 'REF-1', ...answer },
        { key: finance },
      );
      expect(res.status).toBe(200);
      return resultOf(workflowId);
    };
    const [absorbed, reinvoiced] = await Promise.all([
      run(absorb, { outcome: 'partially_accepted', acceptedCents: 8_000, reason: 'Main-d’œuvre hors forfait' }),
      run(reinvoice, { outcome: 'rejected', reason: 'Défaut d’installation' }),
    ]);
    // Claimed 125 € (45 € labour + 80 € part): 80 € recovered, the 45 € left are ours.
    expect(absorbed).toMatchObject({ outcome: 'repaired', supplierClaim: { status: 'partially_accepted' }, invoices: [] });
    expect(absorbed.amounts).toMatchObject({ claimedFromSupplierCents: 12_500, recoveredCents: 8_000, customerCents: 0 });
    expect(await stack.prisma.invoice.count({ where: { customerId: absorb.customer.id } })).toBe(0);
    // Rejected in full, and the contract re-invoices it: the customer gets an invoice of 125 € HT.
    expect(reinvoiced).toMatchObject({ supplierClaim: { status: 'rejected' }, amounts: { recoveredCents: 0, customerCents: 12_500 } });
    const [invoice] = await stack.prisma.invoice.findMany({ where: { customerId: reinvoice.customer.id }, include: { lines: true } });
    expect(invoice).toMatchObject({ sourceKind: 'warranty', totalHtCents: 12_500 });
    expect(invoice.lines[0].description).toMatch(
      /^Part non prise en charge par Thermatec .* \(réclamation RG-\d{4}-\d{6} : Défaut d’installation\)$/,
    );
    expect(reinvoiced.invoices).toEqual([{ id: invoice.id, number: invoice.number, purpose: 'supplier_rejection' }]);
    await stack.mail.waitFor(reinvoice.customer.billingEmail, new RegExp(`^Facture ${invoice.number}`));
  });

  it.concurrent('credits the covered lines of a job invoiced before it turned out covered; the wear part stays due', async () => {
    const base = await installedBase({ installedOn: addDays(today, -60), part: { wearPart: true } });
    // A breakdown on the equipment, charged at close: labour 75 € + travel 45 € + part 120 € = 240 € HT.
    const created = await stack.api('POST', '/interventions', {
      siteId: base.site.id,
      equipmentId: base.equipment.id,
      type: 'breakdown',
      description: 'Fuite et défaut haute pression',
      requiredSkills: ['heating'],
    });
    await doJob(created.body.interventionId, base.technician.id, { parts: [{ sku: base.part.sku, quantity: 1 }] });
    const job = await waitUntil(async () => {
      const j = (await stack.api('GET', `/interventions/${created.body.interventionId}`)).body;
      return j.invoiceId ? j : undefined;
    });
    const invoice = await stack.prisma.invoice.findUniqueOrThrow({ where: { id: job.invoiceId } });
    expect(invoice.totalTtcCents).toBe(28_800);

    const { claimId, workflowId } = await openClaim({
      serialNumber: base.serialNumber,
      customerId: base.customer.id,
      priorInterventionId: job.id,
    });
    // Labour and travel are under the manufacturer warranty; the wear part is excluded: a partial credit note.
    const note = await stack.mail.waitFor(base.customer.billingEmail, /^Avoir AV-\d{4}-\d{6} sur la facture/);
    expect(note.subject).toContain(invoice.number);
    const text = await pdfText(note.attachments[0].content);
    expect(text).toContain(`Avoir se rapportant à la facture n° ${invoice.number}`);
    expect(text).toMatch(/Total TTC 144,00 €/);
    await waitForStep(claimId, 'closed');
    const result = await resultOf(workflowId);
    expect(result).toMatchObject({
      outcome: 'credited',
      decision: 'partially_covered',
      amounts: { creditedCents: 14_400, customerCents: 12_000 },
    });
    expect(result.lines.map((l) => [l.kind, l.coverage])).toEqual([
      ['labour', 'covered'],
      ['travel', 'covered'],
      ['part', 'not_covered'],
    ]);
    expect(result.lines[2].reason).toBe("Non couvert : exclusion : pièce d'usure");
    expect(await stack.prisma.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).toMatchObject({
      creditedCents: 14_400,
      status: 'issued',
    });
    // The invoice's collection learns it: 144 € left to pay (the part, TTC).
    const collection = stack.temporal.workflow.getHandle(`invoice-${invoice.id}`);
    await waitUntil(
      async () => ((await collection.query('invoiceCollectionStatus')) as { amounts: { dueCents: number } }).amounts.dueCents === 14_400,
      {
        what: 'the collection to see the credit note',
      },
    );
    await recordHistory(stack, workflowId, 'warranty-claim-credited');
  });

  it.concurrent(
    'refuses an unknown serial or an equipment of another customer with a 400 naming the serial, creating nothing',
    async () => {
      const base = await installedBase({ installedOn: addDays(today, -10) });
      const other = await createCustomer(stack);
      const count = () => stack.prisma.warrantyClaim.count({ where: { customerId: { in: [base.customer.id, other.id] } } });
      const body = { fault: 'Panne', estimate: { labourMinutes: 30, parts: [] } };
      const unknown = await stack.api('POST', '/warranty-claims', { ...body, serialNumber: 'NOPE-404', customerId: base.customer.id });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toEqual([{ path: 'body.serialNumber', message: 'Unknown serial number NOPE-404' }]);
      const foreign = await stack.api('POST', '/warranty-claims', { ...body, serialNumber: base.serialNumber, customerId: other.id });
      expect(foreign.status).toBe(400);
      expect(foreign.body.errors).toEqual([{ path: 'body.serialNumber', message: 'This equipment belongs to another customer' }]);
      const both = await stack.api('POST', '/warranty-claims', {
        ...body,
        serialNumber: base.serialNumber,
        customerId: base.customer.id,
        inspection: true,
      });
      expect(both.status).toBe(400);
      expect(both.body.errors[0].path).toBe('body.estimate');
      const duplicate = await stack.api('POST', '/equipment', {
        serialNumber: base.serialNumber,
        model: 'Autre',
        customerId: other.id,
        siteId: base.site.id,
        installedOn: today,
      });
      expect(duplicate.status).toBe(400); // the site is not the other customer's
      expect(duplicate.body.errors).toEqual([{ path: 'body.siteId', message: 'Not a site of this customer' }]);
      const again = await stack.api('POST', '/equipment', {
        serialNumber: base.serialNumber,
        model: 'Autre',
        customerId: base.customer.id,
        siteId: base.site.id,
        installedOn: today,
      });
      expect(again.status).toBe(409);
      expect(await count()).toBe(0);
    },
  );
});
