import { defineQuery } from '@temporalio/workflow';
import type { CollectionPolicy, InvoiceAmounts } from './shared/collection';

export { invoiceCreditedSignal, paymentReceivedSignal, type PaymentNotice } from './shared/collection.definitions';

/** Workflow id of the collection of an invoice that no other process collects (field jobs, monthly billing). */
export const invoiceCollectionWorkflowId = (invoiceId: string): string => `invoice-${invoiceId}`;

export interface InvoiceCollectionInput {
  invoiceId: string;
  invoiceNumber: string;
  customerId: string;
  billingEmail: string;
  paymentTermsDays: number;
  invoicedCents: number;
  policy: CollectionPolicy;
}

export interface InvoiceCollectionStatus {
  invoiceId: string;
  invoiceNumber: string;
  /** credited: credit notes left nothing to pay. */
  step: 'awaiting_payment' | 'in_collection' | 'paid' | 'credited';
  amounts: InvoiceAmounts;
  dunningLevelsSent: number;
  nextDunningAt?: string;
}

/** Amounts, dunning level and next dunning date of the invoice. */
export const invoiceCollectionStatusQuery = defineQuery<InvoiceCollectionStatus>('invoiceCollectionStatus');
