import { approvalToken, hashToken } from '../infra/approval-tokens';
import { approvalsDecided } from '../infra/metrics';
import type { ApprovalSummary } from '../workflows/shared/approval.definitions';
import type { ApprovalResult } from '../workflows/shared/approval';
import type { ActivityDeps } from './deps';
import { createMailActivities } from './mail';

/** Approval activities: the record, the emailed link, the reminder and the decision. */
export function createApprovalActivities(deps: ActivityDeps) {
  const { prisma, config, now } = deps;
  const { sendEmail } = createMailActivities(deps);

  return {
    /** Creates the approval (once per id) and emails the approver a link to decide. */
    async requestApproval(input: {
      approvalId: string;
      workflowId: string;
      step: string;
      approverEmail: string;
      summary: ApprovalSummary;
      expiresInMs: number;
      template?: 'approvalRequest' | 'renewalProposal' | 'warrantyQuote';
    }): Promise<void> {
      const existing = await prisma.approval.findUnique({ where: { id: input.approvalId } });
      if (!existing) {
        const binding = {
          id: input.approvalId,
          workflowId: input.workflowId,
          step: input.step,
          approverEmail: input.approverEmail,
          expiresAt: new Date(now().getTime() + input.expiresInMs),
        };
        await prisma.approval.create({
          data: { ...binding, tokenHash: hashToken(approvalToken(config.APPROVAL_SECRET, binding)), summary: input.summary as object },
        });
      }
      await sendEmail({
        key: `approval:${input.approvalId}`,
        template: input.template ?? 'approvalRequest',
        to: input.approverEmail,
        payload: { approvalId: input.approvalId },
      });
    },

    /** Reminds the approver once that a decision is still awaited. */
    async sendApprovalReminder(
      approvalId: string,
      template: 'approvalReminder' | 'renewalProposalReminder' | 'warrantyQuoteReminder' = 'approvalReminder',
    ): Promise<void> {
      const approval = await prisma.approval.findUniqueOrThrow({ where: { id: approvalId } });
      await sendEmail({
        key: `approval:${approvalId}:reminder`,
        template,
        to: approval.approverEmail,
        payload: { approvalId },
      });
    },

    /** Writes the decision (or the timeout's outcome) to the approval record, once. */
    async recordApprovalDecision(result: ApprovalResult): Promise<void> {
      // Decisions are counted by the API that receives them; a timeout is decided here.
      if (result.timedOut) approvalsDecided.inc({ decision: 'expired' });
      await prisma.approval.updateMany({
        where: { id: result.approvalId, status: 'pending' },
        data: {
          status: result.timedOut ? 'expired' : result.decision,
          decidedAt: now(),
          decidedBy: result.decidedBy,
          comment: result.timedOut ? `No answer in time: ${result.decision} by default` : (result.comment ?? null),
        },
      });
    },

    /** The process no longer needs the decision (cancelled meanwhile). */
    async withdrawApproval(approvalId: string): Promise<void> {
      await prisma.approval.updateMany({ where: { id: approvalId, status: 'pending' }, data: { status: 'withdrawn', decidedAt: now() } });
    },
  };
}
