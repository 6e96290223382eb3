import type { Config } from '../../infra/config';
import { parseDunningLadder } from '../../domain/dunning';
import type { OrderToCashPolicy } from '../../workflows/order-to-cash.definitions';

/** The order process's timings and rules, from configuration, fixed in the workflow's input at start. */
export function orderPolicy(config: Config): OrderToCashPolicy {
  return {
    dayMs: config.DAY_MS,
    creditApproval: {
      approverEmail: config.CREDIT_CONTROLLER_EMAIL,
      reminderAfterMs: config.CREDIT_APPROVAL_REMINDER_MS,
      timeoutMs: config.CREDIT_APPROVAL_TIMEOUT_MS,
      onTimeout: config.CREDIT_APPROVAL_ON_TIMEOUT,
    },
    stockWaitTimeoutMs: config.STOCK_WAIT_TIMEOUT_MS,
    dunningLadder: parseDunningLadder(config.DUNNING_LADDER),
  };
}
