import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { IsoDate } from '../domain/contracts';

/** Workflow id of a contract's process (one per contract, across all its terms). */
export const contractWorkflowId = (contractId: string): string => `contract-${contractId}`;

/** Rules fixed at each term: the length of a day, the renewal lead and approval time, when to continue as new. */
export interface ContractPolicy {
  dayMs: number;
  renewalLeadDays: number;
  renewalApprovalDays: number;
  maxHistoryEvents: number;
}

/** What a run hands to the next one (continue-as-new). */
export interface CarriedState {
  /** Real instant the contract clock counts from (the first run's start). */
  clockAnchorMs: number;
  run: number;
  visitsDone: number;
  visitsOverdue: number;
  amendments: number;
  renewals: { term: number; outcome: RenewalOutcome; priceCents: number }[];
  /** Where this term's renewal stands, when a run continued mid-term. */
  renewal?: RenewalStatus;
}

export interface ServiceContractInput {
  contractId: string;
  policy: ContractPolicy;
  carried?: CarriedState;
}

export type RenewalOutcome = 'renewed' | 'tacitly_renewed' | 'refused' | 'not_renewed' | 'terminated';

export interface RenewalStatus {
  step: 'not_started' | 'awaiting_account_manager' | 'awaiting_customer' | 'decided';
  proposedPriceCents?: number;
  refusalDeadline: IsoDate;
  renewalStart: IsoDate;
  legalNoticeSentOn?: IsoDate;
  outcome?: RenewalOutcome;
}

export interface VisitView {
  id: string;
  dueDate: IsoDate;
  windowEnd: IsoDate;
  status: 'planned' | 'started' | 'done' | 'overdue' | 'cancelled';
  interventionId?: string;
}

/** The `contractStatus` query: what the contract does next and what it waits for. */
export interface ContractProcessStatus {
  contractId: string;
  step: 'active' | 'ending' | 'terminated';
  today: IsoDate;
  term: { number: number; start: IsoDate; end: IsoDate };
  endDate?: IsoDate;
  nextInvoiceDate?: IsoDate;
  nextVisit?: { dueDate: IsoDate; windowEnd: IsoDate };
  visits: { planned: number; done: number; overdue: number; doneAllTerms: number; overdueAllTerms: number };
  renewal: RenewalStatus;
  waitingFor: 'next_date' | 'account_manager' | 'customer' | 'nothing';
  run: number;
  history: CarriedState['renewals'];
}

export interface PlanItemInput {
  siteId: string;
  label: string;
  visitsPerYear: number;
  skills: string[];
  durationMinutes: number;
  equipment?: string;
}

/** An amendment (avenant): price or coverage in force from a date. */
export interface Amendment {
  effectiveFrom: IsoDate;
  priceCents?: number;
  siteIds?: string[];
  equipment?: string[];
  plan?: PlanItemInput[];
  reason: string;
  by: string;
}

export interface Termination {
  by: 'customer' | 'company';
  reason: string;
  /** Wished end date; never earlier than the notice period allows. */
  effectiveDate?: IsoDate;
  requestedBy: string;
}

export const contractStatusQuery = defineQuery<ContractProcessStatus>('contractStatus');
/** Applies an amendment (validated against the term); answers once it is recorded. */
export const amendContractUpdate = defineUpdate<ContractProcessStatus, [Amendment]>('amendContract');
/** Notice of termination by either side; the contract ends after the notice period. */
export const terminateContractUpdate = defineUpdate<ContractProcessStatus, [Termination]>('terminateContract');
