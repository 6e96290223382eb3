import { divRound } from './money';

/** How field work is priced to the customer (HT) and what it costs us. */
export interface FieldRates {
  labourRateCentsPerHour: number;
  travelFlatCents: number;
  serviceVatBp: number;
}

export interface PricedPart {
  productId: string;
  sku: string;
  name: string;
  quantity: number;
  unitPriceCents: number;
  vatRateBp: number;
  /** What a unit costs us; the selling price when the catalogue does not say. */
  purchaseCostCents: number | null;
  wearPart: boolean;
}

/** A line of field work: what the customer would pay and what it costs us. */
export interface FieldLine {
  kind: 'labour' | 'travel' | 'part';
  description: string;
  productId?: string;
  sku?: string;
  quantity: number;
  unitPriceCents: number;
  unitCostCents: number;
  vatRateBp: number;
  wearPart: boolean;
}

/**
 * The lines of a field job: labour at the hourly rate, travel at the flat rate, parts at their
 * price. Costs: the technician's time (labour and travel) at their hourly cost, parts at purchase cost.
 */
export function fieldJobLines(
  work: { labourMinutes: number; travelMinutes: number; hourlyCostCents: number; parts: PricedPart[] },
  rates: FieldRates,
  prefix = '',
): FieldLine[] {
  const timeCost = (minutes: number) => divRound(minutes * work.hourlyCostCents, 60);
  return [
    {
      kind: 'labour',
      description: `${prefix}main d'œuvre (${work.labourMinutes} min)`,
      quantity: 1,
      unitPriceCents: divRound(work.labourMinutes * rates.labourRateCentsPerHour, 60),
      unitCostCents: timeCost(work.labourMinutes),
      vatRateBp: rates.serviceVatBp,
      wearPart: false,
    },
    {
      kind: 'travel',
      description: `${prefix}déplacement`,
      quantity: 1,
      unitPriceCents: rates.travelFlatCents,
      unitCostCents: timeCost(work.travelMinutes),
      vatRateBp: rates.serviceVatBp,
      wearPart: false,
    },
    ...work.parts.map((p) => ({
      kind: 'part' as const,
      description: `${prefix}${p.name} (${p.sku})`,
      productId: p.productId,
      sku: p.sku,
      quantity: p.quantity,
      unitPriceCents: p.unitPriceCents,
      unitCostCents: p.purchaseCostCents ?? p.unitPriceCents,
      vatRateBp: p.vatRateBp,
      wearPart: p.wearPart,
    })),
  ];
}

/** Total cost of lines (what the work costs us). */
export const costOf = (lines: Pick<FieldLine, 'quantity' | 'unitCostCents'>[]): number =>
  lines.reduce((sum, l) => sum + l.quantity * l.unitCostCents, 0);
