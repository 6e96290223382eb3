import { defineUpdate } from '@temporalio/workflow';

/** What the approver is shown: a title and label/value rows (amounts already formatted). */
export interface ApprovalSummary {
  title: string;
  rows: [string, string][];
  /** Button labels when the one deciding is not an employee (a customer accepting a renewal). */
  actions?: { approve: string; reject: string };
}

export type ApprovalDecisionValue = 'approved' | 'rejected';

export interface ApprovalDecision {
  approvalId: string;
  decision: ApprovalDecisionValue;
  decidedBy: string;
  comment?: string;
}

/**
 * The approver's decision, sent by the approval page. An update (not a signal) so the page
 * learns at once whether the process was still waiting for this very approval.
 */
export const decideApprovalUpdate = defineUpdate<{ decision: ApprovalDecisionValue }, [ApprovalDecision]>('decideApproval');
