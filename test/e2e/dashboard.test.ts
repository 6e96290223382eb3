import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { formatEuros } from '../../domain/money';
import type { Kpis } from '../../api/kpis/queries';
import { launchBrowser } from '../helpers/browser';
import { createCustomer } from '../helpers/fixtures';
import { startStack, type Stack } from '../helpers/stack';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
// The README's screenshot is refreshed on demand (UPDATE_SCREENSHOTS=1); ordinary runs write to test-results/.
const SCREENSHOT = path.resolve(
  __dirname,
  process.env.UPDATE_SCREENSHOTS === '1' ? '../../docs/dashboard.png' : '../../test-results/dashboard.png',
);

/**
 * One customer's known history, written straight to the database so dates can lie in the past.
 * Every id is fresh, so files running at the same time never touch these rows; the KPIs are read
 * with ?customerId= to leave their data out.
 */
async function seed(stack: Stack, now: number) {
  const { prisma } = stack;
  const customer = await createCustomer(stack, { legalName: `Thermi Services ${randomUUID().slice(0, 6)} SAS` });
  const series = `KPI${randomUUID().slice(0, 8).toUpperCase()}`;
  const at = (offsetMs: number) => new Date(now + offsetMs);
  let sequence = 0;

  /** An invoice (TTC = HT + 20 % VAT) issued and due at offsets from now. */
  const invoice = async (
    htCents: number,
    issued: number,
    due: number,
    extra: {
      paidCents?: number;
      creditedCents?: number;
      status?: 'issued' | 'partially_paid' | 'paid' | 'cancelled';
      sourceKind?: string;
    } = {},
  ) => {
    sequence += 1;
    const number = `${series}-2026-${String(sequence).padStart(6, '0')}`;
    return prisma.invoice.create({
      data: {
        sourceKey: `kpi-test:${number}`,
        number,
        series,
        year: 2026,
        sequence,
        customerId: customer.id,
        sourceKind: 'kpi-test',
        issuedAt: at(issued),
        dueDate: at(due),
        totalHtCents: htCents,
        totalVatCents: htCents / 5,
        totalTtcCents: (htCents * 6) / 5,
        parties: {},
        vatBreakdown: [{ vatRateBp: 2000, baseHtCents: htCents, vatCents: htCents / 5 }],
        ...extra,
      },
    });
  };
  const creditNote = (invoiceId: string, htCents: number, issued: number) => {
    sequence += 1;
    const number = `AV${series}-2026-${String(sequence).padStart(6, '0')}`;
    return prisma.creditNote.create({
      data: {
        sourceKey: `kpi-test:${number}`,
        number,
        series: `AV${series}`,
        year: 2026,
        sequence,
        invoiceId,
        customerId: customer.id,
        reason: 'Erreur de quantité',
        issuedAt: at(issued),
        totalHtCents: htCents,
        totalVatCents: htCents / 5,
        totalTtcCents: (htCents * 6) / 5,
        vatBreakdown: [],
      },
    });
  };
  /** A payment received at midnight UTC of the day `days` ago, allocated to an invoice when given. */
  const payment = async (amountCents: number, days: number, invoiceId?: string) => {
    const d = at(-days * DAY);
    const receivedOn = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
    await prisma.payment.create({
      data: {
        reference: `VIR-${randomUUID()}`,
        customerId: customer.id,
        amountCents,
        receivedOn,
        method: 'transfer',
        allocations: invoiceId ? { create: { invoiceId, amountCents } } : undefined,
      },
    });
    return receivedOn;
  };

  // Receivables (TTC): A 1 200 € due in 10 days, 200 € paid -> 1 000 € not yet due.
  const a = await invoice(100_000, -20 * DAY, 10 * DAY, { paidCents: 20_000, status: 'partially_paid' });
  // B 600 € 10 days overdue; C 480 € 45 days overdue with 80 € paid; D 300 € 75 days overdue; E 240 € 120 days overdue.
  await invoice(50_000, -40 * DAY, -10 * DAY);
  const c = await invoice(40_000, -75 * DAY, -45 * DAY, { paidCents: 8_000, status: 'partially_paid' });
  await invoice(25_000, -105 * DAY, -75 * DAY);
  await invoice(20_000, -150 * DAY, -120 * DAY);
  // F 840 € paid in full; G 360 € cancelled by a credit note; H 360 € with a 60 € credit note -> 300 € not yet due.
  const f = await invoice(70_000, -30 * DAY, 0, { paidCents: 84_000, status: 'paid' });
  const g = await invoice(30_000, -15 * DAY, 15 * DAY, { creditedCents: 36_000, status: 'cancelled' });
  const h = await invoice(30_000, -5 * DAY, 25 * DAY, { creditedCents: 6_000 });
  await creditNote(g.id, 30_000, -15 * DAY);
  await creditNote(h.id, 5_000, -4 * DAY);
  // I: an old invoice and its credit note, both outside the 90 days.
  const i = await invoice(10_000, -200 * DAY, -170 * DAY, { creditedCents: 12_000, status: 'cancelled' });
  await creditNote(i.id, 10_000, -150 * DAY);

  const payments = [
    { cents: 20_000, on: await payment(20_000, 18, a.id) },
    { cents: 84_000, on: await payment(84_000, 25, f.id) },
    { cents: 5_000, on: await payment(5_000, 0) },
  ];
  await payment(8_000, 70, c.id); // before the 8 weeks

  // Field service: one technician of our own (UTC, 08:00-17:00 every day: 30 x 540 available minutes in any 30 days).
  const technician = await prisma.technician.create({
    data: {
      name: `Karim Benali ${randomUUID().slice(0, 4)}`,
      email: `kpi-${randomUUID()}@backoffice.example`,
      skills: ['heating'],
      sector: `kpi-${randomUUID()}`, // no other test's dispatch can pick this technician
      workingDays: [1, 2, 3, 4, 5, 6, 7],
      workStart: '08:00',
      workEnd: '17:00',
      timeZone: 'UTC',
      van: { create: { code: `VAN-${randomUUID().slice(0, 8)}`, name: 'Van KPI', isVan: true } },
    },
  });
  const site = await prisma.site.create({
    data: {
      customerId: customer.id,
      name: 'Chaufferie',
      addressLine: '5 rue Garibaldi',
      postalCode: '69006',
      city: 'Lyon',
      sector: 'lyon',
    },
  });
  const job = (data: {
    type?: 'breakdown' | 'installation' | 'preventive_visit';
    status: 'in_progress' | 'completed' | 'closed' | 'cancelled';
    sla?: number;
    checkedIn?: number;
    breached?: boolean;
    signed?: number;
    appointment?: [start: number, minutes: number];
  }) =>
    prisma.intervention.create({
      data: {
        customerId: customer.id,
        siteId: site.id,
        type: data.type ?? 'breakdown',
        priority: 'normal',
        description: 'Chaudière en panne',
        status: data.status,
        slaDeadline: data.sla === undefined ? null : at(data.sla),
        slaBreached: data.breached ?? false,
        checkedInAt: data.checkedIn === undefined ? null : at(data.checkedIn),
        signedAt: data.signed === undefined ? null : at(data.signed),
        technicianId: data.appointment ? technician.id : null,
        appointmentStart: data.appointment ? at(data.appointment[0]) : null,
        appointmentEnd: data.appointment ? at(data.appointment[0] + data.appointment[1] * MINUTE) : null,
      },
    });
  // SLA: j1 and j3 met, j2 checked in late and flagged; j4's deadline is too old, j5 is not closed, j6 has no SLA.
  // First-time fix (breakdowns signed off in 90 days): j1, j6, j9 fixed; j2 had a parts request.
  const j1 = await job({
    status: 'closed',
    sla: -10 * DAY,
    checkedIn: -10 * DAY - 2 * HOUR,
    signed: -10 * DAY,
    appointment: [-10 * DAY - 2 * HOUR, 120],
  });
  const j2 = await job({
    status: 'completed',
    sla: -20 * DAY,
    checkedIn: -20 * DAY + 3 * HOUR,
    breached: true,
    signed: -19 * DAY,
    appointment: [-20 * DAY + 3 * HOUR, 90],
  });
  await job({
    type: 'installation',
    status: 'closed',
    sla: -5 * DAY,
    checkedIn: -5 * DAY - HOUR,
    signed: -5 * DAY + 2 * HOUR,
    appointment: [-5 * DAY - HOUR, 60],
  });
  await job({ status: 'closed', sla: -100 * DAY, checkedIn: -100 * DAY - HOUR, signed: -99 * DAY });
  await job({ status: 'in_progress', sla: -DAY, checkedIn: -2 * HOUR, appointment: [-2 * HOUR, 30] });
  await job({ status: 'closed', checkedIn: -3 * DAY, signed: -3 * DAY + HOUR, appointment: [-3 * DAY, 60] });
  await job({ status: 'cancelled', appointment: [-4 * DAY, 120] }); // released: not booked
  // A preventive visit that started 1 h before the 30-day window: 60 of its 120 minutes count.
  await job({
    type: 'preventive_visit',
    status: 'closed',
    checkedIn: -30 * DAY - HOUR,
    signed: -30 * DAY + HOUR,
    appointment: [-30 * DAY - HOUR, 120],
  });
  const j9 = await job({ status: 'closed', checkedIn: -8 * DAY, signed: -8 * DAY + HOUR });
  const email = (key: string) =>
    prisma.emailOutbox.create({
      data: {
        idempotencyKey: key,
        template: 'dispatchEscalation',
        to: 'dispatch@backoffice.local',
        payload: {},
        status: 'sent',
        messageId: `<${randomUUID()}@kpi.test>`,
      },
    });
  await email(`intervention-${j2.id}:parts-1`);
  await email(`intervention-${j9.id}:field-report`);
  await email(`intervention-${j1.id}:sla-breach`);

  // Service contracts. Active or ending: K1 monthly 1 200 €/y ending in 20 days, K2 yearly 2 400 €/y in 75 days,
  // K3 per intervention (no fee), K5 ending (notice given) monthly 360 €/y; K4 terminated.
  const today = new Date(Date.UTC(at(0).getUTCFullYear(), at(0).getUTCMonth(), at(0).getUTCDate()));
  const day = (offsetDays: number) => new Date(today.getTime() + offsetDays * DAY);
  const contract = (priceCents: number, billingRhythm: 'monthly' | 'yearly' | 'per_intervention', end: number, status = 'active') =>
    prisma.contract.create({
      data: {
        customerId: customer.id,
        title: `Contrat ${randomUUID().slice(0, 6)}`,
        accountManagerEmail: 'am@backoffice.example',
        status: status as 'active' | 'ending' | 'terminated',
        termStart: day(end - 365),
        termEnd: day(end),
        priceCents,
        billingRhythm,
      },
    });
  const k1 = await contract(120_000, 'monthly', 20);
  const k2 = await contract(240_000, 'yearly', 75);
  await contract(60_000, 'per_intervention', 200);
  const k4 = await contract(50_000, 'monthly', -10, 'terminated');
  await contract(36_000, 'monthly', 10, 'ending');
  // Terms decided in the last 365 days: renewed, tacitly renewed, refused (2 of 3); one renewed too long ago.
  const term = (contractId: string, number: number, end: number, outcome: string) =>
    prisma.contractTerm.create({ data: { contractId, number, start: day(end - 365), end: day(end), priceCents: 1, outcome } });
  await term(k1.id, 1, -100, 'renewed');
  await term(k2.id, 1, -30, 'tacitly_renewed');
  await term(k4.id, 2, -10, 'refused');
  await term(k4.id, 1, -400, 'renewed');
  // Visits whose window ended in the last 90 days: done, overdue, done (2 of 3); cancelled, future and older ones left out.
  const item = await prisma.contractPlanItem.create({
    data: { contractId: k1.id, siteId: site.id, label: 'Entretien', visitsPerYear: 6, validFrom: day(-365) },
  });
  let visitNo = 0;
  for (const [windowEnd, status] of [
    [-10, 'done'],
    [-40, 'overdue'],
    [-80, 'done'],
    [10, 'planned'],
    [-20, 'cancelled'],
    [-100, 'overdue'],
  ] as const) {
    visitNo += 1;
    await prisma.contractVisit.create({
      data: {
        contractId: k1.id,
        termNumber: 2,
        planItemId: item.id,
        sequence: visitNo,
        dueDate: day(windowEnd - 30),
        windowEnd: day(windowEnd),
        status,
      },
    });
  }
  // Margin: a contract invoice of 300 € HT (paid) against a covered visit that cost 120 €.
  await invoice(30_000, -10 * DAY, 20 * DAY, { paidCents: 36_000, status: 'paid', sourceKind: 'contract' });
  await prisma.intervention.create({
    data: {
      customerId: customer.id,
      siteId: site.id,
      type: 'preventive_visit',
      priority: 'low',
      description: 'Visite du contrat',
      status: 'closed',
      signedAt: at(-5 * DAY),
      coverageKind: 'contract',
      coverageRef: k1.id,
      costCents: 12_000,
    },
  });

  // Warranty: two claims open, two closed in 90 days (cost 200 € + 50 €), one closed long ago.
  const supplier = await prisma.supplier.create({ data: { name: 'Thermatec', claimsEmail: 'garantie@thermatec.example' } });
  const equipment = await prisma.equipment.create({
    data: {
      serialNumber: `KPI-${randomUUID()}`,
      model: 'PAC 8 kW',
      customerId: customer.id,
      siteId: site.id,
      supplierId: supplier.id,
      installedOn: day(-300),
      configurationAsSold: [],
      configurationAsMaintained: [],
    },
  });
  const claim = (status: 'awaiting_supplier' | 'repairing' | 'closed', costCents: number, closed?: number) =>
    prisma.warrantyClaim.create({
      data: {
        equipmentId: equipment.id,
        customerId: customer.id,
        reportedFault: 'Panne',
        faultOn: day(-1),
        status,
        costCents,
        closedAt: closed === undefined ? null : at(closed),
      },
    });
  const w1 = await claim('awaiting_supplier', 14_750);
  await claim('repairing', 0);
  const w2 = await claim('closed', 20_000, -10 * DAY);
  const w3 = await claim('closed', 5_000, -40 * DAY);
  const w4 = await claim('closed', 99_999, -200 * DAY);
  // Supplier claims answered in 90 days: accepted 100 €, rejected 60 €, 50 € of 80 € accepted; one still unanswered (125 €).
  const supplierClaim = (
    claimId: string,
    status: 'sent' | 'accepted' | 'rejected' | 'partially_accepted',
    claimed: number,
    accepted: number | null,
    answered?: number,
  ) =>
    prisma.supplierClaim.create({
      data: {
        number: `RG-${randomUUID()}`,
        claimId,
        supplierId: supplier.id,
        amountClaimedCents: claimed,
        amountAcceptedCents: accepted,
        status,
        sentAt: at(-60 * DAY),
        answeredAt: answered === undefined ? null : at(answered),
      },
    });
  await supplierClaim(w1.id, 'sent', 12_500, null);
  await supplierClaim(w2.id, 'accepted', 10_000, 10_000, -12 * DAY);
  await supplierClaim(w3.id, 'rejected', 6_000, 0, -45 * DAY);
  await supplierClaim(w4.id, 'partially_accepted', 8_000, 5_000, -20 * DAY);

  return { customer, technician, payments };
}

describe('KPI dashboard', () => {
  let stack: Stack;
  let browser: Browser;
  let finance: string;
  let data: Awaited<ReturnType<typeof seed>>;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
    finance = await stack.keyFor('finance');
    data = await seed(stack, Date.now());
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const kpisOf = async (customerId: string): Promise<Kpis> => {
    const res = await stack.api<Kpis>('GET', `/api/kpis?customerId=${customerId}`, undefined, { key: finance });
    expect(res.status).toBe(200);
    return res.body;
  };

  it('computes receivables, DSO, overdue, cash, credit notes and field service figures exactly for one customer', async () => {
    const k = await kpisOf(data.customer.id);
    expect(k.customerIds).toEqual([data.customer.id]);
    // Open: A 1 000 + H 300 not yet due; B 600; C 400; D 300; E 240.
    expect(k.receivables).toEqual({
      openCents: 284_000,
      openInvoices: 6,
      ageingCents: { current: 130_000, days1to30: 60_000, days31to60: 40_000, days61to90: 30_000, over90: 24_000 },
    });
    expect(k.overdue).toEqual({ amountCents: 154_000, invoices: 4, rate: 0.5423 });
    // Invoiced in 90 days: A, B, C, F, G, H and the contract invoice = 4 200 €; 2 840 / 4 200 x 90 = 60.86 days.
    expect(k.dso).toEqual({ days: 60.9, openCents: 284_000, invoicedTtcCents: 420_000, periodDays: 90 });
    expect(k.invoicing).toEqual({
      periodDays: 90,
      invoices: { count: 7, ttcCents: 420_000 },
      creditNotes: { count: 2, ttcCents: 42_000 },
      incorrectRate: 0.2857,
    });

    // Eight consecutive ISO weeks ending with the current one; each payment in the week of its date.
    const weeks = k.cashCollected.weeks;
    expect(weeks).toHaveLength(8);
    weeks.forEach((w, n) => {
      expect(w.week).toMatch(/^\d{4}-W\d{2}$/);
      if (n > 0) expect(Date.parse(w.startsOn) - Date.parse(weeks[n - 1].startsOn)).toBe(7 * DAY);
    });
    expect(new Date(weeks[0].startsOn).getUTCDay()).toBe(1);
    expect(Date.now() - Date.parse(weeks[7].startsOn)).toBeLessThan(7 * DAY);
    const expected = weeks.map((w) =>
      data.payments
        .filter((p) => p.on.getTime() >= Date.parse(w.startsOn) && p.on.getTime() < Date.parse(w.startsOn) + 7 * DAY)
        .reduce((sum, p) => sum + p.cents, 0),
    );
    expect(weeks.map((w) => w.amountCents)).toEqual(expected);
    expect(k.cashCollected.totalCents).toBe(109_000);

    expect(k.interventions.sla).toEqual({ met: 2, total: 3, rate: 0.6667 });
    expect(k.interventions.firstTimeFix).toEqual({ fixed: 3, total: 4, rate: 0.75 });
    // Booked: 120 + 90 + 60 + 30 + 60 + 60 (clipped) = 420 of 30 x 540 minutes.
    expect(k.interventions.utilisation).toEqual({
      periodDays: 30,
      bookedMinutes: 420,
      availableMinutes: 16_200,
      rate: 0.0259,
      technicians: [{ id: data.technician.id, name: data.technician.name, bookedMinutes: 420, availableMinutes: 16_200, rate: 0.0259 }],
    });
    expect(k.contracts).toEqual({
      active: 4,
      recurringRevenue: { annualCents: 396_000, monthlyCents: 33_000 },
      renewalsDue: { within30: 1, within60: 1, within90: 2 },
      renewals: { periodDays: 365, renewed: 2, decided: 3, rate: 0.6667 },
      visits: { periodDays: 90, done: 2, due: 3, rate: 0.6667 },
      margin: { periodDays: 90, invoicedHtCents: 30_000, costCents: 12_000, marginCents: 18_000, rate: 0.6 },
    });
    expect(k.warranty).toEqual({
      open: 2,
      closed: 2,
      periodDays: 90,
      costCents: 25_000,
      supplier: {
        answered: 3,
        rejected: 1,
        partiallyAccepted: 1,
        claimedCents: 24_000,
        recoveredCents: 15_000,
        recoveryRate: 0.625,
        rejectionRate: 0.3333,
        pendingCents: 12_500,
        pending: 1,
      },
    });
    for (const key of [
      'dso',
      'overdueRate',
      'incorrectInvoices',
      'slaCompliance',
      'firstTimeFix',
      'utilisation',
      'contracts',
      'warranty',
    ]) {
      expect(k.definitions[key as keyof Kpis['definitions']]).toEqual(expect.any(String));
    }
  });

  it('covers the whole business without a filter, and answers empty figures for a customer without data', async () => {
    const all = await stack.api<Kpis>('GET', '/api/kpis', undefined, { key: finance });
    expect(all.status).toBe(200);
    expect(all.body.customerIds).toBeNull();
    expect(all.body.receivables.openCents).toBeGreaterThanOrEqual(284_000);
    expect(all.body.interventions.utilisation.technicians.map((t) => t.id)).toContain(data.technician.id);

    const empty = await kpisOf(randomUUID());
    expect(empty.receivables.openCents).toBe(0);
    expect(empty.dso.days).toBeNull();
    expect(empty.overdue.rate).toBeNull();
    expect(empty.invoicing.incorrectRate).toBeNull();
    expect(empty.interventions.utilisation).toMatchObject({ technicians: [], rate: null });

    const two = await stack.api<Kpis>('GET', `/api/kpis?customerId=${data.customer.id}&customerId=${randomUUID()}`, undefined, {
      key: finance,
    });
    expect(two.body.receivables.openCents).toBe(284_000);
    const invalid = await stack.api('GET', '/api/kpis?customerId=nope', undefined, { key: finance });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors[0].path).toMatch(/^query\.customerId/);
  });

  it('needs an API key of finance, operations, read_only or admin', async () => {
    expect((await stack.api('GET', '/api/kpis', undefined, { key: null })).status).toBe(401);
    expect((await stack.api('GET', '/dashboard', undefined, { key: null })).status).toBe(401);
    const technician = await stack.keyFor('technician');
    expect((await stack.api('GET', '/api/kpis', undefined, { key: technician })).status).toBe(403);
    expect((await stack.api('GET', '/dashboard', undefined, { key: technician })).status).toBe(403);
    for (const role of ['operations', 'read_only'] as const) {
      expect((await stack.api('GET', '/api/kpis', undefined, { key: await stack.keyFor(role) })).status).toBe(200);
    }
    expect((await stack.api('GET', '/api/kpis')).status).toBe(200); // admin
  });

  it('renders the dashboard: figures readable without JavaScript, both charts drawn in Chromium', async () => {
    const url = `/dashboard?customerId=${data.customer.id}`;
    const figures = [
      formatEuros(284_000),
      formatEuros(154_000),
      '54,2 %',
      '60,9 days',
      formatEuros(109_000),
      '28,6 %',
      `${formatEuros(33_000)} / month`,
      formatEuros(25_000),
      '62,5 %',
      formatEuros(18_000),
      '66,7 %',
      '75,0 %',
      '2,6 %',
      formatEuros(130_000),
      formatEuros(24_000),
      data.customer.legalName,
      data.technician.name,
    ];

    // Without JavaScript the tables carry every figure.
    const html = await stack.api('GET', url, undefined, { key: finance });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.headers.get('cache-control')).toBe('no-store');
    for (const figure of figures) expect(html.text).toContain(figure);

    const context = await browser.newContext({
      extraHTTPHeaders: { authorization: `Bearer ${finance}` },
      viewport: { width: 1360, height: 900 },
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(msg.text());
    });
    const response = await page.goto(stack.baseUrl + url);
    expect(response?.status()).toBe(200);
    await page.waitForFunction(() => Object.keys((globalThis as any).Chart?.instances ?? {}).length === 2);
    expect(await page.evaluate(() => (globalThis as any).Chart && Object.keys((globalThis as any).Chart.instances).length)).toBe(2);
    expect(await page.locator('canvas#ageing-chart').count()).toBe(1);
    expect(await page.locator('canvas#cash-chart').count()).toBe(1);
    const chartTypes = await page.evaluate(() =>
      Object.values(
        (globalThis as any).Chart.instances as Record<string, { config: { type: string }; canvas: { id: string; height: number } }>,
      )
        .map((c) => `${c.canvas.id}:${c.config.type}:${c.canvas.height > 0}`)
        .sort(),
    );
    expect(chartTypes).toEqual(['ageing-chart:bar:true', 'cash-chart:line:true']);

    const text = (await page.locator('body').textContent()) ?? '';
    for (const figure of figures) expect(text).toContain(figure);
    expect(await page.locator('#tile-dso .value').textContent()).toBe('60,9 days');
    expect(await page.locator('#tile-renewal .value').textContent()).toBe('66,7 %');
    expect(await page.locator('#contracts').textContent()).toContain('1 / 1 / 2');
    expect(await page.locator('#warranty').textContent()).toContain('1 of 3 (1)');
    expect(await page.locator('#definitions').textContent()).toContain('Days sales outstanding');
    expect(problems).toEqual([]);

    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await context.close();
  });
});
