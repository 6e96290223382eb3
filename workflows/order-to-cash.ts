import {
  CancellationScope,
  allHandlersFinished,
  condition,
  isCancellation,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { formatEuros } from '../domain/money';
import { shortActivity } from './shared/activity-options';
import { ApprovalGate } from './shared/approval';
import { AmountDueCents, BusinessKey, CustomerId, ProcessStatus, WaitingFor } from './shared/search-attributes';
import {
  cancelOrderUpdate,
  confirmShipmentUpdate,
  decideBackorderUpdate,
  orderStatusQuery,
  paymentReceivedSignal,
  stockReplenishedSignal,
  type CancelRequest,
  type OrderStep,
  type OrderToCashInput,
  type OrderToCashStatus,
  type ShipmentConfirmation,
} from './order-to-cash.definitions';
import { TERMINAL_STEPS, cancellable, waitingForOf } from './order-to-cash.state';
import { Collector } from './shared/collection';

const {
  validateOrder,
  checkCredit,
  setOrderStatus,
  reserveStock,
  releaseStock,
  shipOrder,
  issueInvoice,
  issueCreditNote,
  markOrderPaid,
  sendEmail,
} = proxyActivities<Activities>(shortActivity);

/** Undo steps, run last-in first-out when the order is cancelled. */
type Compensation = 'releaseStock' | 'creditNote';

/**
 * Order to cash, one durable process per order: validate, credit check (approval by email link
 * over the limit), reserve stock, wait for the shipment, invoice with PDF by email, collect
 * payments with a dunning ladder, and complete when paid. Cancellable until paid.
 */
export async function orderToCash({ orderId, policy }: OrderToCashInput): Promise<OrderToCashStatus> {
  const { workflowId } = workflowInfo();
  const status: Omit<OrderToCashStatus, 'amounts' | 'dunningLevelsSent' | 'nextDunningAt'> = {
    orderId,
    step: 'validating',
    waitingFor: null,
  };
  const approvals = new ApprovalGate();
  const collector = new Collector();
  const compensations: Compensation[] = [];
  let stockReplenished = false;
  let backorder: 'backorder' | 'cancel' | undefined;
  let shipment: ShipmentConfirmation | undefined;
  let cancelRequest: CancelRequest | undefined;
  const isOver = () => TERMINAL_STEPS.includes(status.step);

  const snapshot = (): OrderToCashStatus => ({
    ...status,
    approvalId: approvals.waitingFor?.approvalId,
    amounts: collector.amounts,
    dunningLevelsSent: collector.dunningLevelsSent,
    nextDunningAt: collector.nextDunningAt,
  });
  setHandler(orderStatusQuery, snapshot);
  setHandler(paymentReceivedSignal, (payment) => collector.receive(payment));
  setHandler(stockReplenishedSignal, () => {
    stockReplenished = true;
  });
  setHandler(
    decideBackorderUpdate,
    ({ decision }) => {
      backorder = decision;
      return snapshot();
    },
    { validator: (_decision) => assertStep('awaiting_stock', 'is not waiting for stock') },
  );
  setHandler(
    confirmShipmentUpdate,
    async (confirmation) => {
      shipment = confirmation;
      await condition(() => status.step !== 'awaiting_shipment');
      return snapshot();
    },
    {
      validator: ({ shippedAt }) => {
        assertStep('awaiting_shipment', 'is not awaiting a shipment');
        if (shipment) throw new Error('The shipment is already being recorded');
        if (cancelRequest) throw new Error('The order is being cancelled');
        if (Number.isNaN(Date.parse(shippedAt))) throw new Error('shippedAt is not a date');
      },
    },
  );
  setHandler(
    cancelOrderUpdate,
    async (request) => {
      // A repeated request (a retry after a lost answer, a second operator) joins the cancellation in progress.
      cancelRequest ??= request;
      await condition(isOver);
      return snapshot();
    },
    {
      validator: (_request) => {
        if (cancelRequest) return;
        if (!cancellable(status.step)) throw new Error(`The order can no longer be cancelled: it is ${status.step}`);
        if (shipment) throw new Error('The order is being shipped: it can be cancelled once invoiced (credit note)');
      },
    },
  );

  function assertStep(step: OrderStep, otherwise: string): void {
    if (status.step !== step) throw new Error(`The order ${otherwise} (it is ${status.step})`);
  }

  /** Moves to a step and shows it in the Temporal UI (search attributes, memo, current details). */
  function enter(step: OrderStep): void {
    status.step = step;
    status.waitingFor = waitingForOf(step);
    const due = collector.amounts.dueCents;
    const summary = `Order ${orderId}: ${step.replace(/_/g, ' ')}${due ? `, ${formatEuros(due)} due` : ''}`;
    upsertSearchAttributes([
      { key: ProcessStatus, value: step },
      { key: WaitingFor, value: status.waitingFor ?? 'nothing' },
      { key: AmountDueCents, value: collector.amounts.dueCents },
    ]);
    upsertMemo({ summary });
    setCurrentDetails(summary);
  }

  async function reject(reason: string, customer: { billingEmail: string | null }): Promise<OrderToCashStatus> {
    status.reason = reason;
    await setOrderStatus({ orderId, status: 'rejected', reason });
    if (customer.billingEmail) {
      await sendEmail({
        key: `${workflowId}:rejected`,
        template: 'orderRejected',
        to: customer.billingEmail,
        payload: { orderId, reason },
      });
    }
    enter('rejected');
    return snapshot();
  }

  /** Runs the compensations in reverse order, records the cancellation and tells the customer. */
  async function cancel(reason: string, billingEmail: string): Promise<OrderToCashStatus> {
    status.reason = reason;
    enter('cancelling');
    await CancellationScope.nonCancellable(async () => {
      for (const undo of compensations.reverse()) {
        if (undo === 'releaseStock') {
          await releaseStock({ orderId, key: `${workflowId}:release` });
        } else if (undo === 'creditNote' && status.invoice) {
          const note = await issueCreditNote({ invoiceId: status.invoice.id, reason, sourceKey: `${workflowId}:credit-note` });
          status.creditNote = { id: note.id, number: note.number };
          collector.update(note);
          await sendEmail({
            key: `${workflowId}:credit-note-email`,
            template: 'creditNote',
            to: billingEmail,
            payload: { creditNoteId: note.id },
          });
        }
      }
      await setOrderStatus({ orderId, status: 'cancelled', reason });
      await sendEmail({ key: `${workflowId}:cancelled`, template: 'orderCancelled', to: billingEmail, payload: { orderId, reason } });
    });
    enter('cancelled');
    return snapshot();
  }

  const cancelReason = () => `Cancelled by ${cancelRequest?.requestedBy}: ${cancelRequest?.reason}`;

  const result = await lifecycle();
  await condition(allHandlersFinished);
  return result;

  async function lifecycle(): Promise<OrderToCashStatus> {
    // 1. Validate.
    const order = await validateOrder(orderId);
    upsertSearchAttributes([
      { key: CustomerId, value: order.customerId },
      { key: BusinessKey, value: orderId },
    ]);
    if (!order.valid) return reject(order.reason, order);

    try {
      // 2. Credit check: over the limit, a credit controller decides by email link.
      enter('checking_credit');
      const credit = await checkCredit(orderId);
      if (!credit.withinLimit) {
        enter('awaiting_credit_approval');
        await setOrderStatus({ orderId, status: 'awaiting_credit_approval' });
        const approval = await approvals.request(
          workflowId,
          {
            step: 'credit',
            approverEmail: policy.creditApproval.approverEmail,
            reminderAfterMs: policy.creditApproval.reminderAfterMs,
            timeoutMs: policy.creditApproval.timeoutMs,
            onTimeout: policy.creditApproval.onTimeout,
            summary: {
              title: `Credit approval for order ${orderId}`,
              rows: [
                ['Customer', order.customerName],
                ['Order total (TTC)', formatEuros(order.totalTtcCents)],
                ['Open receivables', formatEuros(credit.openReceivablesCents)],
                ['Exposure', formatEuros(credit.exposureCents)],
                ['Credit limit', formatEuros(credit.creditLimitCents)],
              ],
            },
          },
          () => cancelRequest !== undefined,
        );
        if (!approval) return await cancel(cancelReason(), order.billingEmail);
        if (approval.decision === 'rejected') {
          const why = approval.timedOut
            ? 'no credit decision in time'
            : `rejected by ${approval.decidedBy}${approval.comment ? ` (${approval.comment})` : ''}`;
          return await reject(`Credit limit exceeded: ${why}`, order);
        }
      }
      if (cancelRequest) return await cancel(cancelReason(), order.billingEmail);

      if (order.hasStockedLines) {
        // 3. Reserve stock, or wait for a restock / an operator's decision.
        const stockDeadline = Date.now() + policy.stockWaitTimeoutMs;
        for (;;) {
          enter('reserving_stock');
          // Reset before trying: a restock signalled while the attempt runs must trigger another one.
          stockReplenished = false;
          const reservation = await reserveStock({ orderId, key: `${workflowId}:reserve` });
          if (reservation.reserved) {
            compensations.push('releaseStock');
            status.shortages = undefined;
            break;
          }
          status.shortages = reservation.shortages;
          if (status.waitingFor !== 'stock') await setOrderStatus({ orderId, status: 'awaiting_stock' });
          enter('awaiting_stock');
          const decided = backorder;
          const wake = () => stockReplenished || backorder !== decided || cancelRequest !== undefined;
          const inTime =
            backorder === 'backorder' ? (await condition(wake), true) : await condition(wake, Math.max(1, stockDeadline - Date.now()));
          if (cancelRequest) return await cancel(cancelReason(), order.billingEmail);
          if (backorder === 'cancel') return await cancel('Cancelled for lack of stock by an operator', order.billingEmail);
          if (!inTime) return await cancel('No stock arrived in time', order.billingEmail);
        }

        // 4. Fulfil: the warehouse confirms the shipment; stock leaves.
        enter('awaiting_shipment');
        await condition(() => shipment !== undefined || cancelRequest !== undefined);
        if (cancelRequest) return await cancel(cancelReason(), order.billingEmail);
        await shipOrder({ orderId, key: `${workflowId}:ship`, shipment: shipment! });
        compensations.splice(compensations.indexOf('releaseStock'), 1);
      }

      // 5. Invoice: gapless number, PDF, email.
      enter('invoicing');
      const invoice = await issueInvoice({ orderId, sourceKey: workflowId });
      compensations.push('creditNote');
      status.invoice = { id: invoice.id, number: invoice.number, dueDate: invoice.dueDate };
      collector.update({ invoicedCents: invoice.totalTtcCents, paidCents: invoice.paidCents, creditedCents: invoice.creditedCents });
      await sendEmail({
        key: `${workflowId}:invoice-email`,
        template: 'invoice',
        to: order.billingEmail,
        payload: { invoiceId: invoice.id },
      });

      // 6. Collect: payments by signal; dunning from the due date until paid.
      enter('awaiting_payment');
      const paid = await collector.collect({
        invoiceId: invoice.id,
        dueAtMs: Date.now() + order.paymentTermsDays * policy.dayMs,
        policy,
        keyPrefix: workflowId,
        stop: () => cancelRequest !== undefined,
        onCollectionHandoff: () => enter('in_collection'),
        onProgress: () => enter(status.step),
      });
      if (!paid) return await cancel(cancelReason(), order.billingEmail);

      // 7. Paid: reconciled, receipt emailed.
      await markOrderPaid({ orderId, invoiceId: invoice.id });
      await sendEmail({ key: `${workflowId}:receipt`, template: 'receipt', to: order.billingEmail, payload: { invoiceId: invoice.id } });
      enter('paid');
      return snapshot();
    } catch (err) {
      // Cancelled from the Temporal UI or CLI: compensate as for a cancellation through the API.
      if (isCancellation(err)) return await cancel('Cancelled from Temporal', order.billingEmail);
      throw err;
    }
  }
}
