import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** What an approval link is bound to: one approval of one process step, for one approver, until a date. */
export interface ApprovalBinding {
  id: string;
  workflowId: string;
  step: string;
  approverEmail: string;
  expiresAt: Date;
}

const sign = (secret: string, a: ApprovalBinding): string =>
  createHmac('sha256', secret)
    .update([a.id, a.workflowId, a.step, a.approverEmail.toLowerCase(), a.expiresAt.toISOString()].join('|'))
    .digest('base64url');

/**
 * The link token: the approval id and an HMAC (256 bits) over its binding. It can be derived
 * again from the secret, so it is never stored; the database keeps only its hash for lookup.
 */
export const approvalToken = (secret: string, a: ApprovalBinding): string => `${a.id}.${sign(secret, a)}`;

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** True when the token is exactly the one signed for this approval (constant-time compare). */
export function tokenMatches(secret: string, token: string, a: ApprovalBinding): boolean {
  const expected = Buffer.from(approvalToken(secret, a));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
