import { fieldJobLines } from '../../domain/field-pricing';
import {
  claimDecision,
  claimTotals,
  coverLine,
  decideLine,
  extendedEnd,
  supplierOutcome,
  type CoverageContext,
} from '../../domain/warranty';

const ctx = (over: Partial<CoverageContext> = {}): CoverageContext => ({
  faultOn: '2026-11-20',
  cause: 'normal_use',
  manufacturerWarrantyEnd: '2027-03-11',
  extendedWarrantyEnd: null,
  supplierWarrantyEnd: '2027-03-11',
  contract: null,
  ...over,
});
const part = { kind: 'part' as const, wearPart: false };
const labour = { kind: 'labour' as const, wearPart: false };
const travel = { kind: 'travel' as const, wearPart: false };

describe('warranty coverage, line by line', () => {
  it('covers parts, labour and travel under the manufacturer warranty; the supplier owes parts and labour back, not travel', () => {
    expect(coverLine(part, ctx())).toEqual({
      coverage: 'covered',
      basis: 'manufacturer',
      reason: "Garantie constructeur jusqu'au 11/03/2027",
      supplierRecoverable: true,
    });
    expect(coverLine(labour, ctx()).supplierRecoverable).toBe(true);
    expect(coverLine(travel, ctx())).toMatchObject({ coverage: 'covered', supplierRecoverable: false });
  });

  it('covers the last day of the warranty, not the day after', () => {
    expect(coverLine(part, ctx({ faultOn: '2027-03-11' })).coverage).toBe('covered');
    expect(coverLine(part, ctx({ faultOn: '2027-03-12' }))).toMatchObject({
      coverage: 'not_covered',
      reason: 'Non couvert : garantie expirée le 11/03/2027',
    });
  });

  it('falls back to the extended warranty, which the supplier does not owe once its own warranty is over', () => {
    const c = ctx({ faultOn: '2028-06-01', extendedWarrantyEnd: '2031-03-11' });
    expect(coverLine(part, c)).toMatchObject({ coverage: 'covered', basis: 'extended', supplierRecoverable: false });
  });

  it('excludes wear parts and faults from misuse or an external cause from every warranty', () => {
    expect(coverLine({ kind: 'part', wearPart: true }, ctx())).toMatchObject({
      coverage: 'not_covered',
      reason: "Non couvert : exclusion : pièce d'usure",
    });
    expect(coverLine(labour, ctx({ cause: 'misuse' }))).toMatchObject({
      coverage: 'not_covered',
      reason: 'Non couvert : exclusion : mauvaise utilisation',
    });
    expect(coverLine(part, ctx({ cause: 'external_cause' })).coverage).toBe('not_covered');
  });

  it('lets a service contract cover labour and travel, never parts, when no warranty applies', () => {
    const c = ctx({ manufacturerWarrantyEnd: '2020-01-01', supplierWarrantyEnd: '2020-01-01', contract: { id: 'c1', title: 'Sérénité' } });
    expect(coverLine(labour, c)).toEqual({
      coverage: 'covered',
      basis: 'contract',
      reason: 'Contrat Sérénité',
      supplierRecoverable: false,
    });
    expect(coverLine(travel, c).basis).toBe('contract');
    expect(coverLine(part, c).coverage).toBe('not_covered');
    // Misuse voids the warranty; the maintenance contract still pays the technician's time.
    expect(coverLine(labour, { ...c, cause: 'misuse', manufacturerWarrantyEnd: '2030-01-01' }).basis).toBe('contract');
  });

  it('says there is no warranty at all when the equipment never had one', () => {
    expect(coverLine(part, ctx({ manufacturerWarrantyEnd: null, supplierWarrantyEnd: null })).reason).toBe('Non couvert : aucune garantie');
  });
});

describe("a person's decision on top of the rules", () => {
  const covered = coverLine(part, ctx());
  const notCovered = coverLine(part, ctx({ faultOn: '2029-01-01' }));

  it('turns what is not covered into goodwill, and leaves covered lines (and their supplier recovery) alone', () => {
    expect(decideLine(notCovered, 'goodwill', 'client fidèle')).toEqual({
      coverage: 'goodwill',
      basis: null,
      reason: 'Geste commercial : client fidèle',
      supplierRecoverable: false,
    });
    expect(decideLine(covered, 'goodwill', 'x')).toBe(covered);
  });

  it('refuses coverage when the warranty manager rejects it', () => {
    expect(decideLine(covered, 'not_covered', 'trace de choc')).toMatchObject({ coverage: 'not_covered', supplierRecoverable: false });
    expect(decideLine(covered, 'none', 'x')).toBe(covered);
  });

  it('names the claim by its lines: covered, partially covered, not covered, goodwill', () => {
    expect(claimDecision([{ coverage: 'covered' }, { coverage: 'covered' }])).toBe('covered');
    expect(claimDecision([{ coverage: 'covered' }, { coverage: 'not_covered' }])).toBe('partially_covered');
    expect(claimDecision([{ coverage: 'not_covered' }])).toBe('not_covered');
    expect(claimDecision([{ coverage: 'covered' }, { coverage: 'goodwill' }])).toBe('goodwill');
  });
});

describe('claim money', () => {
  const rates = { labourRateCentsPerHour: 7500, travelFlatCents: 4500, serviceVatBp: 2000 };
  const lines = fieldJobLines(
    {
      labourMinutes: 90,
      travelMinutes: 30,
      hourlyCostCents: 4500,
      parts: [
        {
          productId: 'p1',
          sku: 'CARTE',
          name: 'Carte',
          quantity: 2,
          unitPriceCents: 12_000,
          vatRateBp: 2000,
          purchaseCostCents: 8_000,
          wearPart: false,
        },
        {
          productId: 'p2',
          sku: 'FILTRE',
          name: 'Filtre',
          quantity: 1,
          unitPriceCents: 3_000,
          vatRateBp: 2000,
          purchaseCostCents: null,
          wearPart: true,
        },
      ],
    },
    rates,
  );

  it('prices field work to the customer and costs it to us (parts at purchase cost, else their price)', () => {
    expect(lines.map((l) => [l.kind, l.quantity, l.unitPriceCents, l.unitCostCents])).toEqual([
      ['labour', 1, 11_250, 6_750],
      ['travel', 1, 4_500, 2_250],
      ['part', 2, 12_000, 8_000],
      ['part', 1, 3_000, 3_000],
    ]);
  });

  it('adds up what the customer pays, what we bear and what the supplier owes', () => {
    const decided = lines.map((l) => ({ ...l, ...coverLine(l, ctx()) }));
    // The filter is a wear part: the customer pays it; the rest is ours, and the supplier owes labour and cards back.
    expect(claimTotals(decided)).toEqual({ customerCents: 3_000, costCents: 6_750 + 2_250 + 16_000, recoverableCents: 6_750 + 16_000 });
  });

  it('records what the supplier accepted, in part or not at all', () => {
    expect(supplierOutcome(12_500, { outcome: 'accepted' })).toEqual({ recoveredCents: 12_500, rejectedCents: 0 });
    expect(supplierOutcome(12_500, { outcome: 'partially_accepted', acceptedCents: 8_000 })).toEqual({
      recoveredCents: 8_000,
      rejectedCents: 4_500,
    });
    expect(supplierOutcome(12_500, { outcome: 'rejected' })).toEqual({ recoveredCents: 0, rejectedCents: 12_500 });
  });

  it('extends the warranty that covered a repair by whole months (31 August + 6 months = 28 February)', () => {
    expect(extendedEnd('2027-03-11', 6)).toBe('2027-09-11');
    expect(extendedEnd('2026-08-31', 6)).toBe('2027-02-28');
    expect(extendedEnd('2027-03-11', 0)).toBeNull();
    expect(extendedEnd(null, 6)).toBeNull();
  });
});
