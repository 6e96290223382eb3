import { computeInvoiceTotals } from '../../domain/invoice';
import { divRound, formatEuros, formatRate, vatOf } from '../../domain/money';

describe('money', () => {
  it('rounds half away from zero in integers', () => {
    expect(divRound(5, 10)).toBe(1);
    expect(divRound(4, 10)).toBe(0);
    expect(divRound(-5, 10)).toBe(-1);
    expect(vatOf(1005, 550)).toBe(55); // 55.275 -> 55
    expect(vatOf(1010, 550)).toBe(56); // 55.55 -> 56
  });

  it('formats euros and rates the French way', () => {
    expect(formatEuros(123456789)).toBe('1\u202f234\u202f567,89 €');
    expect(formatEuros(-5)).toBe('-0,05 €');
    expect(formatRate(2000)).toBe('20 %');
    expect(formatRate(550)).toBe('5,5 %');
    expect(formatRate(210)).toBe('2,1 %');
  });
});

describe('invoice totals', () => {
  it('computes VAT per rate on the sum of bases and totals that agree with the breakdown', () => {
    const totals = computeInvoiceTotals([
      { description: 'Pompe à chaleur', quantity: 1, unitPriceCents: 450000, vatRateBp: 550 },
      { description: 'Filtre', quantity: 3, unitPriceCents: 1999, vatRateBp: 2000 },
      { description: 'Main d’œuvre', quantity: 2, unitPriceCents: 6500, vatRateBp: 1000 },
      { description: 'Joint', quantity: 1, unitPriceCents: 333, vatRateBp: 2000 },
    ]);
    expect(totals.lines.map((l) => l.totalHtCents)).toEqual([450000, 5997, 13000, 333]);
    expect(totals.vatBreakdown).toEqual([
      { vatRateBp: 2000, baseHtCents: 6330, vatCents: 1266 },
      { vatRateBp: 1000, baseHtCents: 13000, vatCents: 1300 },
      { vatRateBp: 550, baseHtCents: 450000, vatCents: 24750 },
    ]);
    expect(totals.totalHtCents).toBe(469330);
    expect(totals.totalVatCents).toBe(27316);
    expect(totals.totalTtcCents).toBe(496646);
  });
});
