import type { ActivityDeps } from '../deps';
import { approvalEmails } from './approvals';
import { contractEmails } from './contracts';
import { dispatchEmails } from './dispatch';
import { orderEmails } from './orders';
import { warrantyEmails } from './warranty';

export interface RenderedEmail {
  subject: string;
  text: string;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

export type Render<P> = (payload: P, deps: ActivityDeps) => Promise<RenderedEmail>;

/**
 * Every email template, rendered when its outbox row is delivered: the outbox stores the template
 * name and payload, so secrets such as approval links are never written to the database.
 */
export const emailTemplates = {
  smoke: (async ({ id, message }, { config }) => ({
    subject: `Smoke test ${id}`,
    text: `${message}\n\nThis email proves the chain API -> Temporal -> worker -> SMTP works.\nRun: ${config.PUBLIC_URL}/smoke/${id}\n`,
  })) as Render<{ id: string; message: string }>,
  ...approvalEmails,
  ...orderEmails,
  ...dispatchEmails,
  ...contractEmails,
  ...warrantyEmails,
};

export type EmailTemplates = typeof emailTemplates;
export type TemplateName = keyof EmailTemplates;
export type TemplatePayload<T extends TemplateName> = Parameters<EmailTemplates[T]>[0];
