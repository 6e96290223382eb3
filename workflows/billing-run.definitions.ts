import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CollectionPolicy } from './shared/collection';

/** Workflow id of the contract billing run of a month `YYYY-MM`: starting it twice does nothing new. */
export const billingRunId = (period: string): string => `billing-${period}`;

export interface BillingRunPolicy {
  billingManagerEmail: string;
  /** Contracts drafted per page (one transaction each). */
  pageSize: number;
  /** Invoices issued, then emailed, per batch. */
  batchSize: number;
  emailsPerMinute: number;
  approval: { reminderAfterMs: number; timeoutMs: number };
  collection: CollectionPolicy;
}

export interface BillingRunInput {
  period: string;
  policy: BillingRunPolicy;
  /** Progress carried over when the run continues as new. */
  progress?: BillingRunProgress;
}

export interface BillingRunProgress {
  period: string;
  phase: 'drafting' | 'awaiting_approval' | 'rejected' | 'issuing' | 'sending' | 'done';
  pages: number;
  contractsScanned: number;
  drafted: number;
  totalHtCents: number;
  totalTtcCents: number;
  exceptions: { contractId: string; problem: string }[];
  issued: number;
  sent: number;
  approval?: { decision: string; decidedBy: string; comment?: string };
  /** Last contract id drafted (the page cursor). */
  cursor?: string;
}

export const billingRunProgressQuery = defineQuery<BillingRunProgress>('billingRunProgress');
/** After a rejection, contracts were corrected: draft the period again and ask again. */
export const redraftBillingRunUpdate = defineUpdate<BillingRunProgress, [{ by: string }]>('redraftBillingRun');
