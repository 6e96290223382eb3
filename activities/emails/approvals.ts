import { approvalToken } from '../../infra/approval-tokens';
import type { ApprovalSummary } from '../../workflows/shared/approval.definitions';
import type { ActivityDeps } from '../deps';
import type { Render } from './index';

async function approvalText(approvalId: string, { prisma, config }: ActivityDeps) {
  const approval = await prisma.approval.findUniqueOrThrow({ where: { id: approvalId } });
  const summary = approval.summary as unknown as ApprovalSummary;
  const link = `${config.PUBLIC_URL}/approvals/${approvalToken(config.APPROVAL_SECRET, approval)}`;
  const rows = summary.rows.map(([label, value]) => `  ${label}: ${value}`).join('\n');
  return {
    summary,
    body: `${summary.title}\n\n${rows}\n\nOpen this link to approve or reject (valid until ${approval.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC):\n${link}\n\nOpening the link changes nothing; only the buttons on the page decide.\n`,
  };
}

/** Emails asking an approver to decide, with the signed link. */
export const approvalEmails = {
  approvalRequest: (async ({ approvalId }, deps) => {
    const { summary, body } = await approvalText(approvalId, deps);
    return { subject: `Approval needed: ${summary.title}`, text: body };
  }) as Render<{ approvalId: string }>,

  approvalReminder: (async ({ approvalId }, deps) => {
    const { summary, body } = await approvalText(approvalId, deps);
    return { subject: `Reminder: approval still needed: ${summary.title}`, text: `A decision is still awaited.\n\n${body}` };
  }) as Render<{ approvalId: string }>,
};
