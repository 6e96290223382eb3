import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { DunningLevel } from '../domain/dunning';
import type { InvoiceAmounts } from './shared/collection';

export { paymentReceivedSignal, type PaymentNotice } from './shared/collection.definitions';

/** Workflow id of an order's process: one durable process per order. */
export const orderWorkflowId = (orderId: string): string => `order-${orderId}`;

/** Timings and rules of the process, fixed at start so tests can run a year of dunning in seconds. */
export interface OrderToCashPolicy {
  /** Length of one business day in ms (payment terms and the dunning ladder count in days). */
  dayMs: number;
  creditApproval: {
    approverEmail: string;
    reminderAfterMs: number;
    timeoutMs: number;
    onTimeout: 'approved' | 'rejected';
  };
  stockWaitTimeoutMs: number;
  dunningLadder: DunningLevel[];
}

export interface OrderToCashInput {
  orderId: string;
  policy: OrderToCashPolicy;
}

export type OrderStep =
  | 'validating'
  | 'checking_credit'
  | 'awaiting_credit_approval'
  | 'reserving_stock'
  | 'awaiting_stock'
  | 'awaiting_shipment'
  | 'invoicing'
  | 'awaiting_payment'
  | 'in_collection'
  | 'cancelling'
  | 'paid'
  | 'rejected'
  | 'cancelled';

export type OrderWaitingFor = 'credit_approval' | 'stock' | 'shipment' | 'payment' | null;

export type OrderAmounts = InvoiceAmounts;

/** What the order's process is doing and waiting for (the `orderStatus` query). */
export interface OrderToCashStatus {
  orderId: string;
  step: OrderStep;
  waitingFor: OrderWaitingFor;
  approvalId?: string;
  shortages?: Shortage[];
  invoice?: { id: string; number: string; dueDate: string };
  creditNote?: { id: string; number: string };
  amounts: OrderAmounts;
  dunningLevelsSent: number;
  nextDunningAt?: string;
  reason?: string;
}

export interface Shortage {
  sku: string;
  requested: number;
  available: number;
}

export interface ShipmentConfirmation {
  carrier?: string;
  trackingNumber?: string;
  shippedAt: string;
}

export interface CancelRequest {
  reason: string;
  requestedBy: string;
}

/** Where the process is, with amounts and what it waits for. */
export const orderStatusQuery = defineQuery<OrderToCashStatus>('orderStatus');
/** The warehouse confirms the shipment; an update so it is refused when the order is not awaiting shipment. */
export const confirmShipmentUpdate = defineUpdate<OrderToCashStatus, [ShipmentConfirmation]>('confirmShipment');
/** Stock arrived for a product of this order: try the reservation again. */
export const stockReplenishedSignal = defineSignal('stockReplenished');
/** An operator decides what to do with an order short of stock; refused unless it is waiting for stock. */
export const decideBackorderUpdate = defineUpdate<OrderToCashStatus, [{ decision: 'backorder' | 'cancel'; decidedBy: string }]>(
  'decideBackorder',
);
/** Cancels the order with a reason; answers once the compensations have run. */
export const cancelOrderUpdate = defineUpdate<OrderToCashStatus, [CancelRequest]>('cancelOrder');
