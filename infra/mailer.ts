import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';

export type Mailer = Transporter;

/** SMTP transport from SMTP_URL (smtp://user:pass@host:port, smtps:// for TLS). */
export function createMailer(smtpUrl: string): Mailer {
  return nodemailer.createTransport(smtpUrl, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 });
}
