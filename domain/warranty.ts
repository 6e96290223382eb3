/**
 * Warranty coverage rules, pure and deterministic: what covers each line of a claim (the
 * manufacturer warranty, an extended warranty, a service contract, or nothing), whether the
 * supplier owes it back, the claim's decision, and the warranty extension after a repair.
 */
import { addMonths, frenchDate, type IsoDate } from './dates';
import type { FieldLine } from './field-pricing';

/** What caused the fault, as the intake or the inspection found it. */
export type FaultCause = 'normal_use' | 'misuse' | 'external_cause';
export type Coverage = 'covered' | 'not_covered' | 'goodwill';
export type CoverageBasis = 'manufacturer' | 'extended' | 'contract';
export type ClaimDecision = 'covered' | 'partially_covered' | 'not_covered' | 'goodwill';
/** What a person decided on top of the rules: nothing, goodwill for what is not covered, or nothing covered at all. */
export type DecisionOverride = 'none' | 'goodwill' | 'not_covered';

export interface CoverageContext {
  /** The day the fault appeared. */
  faultOn: IsoDate;
  cause: FaultCause;
  /** Last days covered (null: no such warranty). */
  manufacturerWarrantyEnd: IsoDate | null;
  extendedWarrantyEnd: IsoDate | null;
  supplierWarrantyEnd: IsoDate | null;
  /** A live service contract covering the equipment on the fault day: it covers labour and travel. */
  contract: { id: string; title: string } | null;
}

export interface LineCoverage {
  coverage: Coverage;
  basis: CoverageBasis | null;
  reason: string;
  /** The supplier owes it back under its own warranty. */
  supplierRecoverable: boolean;
}

const CAUSE_LABEL: Record<Exclude<FaultCause, 'normal_use'>, string> = {
  misuse: 'mauvaise utilisation',
  external_cause: 'cause extérieure (choc, surtension, gel...)',
};

const inForce = (end: IsoDate | null, day: IsoDate): boolean => end !== null && day <= end;

/**
 * The coverage of one line. Warranties (manufacturer first, then extended) cover parts, labour
 * and travel, never wear parts, and nothing when the fault comes from misuse or an external
 * cause; a service contract covers labour and travel. Under the supplier's warranty, the parts and
 * the labour of a warranty-covered line are claimed back from the supplier (travel is not).
 */
export function coverLine(line: Pick<FieldLine, 'kind' | 'wearPart'>, ctx: CoverageContext): LineCoverage {
  const excluded =
    ctx.cause !== 'normal_use'
      ? `exclusion : ${CAUSE_LABEL[ctx.cause]}`
      : line.kind === 'part' && line.wearPart
        ? "exclusion : pièce d'usure"
        : null;
  const warranty: CoverageBasis | null = excluded
    ? null
    : inForce(ctx.manufacturerWarrantyEnd, ctx.faultOn)
      ? 'manufacturer'
      : inForce(ctx.extendedWarrantyEnd, ctx.faultOn)
        ? 'extended'
        : null;
  if (warranty) {
    const end = warranty === 'manufacturer' ? ctx.manufacturerWarrantyEnd! : ctx.extendedWarrantyEnd!;
    return {
      coverage: 'covered',
      basis: warranty,
      reason: `${warranty === 'manufacturer' ? 'Garantie constructeur' : 'Extension de garantie'} jusqu'au ${frenchDate(end)}`,
      supplierRecoverable: line.kind !== 'travel' && inForce(ctx.supplierWarrantyEnd, ctx.faultOn),
    };
  }
  if (ctx.contract && line.kind !== 'part') {
    return { coverage: 'covered', basis: 'contract', reason: `Contrat ${ctx.contract.title}`, supplierRecoverable: false };
  }
  const why =
    excluded ??
    (ctx.manufacturerWarrantyEnd || ctx.extendedWarrantyEnd
      ? `garantie expirée le ${frenchDate([ctx.manufacturerWarrantyEnd, ctx.extendedWarrantyEnd].filter(Boolean).sort().at(-1)!)}`
      : 'aucune garantie');
  return { coverage: 'not_covered', basis: null, reason: `Non couvert : ${why}`, supplierRecoverable: false };
}

/** Applies a person's decision to the rules' coverage of a line. */
export function decideLine(rule: LineCoverage, override: DecisionOverride, why: string): LineCoverage {
  if (override === 'goodwill' && rule.coverage === 'not_covered') {
    return { coverage: 'goodwill', basis: null, reason: `Geste commercial : ${why}`, supplierRecoverable: false };
  }
  if (override === 'not_covered' && rule.coverage === 'covered') {
    return { coverage: 'not_covered', basis: null, reason: `Prise en charge refusée : ${why}`, supplierRecoverable: false };
  }
  return rule;
}

/** The claim's decision from its lines' coverage. */
export function claimDecision(lines: { coverage: Coverage }[]): ClaimDecision {
  if (lines.some((l) => l.coverage === 'goodwill')) return 'goodwill';
  const covered = lines.filter((l) => l.coverage === 'covered').length;
  return covered === lines.length ? 'covered' : covered === 0 ? 'not_covered' : 'partially_covered';
}

export interface ClaimTotals {
  /** HT the customer pays (lines not covered). */
  customerCents: number;
  /** What we bear (covered and goodwill lines, at cost). */
  costCents: number;
  /** What the supplier owes back (recoverable lines, at cost). */
  recoverableCents: number;
}

/** Totals of decided lines. */
export function claimTotals(
  lines: { coverage: Coverage; supplierRecoverable: boolean; quantity: number; unitPriceCents: number; unitCostCents: number }[],
): ClaimTotals {
  const sum = (pick: (l: (typeof lines)[number]) => boolean, amount: (l: (typeof lines)[number]) => number) =>
    lines.filter(pick).reduce((s, l) => s + l.quantity * amount(l), 0);
  return {
    customerCents: sum(
      (l) => l.coverage === 'not_covered',
      (l) => l.unitPriceCents,
    ),
    costCents: sum(
      (l) => l.coverage !== 'not_covered',
      (l) => l.unitCostCents,
    ),
    recoverableCents: sum(
      (l) => l.coverage === 'covered' && l.supplierRecoverable,
      (l) => l.unitCostCents,
    ),
  };
}

/**
 * The warranty end after a repair covered by that warranty: extended by `months` (a repair under
 * the legal guarantee of conformity adds six months, Code de la consommation L217-13). Null when
 * no extension applies.
 */
export function extendedEnd(end: IsoDate | null, months: number): IsoDate | null {
  if (!end || months <= 0) return null;
  return addMonths(end, months);
}

/** The supplier's answer: accepted in full, in part, or rejected, with what is left unrecovered. */
export function supplierOutcome(
  claimedCents: number,
  answer: { outcome: 'accepted' | 'partially_accepted' | 'rejected'; acceptedCents?: number },
): { recoveredCents: number; rejectedCents: number } {
  const recoveredCents =
    answer.outcome === 'accepted' ? claimedCents : answer.outcome === 'rejected' ? 0 : Math.min(claimedCents, answer.acceptedCents ?? 0);
  return { recoveredCents, rejectedCents: claimedCents - recoveredCents };
}
