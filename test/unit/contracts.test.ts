import {
  addMonths,
  billingPeriods,
  contractClock,
  contractLinesForMonth,
  periodAmount,
  renewalCalendar,
  renewalPrice,
  visitSchedule,
  type ContractForBilling,
} from '../../domain/contracts';

const year2027 = { number: 1, start: '2027-01-01', end: '2028-01-01' };
const base: ContractForBilling = {
  title: 'Entretien',
  rhythm: 'monthly',
  timing: 'in_advance',
  vatRateBp: 2000,
  terms: [year2027],
  versions: [{ effectiveFrom: '2027-01-01', priceCents: 120_000 }],
  billed: {},
};

describe('contract calendar', () => {
  it('adds months keeping the day the month has', () => {
    expect(addMonths('2027-01-31', 1)).toBe('2027-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2027-11-15', 3)).toBe('2028-02-15');
  });

  it('cuts billing periods at the term and at the end date', () => {
    expect(billingPeriods(year2027, 'quarterly').map((p) => p.start)).toEqual(['2027-01-01', '2027-04-01', '2027-07-01', '2027-10-01']);
    const cut = billingPeriods(year2027, 'monthly', '2027-03-16');
    expect(cut.at(-1)).toEqual({ start: '2027-03-01', end: '2027-03-16', fullEnd: '2027-04-01' });
    expect(billingPeriods(year2027, 'per_intervention')).toEqual([]);
  });

  it('spreads the yearly price and prorates by days', () => {
    const march = { start: '2027-03-01', end: '2027-04-01', fullEnd: '2027-04-01' };
    expect(periodAmount(march, 'monthly', base.versions)).toBe(10_000);
    // 240 000 a year from 16 March: 15 days at 100 € and 16 days at 200 € a month.
    const amended = [...base.versions, { effectiveFrom: '2027-03-16', priceCents: 240_000 }];
    expect(periodAmount(march, 'monthly', amended)).toBe(Math.round((10_000 * 15) / 31) + Math.round((20_000 * 16) / 31));
    expect(periodAmount({ start: '2027-03-01', end: '2027-03-16', fullEnd: '2027-04-01' }, 'monthly', base.versions)).toBe(
      Math.round((10_000 * 15) / 31),
    );
  });
});

describe('contract invoice lines of a billing run', () => {
  it('bills in advance on the first day and in arrears the day after', () => {
    expect(contractLinesForMonth(base, '2027-02').map((l) => [l.periodStart, l.unitPriceCents])).toEqual([['2027-02-01', 10_000]]);
    const arrears = { ...base, timing: 'in_arrears' as const };
    expect(contractLinesForMonth(arrears, '2027-01')).toEqual([]);
    expect(contractLinesForMonth(arrears, '2027-02').map((l) => l.periodStart)).toEqual(['2027-01-01']);
    expect(contractLinesForMonth(arrears, '2028-01').map((l) => l.periodStart)).toEqual(['2027-12-01']);
  });

  it('never bills a period twice', () => {
    expect(contractLinesForMonth({ ...base, billed: { '2027-02-01': 10_000 } }, '2027-02')).toEqual([]);
  });

  it('puts the prorated difference of an amendment on the next invoice', () => {
    const contract = {
      ...base,
      versions: [...base.versions, { effectiveFrom: '2027-03-16', priceCents: 240_000 }],
      billed: { '2027-01-01': 10_000, '2027-02-01': 10_000, '2027-03-01': 10_000 },
    };
    const lines = contractLinesForMonth(contract, '2027-04');
    expect(lines.map((l) => [l.periodStart, l.unitPriceCents])).toEqual([
      ['2027-04-01', 20_000],
      ['2027-03-01', Math.round((20_000 * 16) / 31) - Math.round((10_000 * 16) / 31)],
    ]);
    expect(lines[1].description).toMatch(/^Régularisation prorata temporis/);
  });

  it('bills the last short period in arrears after notice', () => {
    const contract = { ...base, timing: 'in_arrears' as const, endDate: '2027-05-20' };
    // April (billed on 1 May) and the 19 days of May up to the end (billed on 20 May) fall in May's run.
    expect(contractLinesForMonth(contract, '2027-05').map((l) => [l.periodStart, l.unitPriceCents])).toEqual([
      ['2027-04-01', 10_000],
      ['2027-05-01', Math.round((10_000 * 19) / 31)],
    ]);
    expect(contractLinesForMonth(contract, '2027-06')).toEqual([]);
  });
});

describe('visits, renewal and the clock', () => {
  it('spreads visits over the term, each due before the next', () => {
    expect(visitSchedule({ visitsPerYear: 2, validFrom: '2027-01-01' }, year2027)).toEqual([
      { sequence: 1, dueDate: '2027-01-01', windowEnd: '2027-07-02' },
      { sequence: 2, dueDate: '2027-07-02', windowEnd: '2028-01-01' },
    ]);
    // Half a year of a 4-a-year plan: 2 visits.
    expect(visitSchedule({ visitsPerYear: 4, validFrom: '2027-07-01' }, year2027)).toHaveLength(2);
    expect(visitSchedule({ visitsPerYear: 4, validFrom: '2027-01-01', validTo: '2027-01-01' }, year2027)).toEqual([]);
  });

  it('prices the renewal by uplift or index', () => {
    expect(renewalPrice(100_000, { kind: 'uplift', upliftBp: 350 })).toBe(103_500);
    expect(renewalPrice(100_000, { kind: 'index', startValue: 290_100, latestValue: 299_400 })).toBe(103_206);
  });

  it('computes the refusal deadline and the renewal start', () => {
    expect(renewalCalendar('2028-01-01', 60, 75)).toEqual({ refusalDeadline: '2027-11-02', renewalStart: '2027-08-19' });
  });

  it('maps calendar days to instants, identically with real days', () => {
    const anchor = Date.parse('2026-11-22T10:00:00Z');
    const real = contractClock(anchor, 86_400_000);
    expect(real.instantOf('2027-01-01')).toBe(Date.parse('2027-01-01T00:00:00Z'));
    expect(real.dateAt(Date.parse('2027-01-01T05:00:00Z'))).toBe('2027-01-01');
    const fast = contractClock(anchor, 1000);
    expect(fast.dateAt(anchor + 10_000)).toBe('2026-12-02');
    expect(fast.instantOf('2026-12-02') - anchor).toBeLessThanOrEqual(10_000);
  });
});
