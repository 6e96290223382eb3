/**
 * Service contract rules, pure and deterministic (the contract process calls them too): the
 * calendar of a term, billing periods and their prorated amounts, preventive visit schedules
 * and the renewal price. Dates are calendar days `YYYY-MM-DD`; every end is excluded.
 */

import { addDays, addMonths, dateMs, daysBetween, frenchDate, isoDate, maxDate, minDate, type IsoDate } from './dates';

export { addDays, addMonths, dateMs, daysBetween, frenchDate, isoDate, maxDate, minDate, type IsoDate } from './dates';
export type BillingRhythm = 'monthly' | 'quarterly' | 'yearly' | 'per_intervention';
export type BillingTiming = 'in_advance' | 'in_arrears';

const DAY = 86_400_000;
const MONTHS_PER_PERIOD: Record<Exclude<BillingRhythm, 'per_intervention'>, number> = { monthly: 1, quarterly: 3, yearly: 12 };

/** First day of a billing run's month `YYYY-MM` and of the next month. */
export function monthBounds(period: string): { start: IsoDate; end: IsoDate } {
  const start = `${period}-01`;
  return { start, end: addMonths(start, 1) };
}

export interface Term {
  number: number;
  start: IsoDate;
  end: IsoDate;
}

/** The price (yearly, HT, cents) in force from a date: amendments and renewals add versions. */
export interface PriceVersion {
  effectiveFrom: IsoDate;
  priceCents: number;
}

export interface BillingPeriod {
  start: IsoDate;
  /** Where the period stops: its normal end, or earlier when the term or the contract ends. */
  end: IsoDate;
  /** The normal end, for proration. */
  fullEnd: IsoDate;
}

/** The billing periods of a term, anchored on its start, cut short by the contract's end date. */
export function billingPeriods(term: Term, rhythm: BillingRhythm, endDate?: IsoDate | null): BillingPeriod[] {
  if (rhythm === 'per_intervention') return [];
  const stop = endDate ? minDate(term.end, endDate) : term.end;
  const periods: BillingPeriod[] = [];
  for (let k = 0; ; k++) {
    const start = addMonths(term.start, k * MONTHS_PER_PERIOD[rhythm]);
    if (start >= stop) return periods;
    const fullEnd = addMonths(term.start, (k + 1) * MONTHS_PER_PERIOD[rhythm]);
    periods.push({ start, end: minDate(fullEnd, stop), fullEnd });
  }
}

/** When a period is invoiced: on its first day in advance, on the day after it in arrears. */
export const billingDate = (period: BillingPeriod, timing: BillingTiming): IsoDate => (timing === 'in_advance' ? period.start : period.end);

/** Price in force on a day (the latest version effective on or before it). */
export function priceOn(versions: PriceVersion[], date: IsoDate): number {
  const inForce = versions.filter((v) => v.effectiveFrom <= date).sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1));
  return (inForce.at(-1) ?? versions[0]).priceCents;
}

/**
 * What a period costs HT: the yearly price spread over the rhythm, prorated by days for each
 * price in force during the period (amendments) and for a period cut short.
 */
export function periodAmount(period: BillingPeriod, rhythm: BillingRhythm, versions: PriceVersion[]): number {
  if (rhythm === 'per_intervention') return 0;
  const fullDays = daysBetween(period.start, period.fullEnd);
  const changes = versions.map((v) => v.effectiveFrom).filter((d) => d > period.start && d < period.end);
  const bounds = [period.start, ...[...new Set(changes)].sort(), period.end];
  let total = 0;
  for (let i = 0; i < bounds.length - 1; i++) {
    const full = Math.round((priceOn(versions, bounds[i]) * MONTHS_PER_PERIOD[rhythm]) / 12);
    total += Math.round((full * daysBetween(bounds[i], bounds[i + 1])) / fullDays);
  }
  return total;
}

export interface ContractForBilling {
  title: string;
  rhythm: BillingRhythm;
  timing: BillingTiming;
  vatRateBp: number;
  endDate?: IsoDate | null;
  terms: Term[];
  versions: PriceVersion[];
  /** What earlier invoices billed, per period start (sum of their lines). */
  billed: Record<IsoDate, number>;
}

export interface DraftLine {
  description: string;
  quantity: number;
  unitPriceCents: number;
  vatRateBp: number;
  /** The billing period the line is for. */
  periodStart: IsoDate;
}

/**
 * The lines of a contract's invoice in the billing run of a month: every period whose billing
 * date falls in the month, plus, on that same invoice, the prorated difference for periods
 * already billed whose price changed since (an amendment after an invoice in advance).
 */
export function contractLinesForMonth(contract: ContractForBilling, month: string): DraftLine[] {
  const { start, end } = monthBounds(month);
  const all = contract.terms.flatMap((t) => billingPeriods(t, contract.rhythm, contract.endDate));
  const due = all.filter((p) => {
    const date = billingDate(p, contract.timing);
    return date >= start && date < end && contract.billed[p.start] === undefined;
  });
  if (due.length === 0) return [];
  const line = (description: string, amount: number, periodStart: IsoDate): DraftLine => ({
    description,
    quantity: 1,
    unitPriceCents: amount,
    vatRateBp: contract.vatRateBp,
    periodStart,
  });
  const span = (p: BillingPeriod) => `du ${frenchDate(p.start)} au ${frenchDate(addDays(p.end, -1))}`;
  const lines = due.map((p) =>
    line(`${contract.title} : période ${span(p)}`, periodAmount(p, contract.rhythm, contract.versions), p.start),
  );
  for (const p of all) {
    const billed = contract.billed[p.start];
    if (billed === undefined) continue;
    const difference = periodAmount(p, contract.rhythm, contract.versions) - billed;
    if (difference !== 0) lines.push(line(`Régularisation prorata temporis (avenant), période ${span(p)}`, difference, p.start));
  }
  return lines;
}

/** Renewal price: a fixed uplift, or the ratio of the latest index to the one at term start. */
export function renewalPrice(
  priceCents: number,
  rule: { kind: 'uplift'; upliftBp: number } | { kind: 'index'; startValue: number; latestValue: number },
): number {
  return rule.kind === 'uplift'
    ? Math.round((priceCents * (10_000 + rule.upliftBp)) / 10_000)
    : Math.round((priceCents * rule.latestValue) / rule.startValue);
}

export interface PlannedVisit {
  sequence: number;
  dueDate: IsoDate;
  windowEnd: IsoDate;
}

/**
 * Preventive visits of one plan item over a term: the yearly rate prorated to the days the item
 * is in force, evenly spread; each visit must be done before the next one is due.
 */
export function visitSchedule(
  item: { visitsPerYear: number; validFrom: IsoDate; validTo?: IsoDate | null },
  term: { start: IsoDate; end: IsoDate },
): PlannedVisit[] {
  const from = maxDate(item.validFrom, term.start);
  const to = item.validTo ? minDate(item.validTo, term.end) : term.end;
  const days = daysBetween(from, to);
  if (days <= 0) return [];
  const count = Math.round((item.visitsPerYear * days) / 365);
  const dueOf = (k: number) => addDays(from, Math.floor((k * days) / count));
  return Array.from({ length: count }, (_, k) => ({
    sequence: k + 1,
    dueDate: dueOf(k),
    windowEnd: k + 1 < count ? dueOf(k + 1) : to,
  }));
}

/** The renewal calendar of a term: when the proposal starts and the last day to refuse. */
export function renewalCalendar(termEnd: IsoDate, noticeDays: number, leadDays: number) {
  const refusalDeadline = addDays(termEnd, -noticeDays);
  return { renewalStart: addDays(refusalDeadline, -leadDays), refusalDeadline };
}

/**
 * The contract clock: maps calendar days to real instants. One day lasts `dayMs` (a real day in
 * production; tests shorten it to run a year in seconds), counted from the moment the process
 * first started (`anchorMs`), so a production clock is the plain calendar.
 */
export function contractClock(anchorMs: number, dayMs: number) {
  return {
    /** The real instant a calendar day starts. */
    instantOf: (date: IsoDate): number => anchorMs + ((dateMs(date) - anchorMs) * dayMs) / DAY,
    /** The calendar day at a real instant. */
    dateAt: (realMs: number): IsoDate => isoDate(anchorMs + ((realMs - anchorMs) * DAY) / dayMs),
  };
}
