import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';

export type Mailer = Transporter;

/** Connection settings unless SMTP_URL sets them (`?pool=false`, `?maxConnections=2`...). */
const DEFAULTS: Record<string, string> = {
  // A few connections reused for many messages: an email does not pay a new connection,
  // greeting and EHLO each (servers commonly pause the greeting to catch early talkers).
  pool: 'true',
  maxConnections: '5',
  connectionTimeout: '10000',
  greetingTimeout: '10000',
  socketTimeout: '20000',
};

/** SMTP transport from SMTP_URL (smtp://user:pass@host:port, smtps:// for TLS). */
export function createMailer(smtpUrl: string): Mailer {
  // Settings go in the URL: nodemailer reads its options from the URL alone when given one
  // (a second argument only sets message defaults).
  const url = new URL(smtpUrl);
  for (const [key, value] of Object.entries(DEFAULTS)) if (!url.searchParams.has(key)) url.searchParams.set(key, value);
  return nodemailer.createTransport(url.toString());
}
