import { randomUUID } from 'node:crypto';
import { Context, log } from '@temporalio/activity';
import { faultPoint } from '../infra/faults';
import { emailsFailed, emailsSent } from '../infra/metrics';
import type { ActivityDeps } from './deps';
import { emailTemplates, type TemplateName, type TemplatePayload, type RenderedEmail } from './emails';

export interface EmailRequest<T extends TemplateName = TemplateName> {
  /** Idempotency key, usually `${workflowId}:${step}`: the same key is sent once. */
  key: string;
  template: T;
  to: string;
  payload: TemplatePayload<T>;
}

export interface EmailResult {
  outboxId: string;
  messageId: string;
  alreadySent: boolean;
}

/** Runs `write` again after failures (every second at most) until it succeeds or the activity's time is nearly up. */
async function untilDeadline<T>(write: () => Promise<T>): Promise<T> {
  const { currentAttemptScheduledTimestampMs, startToCloseTimeoutMs } = Context.current().info;
  const deadline = currentAttemptScheduledTimestampMs + startToCloseTimeoutMs - 2_000;
  for (let wait = 100; ; wait = Math.min(wait * 2, 1_000)) {
    try {
      return await write();
    } catch (err) {
      if (Date.now() + wait >= deadline) throw err;
      await Context.current().sleep(wait);
    }
  }
}

/** Email activities: everything goes through the outbox so a retry never sends twice. */
export function createMailActivities(deps: ActivityDeps) {
  const { prisma, mailer, config } = deps;

  return {
    /** Writes the outbox row (once per key), then delivers it over SMTP unless it was already sent. */
    async sendEmail<T extends TemplateName>(request: EmailRequest<T>): Promise<EmailResult> {
      const row = await prisma.emailOutbox.upsert({
        where: { idempotencyKey: request.key },
        create: {
          idempotencyKey: request.key,
          template: request.template,
          to: request.to,
          payload: request.payload as object,
          messageId: `<${randomUUID()}@backoffice.local>`,
        },
        update: {},
      });
      if (row.status === 'sent') return { outboxId: row.id, messageId: row.messageId, alreadySent: true };

      const render = emailTemplates[row.template as TemplateName] as (p: unknown, d: ActivityDeps) => Promise<RenderedEmail>;
      const email = await render(row.payload, deps);
      try {
        await mailer.sendMail({
          from: config.MAIL_FROM,
          to: row.to,
          subject: email.subject,
          text: email.text,
          attachments: email.attachments,
          messageId: row.messageId,
        });
      } catch (err) {
        emailsFailed.inc({ template: row.template });
        await prisma.emailOutbox.update({
          where: { id: row.id },
          data: { attempts: { increment: 1 }, lastError: String((err as Error).message).slice(0, 500) },
        });
        throw err;
      }
      faultPoint('sendEmail:accepted'); // reliability run: SMTP accepted, the row not yet marked sent
      // The message is out: a failure to record it would send it again on retry, so the record is retried
      // here, for as long as the activity may run (a database restart, a failover).
      await untilDeadline(() =>
        prisma.emailOutbox.update({
          where: { id: row.id },
          data: { status: 'sent', sentAt: deps.now(), subject: email.subject, attempts: { increment: 1 }, lastError: null },
        }),
      );
      emailsSent.inc({ template: row.template });
      // The activity context logger adds workflowId, workflowRunId and activityType to the line.
      log.info('email sent', { messageId: row.messageId, template: row.template, outboxId: row.id });
      return { outboxId: row.id, messageId: row.messageId, alreadySent: false };
    },
  };
}
