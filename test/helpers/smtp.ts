import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { waitUntil } from './wait';

/** A real SMTP server on a local port that keeps every delivered message, parsed. */
export class SmtpReceiver {
  readonly messages: ParsedMail[] = [];
  private server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData: (stream, _session, callback) => {
      simpleParser(stream)
        .then((mail) => {
          this.messages.push(mail);
          callback();
        })
        .catch(callback);
    },
  });

  async start(): Promise<number> {
    // A client that drops its connection (a stopped worker's pool) must not take the tests down.
    this.server.on('error', () => undefined);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Messages sent to `to` (and matching the optional subject pattern). */
  to(to: string, subject?: RegExp): ParsedMail[] {
    return this.messages.filter(
      (m) => m.to && [m.to].flat().some((a) => a.text.includes(to)) && (!subject || subject.test(m.subject ?? '')),
    );
  }

  /** Waits for the first message to `to` whose subject matches. */
  async waitFor(to: string, subject: RegExp, timeoutMs = 30_000): Promise<ParsedMail> {
    return waitUntil(() => this.to(to, subject)[0], { timeoutMs, what: `an email to ${to} matching ${subject}` });
  }
}
