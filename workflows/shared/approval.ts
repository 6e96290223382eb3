import { condition, proxyActivities, setHandler, uuid4 } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { shortActivity } from './activity-options';
import { decideApprovalUpdate, type ApprovalDecision, type ApprovalDecisionValue, type ApprovalSummary } from './approval.definitions';

const { requestApproval, sendApprovalReminder, recordApprovalDecision, withdrawApproval } = proxyActivities<Activities>(shortActivity);

export interface ApprovalRequest {
  step: string;
  approverEmail: string;
  summary: ApprovalSummary;
  reminderAfterMs: number;
  timeoutMs: number;
  /** What nobody answering decides. */
  onTimeout: ApprovalDecisionValue;
  /** Email templates of the request and the reminder (default: the internal approval emails). */
  emails?: { request: 'renewalProposal' | 'warrantyQuote'; reminder: 'renewalProposalReminder' | 'warrantyQuoteReminder' };
}

export interface ApprovalResult {
  approvalId: string;
  decision: ApprovalDecisionValue;
  decidedBy: string;
  comment?: string;
  timedOut: boolean;
}

/**
 * Approval by emailed link, shared by every lifecycle: asks, reminds once, and applies the
 * configured outcome when nobody answers. Construct it before the workflow's first await so the
 * update handler is registered in time.
 */
export class ApprovalGate {
  private pending?: { approvalId: string; step: string };
  private decision?: ApprovalDecision;

  constructor() {
    setHandler(
      decideApprovalUpdate,
      (input) => {
        this.decision = input;
        return { decision: input.decision };
      },
      {
        validator: (input) => {
          if (!this.pending || this.pending.approvalId !== input.approvalId || this.decision) {
            throw new Error('This approval is no longer awaiting a decision');
          }
        },
      },
    );
  }

  /** The approval being waited for, if any (for status queries). */
  get waitingFor(): { approvalId: string; step: string } | undefined {
    return this.decision ? undefined : this.pending;
  }

  /** Asks, waits (reminder, timeout) and records the decision; returns undefined when `abandon()` became true first. */
  async request(workflowId: string, req: ApprovalRequest, abandon: () => boolean): Promise<ApprovalResult | undefined> {
    const approvalId = uuid4();
    this.pending = { approvalId, step: req.step };
    this.decision = undefined;
    await requestApproval({
      approvalId,
      workflowId,
      step: req.step,
      approverEmail: req.approverEmail,
      summary: req.summary,
      expiresInMs: req.timeoutMs,
      ...(req.emails ? { template: req.emails.request } : {}),
    });
    const settled = () => this.decision !== undefined || abandon();
    let answered = await condition(settled, Math.min(req.reminderAfterMs, req.timeoutMs));
    if (!answered && req.reminderAfterMs < req.timeoutMs) {
      await sendApprovalReminder(approvalId, req.emails?.reminder);
      answered = await condition(settled, req.timeoutMs - req.reminderAfterMs);
    }
    // Set by the update handler while waiting (TypeScript cannot see that).
    const decision = this.decision as ApprovalDecision | undefined;
    this.pending = undefined;
    if (!decision && abandon()) {
      await withdrawApproval(approvalId);
      return undefined;
    }
    const result: ApprovalResult = decision
      ? { approvalId, decision: decision.decision, decidedBy: decision.decidedBy, comment: decision.comment, timedOut: false }
      : { approvalId, decision: req.onTimeout, decidedBy: 'timeout', timedOut: true };
    await recordApprovalDecision(result);
    return result;
  }
}
