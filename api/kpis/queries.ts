/** KPI read model: the dashboard's figures, computed live in PostgreSQL (integer cents, rates as ratios 0..1). */
import { workingMinutesBetween } from '../../domain/assignment';
import { Prisma } from '../../generated/prisma/client';
import type { Db } from '../../infra/db';

const DAY_MS = 86_400_000;

/** Look-back of DSO, invoicing, SLA and first-time fix. */
export const PERIOD_DAYS = 90;
/** Look-back of technician utilisation. */
export const UTILISATION_DAYS = 30;
/** ISO weeks of cash collected, the current one included. */
export const CASH_WEEKS = 8;

export interface AgeingCents {
  /** Not yet due. */
  current: number;
  days1to30: number;
  days31to60: number;
  days61to90: number;
  over90: number;
}

export interface TechnicianUtilisation {
  id: string;
  name: string;
  bookedMinutes: number;
  availableMinutes: number;
  rate: number | null;
}

/** Look-back of the renewal rate (a term is decided once a year). */
export const RENEWAL_DAYS = 365;

export interface ContractKpis {
  active: number;
  /** Yearly price HT of active contracts with a recurring fee (per-intervention contracts excluded), and a twelfth of it. */
  recurringRevenue: { annualCents: number; monthlyCents: number };
  renewalsDue: { within30: number; within60: number; within90: number };
  renewals: { periodDays: number; renewed: number; decided: number; rate: number | null };
  visits: { periodDays: number; done: number; due: number; rate: number | null };
  margin: { periodDays: number; invoicedHtCents: number; costCents: number; marginCents: number; rate: number | null };
}

export interface WarrantyKpis {
  open: number;
  closed: number;
  periodDays: number;
  /** Cost borne (HT, at cost) by the claims closed in the period. */
  costCents: number;
  supplier: {
    answered: number;
    rejected: number;
    partiallyAccepted: number;
    claimedCents: number;
    recoveredCents: number;
    recoveryRate: number | null;
    rejectionRate: number | null;
    /** Claimed and not answered yet, whenever sent. */
    pendingCents: number;
    pending: number;
  };
}

export type KpiName =
  | 'openReceivables'
  | 'ageing'
  | 'dso'
  | 'overdueAmount'
  | 'overdueRate'
  | 'cashCollected'
  | 'invoicesVsCreditNotes'
  | 'incorrectInvoices'
  | 'slaCompliance'
  | 'firstTimeFix'
  | 'utilisation'
  | 'contracts'
  | 'warranty';

export interface Kpis {
  generatedAt: string;
  /** The customers the figures are restricted to, or null for the whole business. */
  customerIds: string[] | null;
  receivables: { openCents: number; openInvoices: number; ageingCents: AgeingCents };
  dso: { days: number | null; openCents: number; invoicedTtcCents: number; periodDays: number };
  overdue: { amountCents: number; invoices: number; rate: number | null };
  cashCollected: { totalCents: number; weeks: { week: string; startsOn: string; amountCents: number }[] };
  invoicing: {
    periodDays: number;
    invoices: { count: number; ttcCents: number };
    creditNotes: { count: number; ttcCents: number };
    incorrectRate: number | null;
  };
  interventions: {
    periodDays: number;
    sla: { met: number; total: number; rate: number | null };
    firstTimeFix: { fixed: number; total: number; rate: number | null };
    utilisation: {
      periodDays: number;
      bookedMinutes: number;
      availableMinutes: number;
      rate: number | null;
      technicians: TechnicianUtilisation[];
    };
  };
  contracts: ContractKpis;
  warranty: WarrantyKpis;
  definitions: Record<KpiName, string>;
}

/** What each figure means; printed on the dashboard and returned with the JSON. */
export const KPI_DEFINITIONS: Record<KpiName, string> = {
  openReceivables:
    'Sum over issued and partially paid invoices of total incl. VAT minus payments allocated minus credit notes (amount still due).',
  ageing:
    'Open receivables by days past the due date: current = not yet due; then 1-30, 31-60, 61-90 and over 90 days overdue (a started day counts).',
  dso: `Days sales outstanding: open receivables / invoices issued in the last ${PERIOD_DAYS} days (total incl. VAT, before credit notes) x ${PERIOD_DAYS}. Empty when nothing was invoiced.`,
  overdueAmount: 'Open receivables of invoices whose due date has passed.',
  overdueRate: 'Overdue amount / open receivables.',
  cashCollected: `Payments received (full amount, allocated or not) per ISO week (Monday to Sunday, UTC) of the date received, over the last ${CASH_WEEKS} weeks including the current one.`,
  invoicesVsCreditNotes: `Invoices and credit notes issued in the last ${PERIOD_DAYS} days: how many, and their total incl. VAT.`,
  incorrectInvoices: `Credit notes issued / invoices issued, both in the last ${PERIOD_DAYS} days (counts).`,
  slaCompliance: `Completed or closed jobs whose SLA deadline is at most ${PERIOD_DAYS} days old: share where the technician checked in by the deadline and the job was not flagged as breached.`,
  firstTimeFix: `Breakdown jobs completed or closed (signed off) in the last ${PERIOD_DAYS} days: share that were fixed without a parts request (no parts-request escalation email was ever queued for the job).`,
  utilisation: `Last ${UTILISATION_DAYS} days, active technicians: appointment minutes booked (cancelled jobs excluded) / working minutes available from each technician's working days and hours in their time zone. With a customer filter: the technicians who had an appointment for those customers, with all their appointments.`,
  contracts: `Active = contracts active or ending. Recurring revenue = yearly price HT of those billed monthly, quarterly or yearly (per-intervention contracts have no fee), and a twelfth of it. Renewals due = active contracts whose term ends within 30, 60, 90 days. Renewal rate = terms ended in the last ${RENEWAL_DAYS} days that were renewed (or tacitly renewed) / all decided. Visits = preventive visits whose window ended in the last ${PERIOD_DAYS} days: done / due (cancelled excluded). Margin = contract invoices HT issued in the last ${PERIOD_DAYS} days minus the cost of the jobs the contracts covered, signed off in the same days.`,
  warranty: `Open = claims not closed. Closed and cost = claims closed in the last ${PERIOD_DAYS} days and the cost they left with us (covered and goodwill work at cost, HT). Supplier claims answered in the last ${PERIOD_DAYS} days: recovery rate = amount accepted / amount claimed; rejection rate = claims rejected outright / answered. Pending = supplier claims still without an answer.`,
};

/** The dashboard's figures at `now`, optionally restricted to some customers. */
export async function computeKpis(prisma: Db, now: Date, customerIds?: string[]): Promise<Kpis> {
  const filter = customerFilter(customerIds);
  const at = timestamp(now);
  const periodStart = timestamp(new Date(now.getTime() - PERIOD_DAYS * DAY_MS));

  const [receivables, invoiced, creditNotes, cashCollected, sla, firstTimeFix, utilisation, contracts, warranty] = await Promise.all([
    openReceivables(prisma, now, filter),
    prisma.$queryRaw<{ count: bigint; cents: bigint }[]>`
      SELECT COUNT(*) AS count, COALESCE(SUM("totalTtcCents"), 0)::bigint AS cents FROM "Invoice"
      WHERE "issuedAt" >= ${periodStart} AND "issuedAt" <= ${at} ${filter('"customerId"')}`,
    prisma.$queryRaw<{ count: bigint; cents: bigint }[]>`
      SELECT COUNT(*) AS count, COALESCE(SUM("totalTtcCents"), 0)::bigint AS cents FROM "CreditNote"
      WHERE "issuedAt" >= ${periodStart} AND "issuedAt" <= ${at} ${filter('"customerId"')}`,
    cashPerWeek(prisma, now, filter),
    prisma.$queryRaw<{ total: bigint; met: bigint }[]>`
      SELECT COUNT(*) AS total,
        COUNT(*) FILTER (WHERE "checkedInAt" IS NOT NULL AND "checkedInAt" <= "slaDeadline" AND NOT "slaBreached") AS met
      FROM "Intervention"
      WHERE status IN ('completed', 'closed') AND "slaDeadline" >= ${periodStart} ${filter('"customerId"')}`,
    // The dispatch process queues one escalation email per parts request, keyed intervention-<id>:parts-<n>
    // (one scan of the outbox, then a hash join: no per-job LIKE).
    prisma.$queryRaw<{ total: bigint; fixed: bigint }[]>`
      WITH held AS (
        SELECT DISTINCT substring("idempotencyKey" FROM '^intervention-(.+):parts-[0-9]+$') AS id
        FROM "EmailOutbox" WHERE "idempotencyKey" LIKE 'intervention-%:parts-%'
      )
      SELECT COUNT(*) AS total, COUNT(*) FILTER (WHERE held.id IS NULL) AS fixed
      FROM "Intervention" i LEFT JOIN held ON held.id = i.id
      WHERE i.type = 'breakdown' AND i.status IN ('completed', 'closed')
        AND COALESCE(i."signedAt", i."updatedAt") >= ${periodStart} ${filter('i."customerId"')}`,
    technicianUtilisation(prisma, now, customerIds),
    contractKpis(prisma, now, customerIds),
    warrantyKpis(prisma, now, customerIds),
  ]);

  const inv = { count: Number(invoiced[0].count), ttcCents: Number(invoiced[0].cents) };
  const cn = { count: Number(creditNotes[0].count), ttcCents: Number(creditNotes[0].cents) };
  const slaMet = Number(sla[0].met);
  const slaTotal = Number(sla[0].total);
  const fixed = Number(firstTimeFix[0].fixed);
  const fixTotal = Number(firstTimeFix[0].total);
  return {
    generatedAt: now.toISOString(),
    customerIds: customerIds ?? null,
    receivables: { openCents: receivables.openCents, openInvoices: receivables.openInvoices, ageingCents: receivables.ageingCents },
    dso: {
      // Integer arithmetic, then one decimal: open x 90 / invoiced.
      days: inv.ttcCents > 0 ? Math.round((receivables.openCents * PERIOD_DAYS * 10) / inv.ttcCents) / 10 : null,
      openCents: receivables.openCents,
      invoicedTtcCents: inv.ttcCents,
      periodDays: PERIOD_DAYS,
    },
    overdue: {
      amountCents: receivables.overdueCents,
      invoices: receivables.overdueInvoices,
      rate: ratio(receivables.overdueCents, receivables.openCents),
    },
    cashCollected,
    invoicing: { periodDays: PERIOD_DAYS, invoices: inv, creditNotes: cn, incorrectRate: ratio(cn.count, inv.count) },
    interventions: {
      periodDays: PERIOD_DAYS,
      sla: { met: slaMet, total: slaTotal, rate: ratio(slaMet, slaTotal) },
      firstTimeFix: { fixed, total: fixTotal, rate: ratio(fixed, fixTotal) },
      utilisation,
    },
    contracts,
    warranty,
    definitions: KPI_DEFINITIONS,
  };
}

type CustomerFilter = (column: string) => Prisma.Sql;

/** `AND <column> IN (...)` when restricted to customers (nothing matches an empty list), else nothing. */
function customerFilter(customerIds: string[] | undefined): CustomerFilter {
  return (column) => {
    if (customerIds === undefined) return Prisma.empty;
    if (customerIds.length === 0) return Prisma.sql`AND FALSE`;
    return Prisma.sql`AND ${Prisma.raw(column)} IN (${Prisma.join(customerIds)})`;
  };
}

/** A UTC instant as a `timestamp` parameter: Prisma stores DateTime as UTC wall time without a zone. */
const timestamp = (date: Date): Prisma.Sql => Prisma.sql`${date.toISOString()}::timestamp`;

/** numerator / denominator rounded to 4 decimals, or null when there is nothing to divide by. */
const ratio = (numerator: number, denominator: number): number | null =>
  denominator > 0 ? Math.round((numerator * 10_000) / denominator) / 10_000 : null;

async function openReceivables(prisma: Db, now: Date, filter: CustomerFilter) {
  const at = timestamp(now);
  const daysAgo = (days: number) => timestamp(new Date(now.getTime() - days * DAY_MS));
  const [row] = await prisma.$queryRaw<Record<string, bigint>[]>`
    SELECT
      COUNT(*) AS "openInvoices",
      COALESCE(SUM(open), 0)::bigint AS "openCents",
      COUNT(*) FILTER (WHERE "dueDate" < ${at}) AS "overdueInvoices",
      COALESCE(SUM(open) FILTER (WHERE "dueDate" < ${at}), 0)::bigint AS "overdueCents",
      COALESCE(SUM(open) FILTER (WHERE "dueDate" >= ${at}), 0)::bigint AS current,
      COALESCE(SUM(open) FILTER (WHERE "dueDate" < ${at} AND "dueDate" >= ${daysAgo(30)}), 0)::bigint AS "days1to30",
      COALESCE(SUM(open) FILTER (WHERE "dueDate" < ${daysAgo(30)} AND "dueDate" >= ${daysAgo(60)}), 0)::bigint AS "days31to60",
      COALESCE(SUM(open) FILTER (WHERE "dueDate" < ${daysAgo(60)} AND "dueDate" >= ${daysAgo(90)}), 0)::bigint AS "days61to90",
      COALESCE(SUM(open) FILTER (WHERE "dueDate" < ${daysAgo(90)}), 0)::bigint AS "over90"
    FROM (
      SELECT "totalTtcCents" - "paidCents" - "creditedCents" AS open, "dueDate" FROM "Invoice"
      WHERE status IN ('issued', 'partially_paid') ${filter('"customerId"')}
    ) invoices
    WHERE open > 0`;
  const n = (key: string) => Number(row[key]);
  return {
    openInvoices: n('openInvoices'),
    openCents: n('openCents'),
    overdueInvoices: n('overdueInvoices'),
    overdueCents: n('overdueCents'),
    ageingCents: {
      current: n('current'),
      days1to30: n('days1to30'),
      days31to60: n('days31to60'),
      days61to90: n('days61to90'),
      over90: n('over90'),
    },
  };
}

async function cashPerWeek(prisma: Db, now: Date, filter: CustomerFilter): Promise<Kpis['cashCollected']> {
  const monday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((now.getUTCDay() + 6) % 7)));
  const starts = Array.from({ length: CASH_WEEKS }, (_, i) => new Date(monday.getTime() - (CASH_WEEKS - 1 - i) * 7 * DAY_MS));
  const rows = await prisma.$queryRaw<{ week: string; cents: bigint }[]>`
    SELECT to_char(date_trunc('week', "receivedOn"), 'YYYY-MM-DD') AS week, SUM("amountCents")::bigint AS cents
    FROM "Payment"
    WHERE "receivedOn" >= ${timestamp(starts[0])} AND "receivedOn" < ${timestamp(new Date(monday.getTime() + 7 * DAY_MS))}
      ${filter('"customerId"')}
    GROUP BY 1`;
  const byWeek = new Map(rows.map((r) => [r.week, Number(r.cents)]));
  const weeks = starts.map((start) => {
    const startsOn = start.toISOString().slice(0, 10);
    return { week: isoWeek(start), startsOn, amountCents: byWeek.get(startsOn) ?? 0 };
  });
  return { totalCents: weeks.reduce((sum, w) => sum + w.amountCents, 0), weeks };
}

/** ISO 8601 week label of a UTC date: 2026-11-16 -> "2026-W47". */
function isoWeek(date: Date): string {
  // The ISO year is the year of the week's Thursday.
  const thursday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 3 - ((date.getUTCDay() + 6) % 7)));
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(thursday.getUTCFullYear(), 0, 1)) / (7 * DAY_MS));
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

async function technicianUtilisation(prisma: Db, now: Date, customerIds?: string[]): Promise<Kpis['interventions']['utilisation']> {
  const to = now.getTime();
  const from = to - UTILISATION_DAYS * DAY_MS;
  const [start, end] = [timestamp(new Date(from)), timestamp(now)];
  const servedCustomers =
    customerIds === undefined
      ? Prisma.empty
      : Prisma.sql`AND EXISTS (
          SELECT 1 FROM "Intervention" c
          WHERE c."technicianId" = t.id AND c.status <> 'cancelled' AND c."appointmentStart" < ${end} AND c."appointmentEnd" > ${start}
            ${customerFilter(customerIds)('c."customerId"')})`;
  // Appointments are clipped to the window; cancelled jobs have released theirs.
  const rows = await prisma.$queryRaw<
    { id: string; name: string; workingDays: number[]; workStart: string; workEnd: string; timeZone: string; booked: bigint }[]
  >`
    SELECT t.id, t.name, t."workingDays", t."workStart", t."workEnd", t."timeZone",
      COALESCE(ROUND(SUM(EXTRACT(EPOCH FROM LEAST(i."appointmentEnd", ${end}) - GREATEST(i."appointmentStart", ${start})) / 60)), 0)::bigint AS booked
    FROM "Technician" t
    LEFT JOIN "Intervention" i
      ON i."technicianId" = t.id AND i.status <> 'cancelled' AND i."appointmentStart" < ${end} AND i."appointmentEnd" > ${start}
    WHERE t.active ${servedCustomers}
    GROUP BY t.id
    ORDER BY t.name, t.id`;
  const technicians = rows.map((t): TechnicianUtilisation => {
    const bookedMinutes = Number(t.booked);
    const availableMinutes = workingMinutesBetween(
      { days: t.workingDays, start: t.workStart, end: t.workEnd, timeZone: t.timeZone },
      from,
      to,
    );
    return { id: t.id, name: t.name, bookedMinutes, availableMinutes, rate: ratio(bookedMinutes, availableMinutes) };
  });
  const bookedMinutes = technicians.reduce((sum, t) => sum + t.bookedMinutes, 0);
  const availableMinutes = technicians.reduce((sum, t) => sum + t.availableMinutes, 0);
  return { periodDays: UTILISATION_DAYS, bookedMinutes, availableMinutes, rate: ratio(bookedMinutes, availableMinutes), technicians };
}

/** `{ customerId: { in: ids } }` when restricted to customers, else no condition. */
const ofCustomers = (customerIds?: string[]) => (customerIds === undefined ? {} : { customerId: { in: customerIds } });

async function contractKpis(prisma: Db, now: Date, customerIds?: string[]): Promise<ContractKpis> {
  const who = ofCustomers(customerIds);
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const inDays = (n: number) => new Date(today.getTime() + n * DAY_MS);
  const periodStart = new Date(now.getTime() - PERIOD_DAYS * DAY_MS);
  const live = { ...who, status: { in: ['active' as const, 'ending' as const] } };
  const dueWithin = (n: number) => prisma.contract.count({ where: { ...who, status: 'active', termEnd: { gte: today, lt: inDays(n) } } });
  const [active, recurring, within30, within60, within90, terms, visits, invoiced, covered] = await Promise.all([
    prisma.contract.count({ where: live }),
    prisma.contract.aggregate({ _sum: { priceCents: true }, where: { ...live, billingRhythm: { not: 'per_intervention' } } }),
    dueWithin(30),
    dueWithin(60),
    dueWithin(90),
    prisma.contractTerm.groupBy({
      by: ['outcome'],
      _count: true,
      where: { outcome: { not: null }, end: { gte: new Date(today.getTime() - RENEWAL_DAYS * DAY_MS), lte: today }, contract: who },
    }),
    prisma.contractVisit.groupBy({
      by: ['status'],
      _count: true,
      where: { windowEnd: { gte: periodStart, lte: today }, status: { not: 'cancelled' }, contract: who },
    }),
    prisma.invoice.aggregate({
      _sum: { totalHtCents: true },
      where: { ...who, sourceKind: 'contract', issuedAt: { gte: periodStart, lte: now } },
    }),
    prisma.intervention.aggregate({
      _sum: { costCents: true },
      where: { ...who, coverageKind: 'contract', signedAt: { gte: periodStart, lte: now } },
    }),
  ]);
  const count = (rows: { _count: number }[]) => rows.reduce((sum, r) => sum + r._count, 0);
  const renewed = count(terms.filter((t) => t.outcome === 'renewed' || t.outcome === 'tacitly_renewed'));
  const decided = count(terms);
  const done = count(visits.filter((v) => v.status === 'done'));
  const due = count(visits);
  const annualCents = recurring._sum.priceCents ?? 0;
  const invoicedHtCents = invoiced._sum.totalHtCents ?? 0;
  const costCents = covered._sum.costCents ?? 0;
  return {
    active,
    recurringRevenue: { annualCents, monthlyCents: Math.round(annualCents / 12) },
    renewalsDue: { within30, within60, within90 },
    renewals: { periodDays: RENEWAL_DAYS, renewed, decided, rate: ratio(renewed, decided) },
    visits: { periodDays: PERIOD_DAYS, done, due, rate: ratio(done, due) },
    margin: {
      periodDays: PERIOD_DAYS,
      invoicedHtCents,
      costCents,
      marginCents: invoicedHtCents - costCents,
      rate: ratio(invoicedHtCents - costCents, invoicedHtCents),
    },
  };
}

async function warrantyKpis(prisma: Db, now: Date, customerIds?: string[]): Promise<WarrantyKpis> {
  const who = ofCustomers(customerIds);
  const period = { gte: new Date(now.getTime() - PERIOD_DAYS * DAY_MS), lte: now };
  const [open, closed, answered, pending] = await Promise.all([
    prisma.warrantyClaim.count({ where: { ...who, status: { not: 'closed' } } }),
    prisma.warrantyClaim.aggregate({ _count: true, _sum: { costCents: true }, where: { ...who, closedAt: period } }),
    prisma.supplierClaim.groupBy({
      by: ['status'],
      _count: true,
      _sum: { amountClaimedCents: true, amountAcceptedCents: true },
      where: { answeredAt: period, claim: who },
    }),
    prisma.supplierClaim.aggregate({ _count: true, _sum: { amountClaimedCents: true }, where: { status: 'sent', claim: who } }),
  ]);
  const sum = (pick: (r: (typeof answered)[number]) => number | null) => answered.reduce((s, r) => s + (pick(r) ?? 0), 0);
  const countOf = (status: string) => answered.find((r) => r.status === status)?._count ?? 0;
  const claimedCents = sum((r) => r._sum.amountClaimedCents);
  const recoveredCents = sum((r) => r._sum.amountAcceptedCents);
  const answeredCount = sum((r) => r._count);
  return {
    open,
    closed: closed._count,
    periodDays: PERIOD_DAYS,
    costCents: closed._sum.costCents ?? 0,
    supplier: {
      answered: answeredCount,
      rejected: countOf('rejected'),
      partiallyAccepted: countOf('partially_accepted'),
      claimedCents,
      recoveredCents,
      recoveryRate: ratio(recoveredCents, claimedCents),
      rejectionRate: ratio(countOf('rejected'), answeredCount),
      pendingCents: pending._sum.amountClaimedCents ?? 0,
      pending: pending._count,
    },
  };
}
