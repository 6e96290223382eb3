import { vatOf } from './money';

export interface LineInput {
  description: string;
  quantity: number;
  unitPriceCents: number;
  vatRateBp: number;
}

export interface ComputedLine extends LineInput {
  position: number;
  totalHtCents: number;
}

export interface VatBreakdownEntry {
  vatRateBp: number;
  baseHtCents: number;
  vatCents: number;
}

export interface InvoiceTotals {
  lines: ComputedLine[];
  /** One entry per VAT rate, highest rate first. */
  vatBreakdown: VatBreakdownEntry[];
  totalHtCents: number;
  totalVatCents: number;
  totalTtcCents: number;
}

/**
 * Line totals, VAT per rate and invoice totals. VAT is computed once per rate on the sum of the
 * line bases (as the invoice shows it), so the breakdown and the totals always agree.
 */
export function computeInvoiceTotals(lines: LineInput[]): InvoiceTotals {
  const computed = lines.map((line, i) => ({ ...line, position: i + 1, totalHtCents: line.quantity * line.unitPriceCents }));
  const bases = new Map<number, number>();
  for (const line of computed) bases.set(line.vatRateBp, (bases.get(line.vatRateBp) ?? 0) + line.totalHtCents);
  const vatBreakdown = [...bases.entries()]
    .sort(([a], [b]) => b - a)
    .map(([vatRateBp, baseHtCents]) => ({ vatRateBp, baseHtCents, vatCents: vatOf(baseHtCents, vatRateBp) }));
  const totalHtCents = vatBreakdown.reduce((s, v) => s + v.baseHtCents, 0);
  const totalVatCents = vatBreakdown.reduce((s, v) => s + v.vatCents, 0);
  return { lines: computed, vatBreakdown, totalHtCents, totalVatCents, totalTtcCents: totalHtCents + totalVatCents };
}

/** Adds whole days to a date (UTC), for due dates from payment terms. */
export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}
