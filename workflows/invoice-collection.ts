import {
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
  startChild,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { formatEuros } from '../domain/money';
import { shortActivity } from './shared/activity-options';
import { Collector, type CollectionPolicy } from './shared/collection';
import { AmountDueCents, BusinessKey, CustomerId, ProcessStatus, WaitingFor } from './shared/search-attributes';
import {
  invoiceCollectionStatusQuery,
  invoiceCollectionWorkflowId,
  invoiceCreditedSignal,
  paymentReceivedSignal,
  type InvoiceCollectionInput,
  type InvoiceCollectionStatus,
} from './invoice-collection.definitions';

const { sendEmail } = proxyActivities<Activities>(shortActivity);

/**
 * Collects one issued invoice to the end: payments by signal (once per reference), the dunning
 * ladder from its due date, and the receipt when paid. Started by the processes that invoice
 * without collecting themselves (field jobs, monthly billing).
 */
export async function invoiceCollection(input: InvoiceCollectionInput): Promise<InvoiceCollectionStatus> {
  const collector = new Collector();
  let step: InvoiceCollectionStatus['step'] = 'awaiting_payment';
  const status = (): InvoiceCollectionStatus => ({
    invoiceId: input.invoiceId,
    invoiceNumber: input.invoiceNumber,
    step,
    amounts: collector.amounts,
    dunningLevelsSent: collector.dunningLevelsSent,
    nextDunningAt: collector.nextDunningAt,
  });
  setHandler(invoiceCollectionStatusQuery, status);
  setHandler(paymentReceivedSignal, (payment) => collector.receive(payment));
  setHandler(invoiceCreditedSignal, ({ creditedCents }) => collector.credit(creditedCents));

  const show = () => {
    upsertSearchAttributes([
      { key: CustomerId, value: input.customerId },
      { key: BusinessKey, value: input.invoiceNumber },
      { key: ProcessStatus, value: step },
      { key: WaitingFor, value: step === 'paid' || step === 'credited' ? 'nothing' : 'payment' },
      { key: AmountDueCents, value: collector.amounts.dueCents },
    ]);
    upsertMemo({ summary: `Invoice ${input.invoiceNumber}: ${step.replace(/_/g, ' ')}, ${formatEuros(collector.amounts.dueCents)} due` });
  };

  collector.update({ invoicedCents: input.invoicedCents, paidCents: 0, creditedCents: 0 });
  show();
  await collector.collect({
    invoiceId: input.invoiceId,
    dueAtMs: Date.now() + input.paymentTermsDays * input.policy.dayMs,
    policy: input.policy,
    keyPrefix: `invoice-${input.invoiceId}`,
    stop: () => false,
    onCollectionHandoff: () => {
      step = 'in_collection';
    },
    onProgress: show,
  });
  const { invoicedCents, creditedCents } = collector.amounts;
  step = creditedCents >= invoicedCents ? 'credited' : 'paid';
  // A receipt for money received; an invoice credited in full leaves nothing to acknowledge.
  if (step === 'paid') {
    await sendEmail({
      key: `invoice-${input.invoiceId}:receipt`,
      template: 'receipt',
      to: input.billingEmail,
      payload: { invoiceId: input.invoiceId },
    });
  }
  show();
  await condition(allHandlersFinished);
  return status();
}

/**
 * Emails a freshly issued invoice and starts its collection as a process of its own, which
 * outlives the caller (ParentClosePolicy.ABANDON): used by field jobs and monthly billing.
 */
export async function sendAndCollectInvoice(args: {
  invoice: { id: string; number: string; totalTtcCents: number };
  customer: { customerId: string; billingEmail: string; paymentTermsDays: number };
  policy: CollectionPolicy;
  emailKey: string;
}): Promise<void> {
  const { invoice, customer } = args;
  await sendEmail({ key: args.emailKey, template: 'invoice', to: customer.billingEmail, payload: { invoiceId: invoice.id } });
  await startChild(invoiceCollection, {
    workflowId: invoiceCollectionWorkflowId(invoice.id),
    parentClosePolicy: ParentClosePolicy.ABANDON,
    args: [
      {
        invoiceId: invoice.id,
        invoiceNumber: invoice.number,
        customerId: customer.customerId,
        billingEmail: customer.billingEmail,
        paymentTermsDays: customer.paymentTermsDays,
        invoicedCents: invoice.totalTtcCents,
        policy: args.policy,
      },
    ],
  });
}
