import type { Config } from './config';
import { parseDunningLadder } from '../domain/dunning';
import type { CollectionPolicy } from '../workflows/shared/collection';
import type { OrderToCashPolicy } from '../workflows/order-to-cash.definitions';
import type { DispatchPolicy, InterventionPriority } from '../workflows/intervention-dispatch.definitions';
import type { ContractPolicy } from '../workflows/service-contract.definitions';
import type { BillingRunPolicy } from '../workflows/billing-run.definitions';
import type { WarrantyPolicy } from '../workflows/warranty-claim.definitions';

/**
 * Each process's timings and rules, from configuration, fixed into its workflow input at start
 * (a process that runs for months keeps the rules it started with; a contract takes the current
 * ones at each new term).
 */

export function collectionPolicy(config: Config): CollectionPolicy {
  return { dayMs: config.DAY_MS, dunningLadder: parseDunningLadder(config.DUNNING_LADDER) };
}

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

export function dispatchPolicy(config: Config): DispatchPolicy {
  const hours = Object.fromEntries(config.SLA_HOURS.split(',').map((p) => p.split(':'))) as Record<InterventionPriority, string>;
  const hourMs = config.DAY_MS / 24;
  return {
    slaMsByPriority: {
      critical: Number(hours.critical) * hourMs,
      high: Number(hours.high) * hourMs,
      normal: Number(hours.normal) * hourMs,
      low: Number(hours.low) * hourMs,
    },
    dispatcherEmail: config.DISPATCHER_EMAIL,
    assignmentHorizonDays: config.ASSIGNMENT_HORIZON_DAYS,
    collection: collectionPolicy(config),
  };
}

export function contractPolicy(config: Config): ContractPolicy {
  return {
    dayMs: config.DAY_MS,
    renewalLeadDays: config.RENEWAL_LEAD_DAYS,
    renewalApprovalDays: config.RENEWAL_APPROVAL_DAYS,
    maxHistoryEvents: config.CONTRACT_MAX_HISTORY_EVENTS,
  };
}

export function billingRunPolicy(config: Config): BillingRunPolicy {
  return {
    billingManagerEmail: config.BILLING_MANAGER_EMAIL,
    pageSize: config.BILLING_PAGE_SIZE,
    batchSize: config.BILLING_BATCH_SIZE,
    emailsPerMinute: config.BILLING_EMAILS_PER_MINUTE,
    approval: {
      reminderAfterMs: config.BILLING_APPROVAL_REMINDER_DAYS * config.DAY_MS,
      timeoutMs: config.BILLING_APPROVAL_TIMEOUT_DAYS * config.DAY_MS,
    },
    collection: collectionPolicy(config),
  };
}

export function warrantyPolicy(config: Config): WarrantyPolicy {
  const days = (n: number) => Math.round(n * config.DAY_MS);
  return {
    dayMs: config.DAY_MS,
    managerEmail: config.WARRANTY_MANAGER_EMAIL,
    approvalThresholdCents: config.WARRANTY_APPROVAL_THRESHOLD_CENTS,
    decisionWaitMs: Math.max(1, days(config.WARRANTY_DECISION_DAYS)),
    approval: { reminderAfterMs: days(config.WARRANTY_APPROVAL_DAYS / 2), timeoutMs: days(config.WARRANTY_APPROVAL_DAYS) },
    quote: { reminderAfterMs: days(config.WARRANTY_QUOTE_DAYS / 2), timeoutMs: days(config.WARRANTY_QUOTE_DAYS) },
    supplier: { reminderEveryMs: days(config.SUPPLIER_CLAIM_REMINDER_DAYS), reminders: config.SUPPLIER_CLAIM_REMINDERS },
    repairExtensionMonths: config.WARRANTY_REPAIR_EXTENSION_MONTHS,
    dispatch: dispatchPolicy(config),
    collection: collectionPolicy(config),
  };
}
