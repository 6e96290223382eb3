import { condition, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { nextDunning, type DunningLevel } from '../../domain/dunning';
import { shortActivity } from './activity-options';
import type { PaymentNotice } from './collection.definitions';

const { recordPayment, sendDunningNotice } = proxyActivities<Activities>(shortActivity);

export interface CollectionPolicy {
  /** Length of one business day in ms (payment terms and the ladder count in days). */
  dayMs: number;
  dunningLadder: DunningLevel[];
}

export interface InvoiceAmounts {
  invoicedCents: number;
  paidCents: number;
  creditedCents: number;
  dueCents: number;
  /** Received beyond what was due (or paid on a cancelled invoice), kept as customer credit. */
  overpaidCents: number;
}

/** Amounts of an invoice; `overpaymentsCents` is money received beyond what was due. */
export function amountsOf(invoicedCents: number, paidCents: number, creditedCents: number, overpaymentsCents = 0): InvoiceAmounts {
  const owed = invoicedCents - creditedCents;
  return {
    invoicedCents,
    paidCents,
    creditedCents,
    dueCents: Math.max(0, owed - paidCents),
    overpaidCents: Math.max(0, paidCents - owed) + overpaymentsCents,
  };
}

/**
 * Collects one invoice inside a workflow: payments (queued by the signal handler, applied once
 * per reference) and the dunning ladder from the due date, until nothing is due. Shared by
 * order to cash and the invoice collection of field jobs.
 */
export class Collector {
  private readonly queue: PaymentNotice[] = [];
  private readonly seen = new Set<string>();
  private overpayments = 0;
  private credited = false;
  amounts: InvoiceAmounts = amountsOf(0, 0, 0);
  dunningLevelsSent = 0;
  nextDunningAt?: string;

  /** Queues a payment notice; the same reference twice is kept once. */
  receive(payment: PaymentNotice): void {
    if (this.seen.has(payment.reference)) return;
    this.seen.add(payment.reference);
    this.queue.push(payment);
  }

  /** A credit note lowered what is owed (TTC credited in all): the collection re-checks what is due. */
  credit(creditedCents: number): void {
    if (creditedCents <= this.amounts.creditedCents) return;
    this.update({ ...this.amounts, creditedCents });
    this.credited = true;
  }

  /** Sets the amounts from the invoice or credit note just issued. */
  update(a: { invoicedCents: number; paidCents: number; creditedCents: number }): void {
    this.amounts = amountsOf(a.invoicedCents, a.paidCents, a.creditedCents, this.overpayments);
  }

  /** Applies every queued payment (once per reference, recorded by the activity). */
  async applyPayments(invoiceId: string): Promise<void> {
    while (this.queue.length > 0) {
      const applied = await recordPayment({ invoiceId, ...this.queue.shift()! });
      this.overpayments += applied.overpaidCents;
      this.update(applied);
    }
  }

  /** Runs until paid (true) or until `stop()` becomes true (false). */
  async collect(opts: {
    invoiceId: string;
    dueAtMs: number;
    policy: CollectionPolicy;
    keyPrefix: string;
    stop: () => boolean;
    onCollectionHandoff: () => void;
    onProgress: () => void;
  }): Promise<boolean> {
    const { invoiceId, dueAtMs, policy, keyPrefix, stop } = opts;
    while (this.amounts.dueCents > 0) {
      const next = nextDunning(policy.dunningLadder, this.dunningLevelsSent, dueAtMs, policy.dayMs);
      this.nextDunningAt = next && new Date(next.atMs).toISOString();
      const wake = () => this.queue.length > 0 || this.credited || stop();
      const woken = next ? await condition(wake, Math.max(1, next.atMs - Date.now())) : (await condition(wake), true);
      this.credited = false;
      // Payments accepted by the API are applied even when the process is stopping.
      await this.applyPayments(invoiceId);
      if (stop()) return false;
      if (!woken && next) {
        await sendDunningNotice({ invoiceId, level: next.level, emailKey: `${keyPrefix}:dunning-${next.level.level}` });
        this.dunningLevelsSent += 1;
        if (next.level.kind === 'collection') opts.onCollectionHandoff();
      }
      if (this.amounts.dueCents > 0) opts.onProgress();
    }
    this.nextDunningAt = undefined;
    return true;
  }
}
