import { Router, type Request, type Response } from 'express';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { multilineText } from '../validation';
import { hashToken, tokenMatches } from '../../infra/approval-tokens';
import { approvalsDecided } from '../../infra/metrics';
import { decideApprovalUpdate, type ApprovalSummary } from '../../workflows/shared/approval.definitions';
import { decisionPage, messagePage } from './page';

export const tokenParam = z.object({
  token: z
    .string()
    .min(10)
    .max(200)
    .regex(/^[A-Za-z0-9._-]+$/),
});
export const decisionForm = z.object({
  decision: z.enum(['approved', 'rejected']),
  comment: multilineText(1000).optional().or(z.literal('')),
});

/**
 * Approval links (no API key: the signed token is the credential). GET and HEAD only render;
 * POST decides once, through a workflow update, so the page can say "already decided".
 */
export function approvalsRouter({ prisma, temporal, config }: ApiDeps): Router {
  const router = Router();
  const publicOrigin = new URL(config.PUBLIC_URL).origin;

  const send = (res: Response, status: number, html: string) => res.status(status).set('Cache-Control', 'no-store').type('html').send(html);

  /** The approval the token opens, or the page to answer instead. */
  async function open(req: Request, res: Response) {
    const parsed = tokenParam.safeParse(req.params);
    const approval = parsed.success ? await prisma.approval.findUnique({ where: { tokenHash: hashToken(parsed.data.token) } }) : null;
    if (!parsed.success || !approval || !tokenMatches(config.APPROVAL_SECRET, parsed.data.token, approval)) {
      send(res, 404, messagePage('Invalid link', 'This approval link is not valid. Use the link from the most recent email.'));
      return undefined;
    }
    if (approval.status === 'expired' || approval.status === 'withdrawn') {
      send(
        res,
        410,
        messagePage(
          'Link expired',
          `This request is ${approval.status === 'expired' ? 'expired' : 'no longer needed'}. Nothing was changed.`,
        ),
      );
      return undefined;
    }
    if (approval.status !== 'pending') {
      const by = approval.decidedBy ? ` by ${approval.decidedBy}` : '';
      send(res, 409, messagePage('Already decided', `This request was already ${approval.status}${by}. Nothing was changed.`));
      return undefined;
    }
    if (approval.expiresAt.getTime() <= Date.now()) {
      send(res, 410, messagePage('Link expired', 'This approval link has expired. Nothing was changed.'));
      return undefined;
    }
    return { approval, token: parsed.data.token };
  }

  router.get('/:token', async (req, res) => {
    const opened = await open(req, res);
    if (!opened) return;
    const summary = opened.approval.summary as unknown as ApprovalSummary;
    send(
      res,
      200,
      decisionPage(
        { ...summary, approverEmail: opened.approval.approverEmail, expiresAt: opened.approval.expiresAt },
        `/approvals/${opened.token}`,
      ),
    );
  });

  router.post('/:token', async (req, res) => {
    // Only our own page may post here: browsers mark cross-site form posts (and send their origin).
    const site = req.get('sec-fetch-site');
    const origin = req.get('origin');
    if (site === 'cross-site' || site === 'same-site' || (origin && origin !== 'null' && origin !== publicOrigin)) {
      return send(res, 403, messagePage('Refused', 'Decisions can only be sent from the approval page itself.'));
    }
    const opened = await open(req, res);
    if (!opened) return;
    const form = decisionForm.safeParse(req.body);
    if (!form.success) return send(res, 400, messagePage('Invalid decision', 'Choose Approve or Reject (comment up to 1000 characters).'));
    const { approval } = opened;
    try {
      await temporal.workflow.getHandle(approval.workflowId).executeUpdate(decideApprovalUpdate, {
        args: [
          {
            approvalId: approval.id,
            decision: form.data.decision,
            decidedBy: approval.approverEmail,
            comment: form.data.comment || undefined,
          },
        ],
      });
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) {
        return send(res, 409, messagePage('Already decided', 'This request is no longer awaiting a decision. Nothing was changed.'));
      }
      if (err instanceof WorkflowNotFoundError || /completed|not found/i.test(String((err as Error).message))) {
        return send(res, 410, messagePage('Process closed', 'The process this request belonged to has moved on. Nothing was changed.'));
      }
      throw err;
    }
    approvalsDecided.inc({ decision: form.data.decision });
    send(
      res,
      200,
      messagePage('Decision recorded', `Thank you: your decision (${form.data.decision}) is recorded and the process continues.`),
    );
  });

  return router;
}
