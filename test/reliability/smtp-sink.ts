import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

/** One delivered message, as the verifier and the load drivers need it. */
export interface Delivered {
  messageId: string;
  to: string;
  subject: string;
  text: string;
  at: number;
}

/**
 * The reliability run's SMTP receiver on a fixed port: keeps every delivered message for the whole run
 * (so a duplicate across a crash is seen), and can be taken down and brought back on the same port
 * (the "SMTP down" scenario).
 */
export class SmtpSink {
  readonly messages: Delivered[] = [];
  private server?: SMTPServer;

  constructor(readonly port: number) {}

  get up(): boolean {
    return this.server !== undefined;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((mail) => {
            this.messages.push({
              messageId: mail.messageId ?? '',
              to: [mail.to ?? []]
                .flat()
                .map((a) => a.text)
                .join(', '),
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              at: Date.now(),
            });
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    // A sender killed mid-session resets its connection (ECONNRESET): the injected fault, not the receiver's.
    server.on('error', () => undefined);
    this.server = server;
  }

  /** Closes the port; connections in flight are dropped, so senders see the server gone. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Messages to `to` whose subject matches. */
  find(to: string, subject: RegExp): Delivered[] {
    return this.messages.filter((m) => m.to.includes(to) && subject.test(m.subject));
  }

  /** How many times each Message-ID arrived. */
  countsByMessageId(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const m of this.messages) counts.set(m.messageId, (counts.get(m.messageId) ?? 0) + 1);
    return counts;
  }
}
