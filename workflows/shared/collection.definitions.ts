import { defineSignal } from '@temporalio/workflow';

export interface PaymentNotice {
  reference: string;
  amountCents: number;
  receivedOn: string;
  method: 'transfer' | 'card' | 'cheque' | 'direct_debit' | 'cash';
}

/** A payment was received (fire and forget: the bank feed does not wait; the same reference applies once). */
export const paymentReceivedSignal = defineSignal<[PaymentNotice]>('paymentReceived');

/** A credit note reduced the invoice (its new total credited, TTC): dunning stops when nothing is left due. */
export const invoiceCreditedSignal = defineSignal<[{ creditedCents: number }]>('invoiceCredited');
