import type { OrderStep, OrderWaitingFor } from './order-to-cash.definitions';

/** Steps after which the process is over. */
export const TERMINAL_STEPS: OrderStep[] = ['paid', 'rejected', 'cancelled'];

/** What each step waits for, shown by the status query and the WaitingFor search attribute. */
export function waitingForOf(step: OrderStep): OrderWaitingFor {
  switch (step) {
    case 'awaiting_credit_approval':
      return 'credit_approval';
    case 'awaiting_stock':
      return 'stock';
    case 'awaiting_shipment':
      return 'shipment';
    case 'awaiting_payment':
    case 'in_collection':
      return 'payment';
    default:
      return null;
  }
}

/** Whether the order may still be cancelled at this step (not once paid, rejected or cancelled). */
export const cancellable = (step: OrderStep): boolean => !TERMINAL_STEPS.includes(step) && step !== 'cancelling';
