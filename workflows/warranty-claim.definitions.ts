import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ClaimDecision, Coverage, CoverageBasis, FaultCause } from '../domain/warranty';
import type { CollectionPolicy } from './shared/collection';
import type { DispatchPolicy } from './intervention-dispatch.definitions';

/** Workflow id of a warranty claim's process. */
export const warrantyClaimWorkflowId = (claimId: string): string => `claim-${claimId}`;

/** Rules fixed at start: who approves, thresholds, how long each party has, the warranty extension. */
export interface WarrantyPolicy {
  dayMs: number;
  managerEmail: string;
  /** Above this cost borne by us (HT), the warranty manager approves the decision. */
  approvalThresholdCents: number;
  /** How long an operator may grant goodwill before a quote goes to the customer. */
  decisionWaitMs: number;
  approval: { reminderAfterMs: number; timeoutMs: number };
  quote: { reminderAfterMs: number; timeoutMs: number };
  supplier: { reminderEveryMs: number; reminders: number };
  /** Months added to the warranty that covered a repair (0: none). */
  repairExtensionMonths: number;
  dispatch: DispatchPolicy;
  collection: CollectionPolicy;
}

export interface WarrantyClaimInput {
  claimId: string;
  policy: WarrantyPolicy;
}

export type ClaimStep =
  | 'intake'
  | 'awaiting_inspection'
  | 'assessing'
  | 'awaiting_decision'
  | 'awaiting_approval'
  | 'awaiting_customer'
  | 'repairing'
  | 'settling'
  | 'awaiting_supplier'
  | 'closed';

/** A line of the claim with its coverage (the estimate before the repair, the actual work after). */
export interface ClaimLineView {
  kind: 'labour' | 'travel' | 'part';
  description: string;
  sku?: string;
  quantity: number;
  unitPriceCents: number;
  unitCostCents: number;
  coverage: Coverage;
  basis: CoverageBasis | null;
  reason: string;
  supplierRecoverable: boolean;
  removedSerial?: string;
  installedSerial?: string;
}

export interface ClaimAmounts {
  /** HT charged to the customer (lines not covered, and any re-invoiced supplier rejection). */
  customerCents: number;
  /** HT borne by us: covered and goodwill lines at cost. */
  costCents: number;
  claimedFromSupplierCents: number;
  recoveredCents: number;
  /** TTC credited on an invoice issued before the job was found covered. */
  creditedCents: number;
}

/** What the claim is doing and waiting for (the `warrantyClaimStatus` query). */
export interface WarrantyClaimStatus {
  claimId: string;
  serialNumber: string;
  step: ClaimStep;
  waitingFor: 'inspection_report' | 'decision' | 'approval' | 'customer' | 'repair' | 'supplier' | null;
  stage: 'estimate' | 'actual' | null;
  decision?: ClaimDecision;
  lines: ClaimLineView[];
  amounts: ClaimAmounts;
  inspectionInterventionId?: string;
  repairInterventionId?: string;
  quoteNumber?: string;
  invoices: { id: string; number: string; purpose: 'repair' | 'supplier_rejection' }[];
  creditNote?: { id: string; number: string };
  supplierClaim?: { number: string; status: 'sent' | 'accepted' | 'partially_accepted' | 'rejected'; remindersSent: number };
  outcome?: string;
}

/** The work a repair is expected to take (priced for the quote and the decision). */
export interface WorkEstimate {
  labourMinutes: number;
  travelMinutes: number;
  parts: { sku: string; quantity: number }[];
}

/** The technician's diagnosis from the inspection visit: cause and the work needed. */
export interface Diagnosis {
  cause: FaultCause;
  findings: string;
  estimate: WorkEstimate;
  technicianId: string;
}

/** The operator's decision before a quote goes out: keep the rules' coverage, or goodwill for what is not covered. */
export interface ClaimDecisionInput {
  decision: 'as_proposed' | 'goodwill';
  reason: string;
  by: string;
}

/** The supplier's answer to our warranty claim. */
export interface SupplierAnswer {
  outcome: 'accepted' | 'partially_accepted' | 'rejected';
  /** Required when partially accepted: the amount HT the supplier pays. */
  acceptedCents?: number;
  reference: string;
  reason?: string;
}

/** Status of the claim: stage, coverage per line, amounts and what it waits for. */
export const warrantyClaimStatusQuery = defineQuery<WarrantyClaimStatus>('warrantyClaimStatus');
/** The inspection's diagnosis arrives; coverage is assessed on it. */
export const reportInspectionUpdate = defineUpdate<WarrantyClaimStatus, [Diagnosis]>('reportInspection');
/** An operator decides before the quote goes out (goodwill needs the warranty manager's approval). */
export const decideClaimUpdate = defineUpdate<WarrantyClaimStatus, [ClaimDecisionInput]>('decideClaim');
/** The supplier answered our claim: the amount recovered is recorded. */
export const supplierAnswerUpdate = defineUpdate<WarrantyClaimStatus, [SupplierAnswer]>('recordSupplierAnswer');
