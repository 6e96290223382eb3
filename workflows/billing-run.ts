import {
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Activities } from '../activities';
import { formatEuros } from '../domain/money';
import { ApprovalGate } from './shared/approval';
import { standardRetry } from './shared/activity-options';
import { BusinessKey, ProcessStatus, WaitingFor } from './shared/search-attributes';
import {
  billingRunId,
  billingRunProgressQuery,
  redraftBillingRunUpdate,
  type BillingRunInput,
  type BillingRunPolicy,
  type BillingRunProgress,
} from './billing-run.definitions';

// A page or batch is one transaction over many rows: more time than a single business step. The
// batches heartbeat as they go, so a worker that dies mid-batch is noticed within a minute, not five.
const { draftBillingPage, billingRunSummary, discardBillingDrafts, issueBillingDrafts, sendBillingInvoices } = proxyActivities<Activities>({
  startToCloseTimeout: '5m',
  heartbeatTimeout: '1m',
  retry: standardRetry,
});

/**
 * The contract billing run of a month: drafts every contract due (in pages), asks the billing
 * manager to approve the summary (emailed link), then issues the invoices (gapless numbers) and
 * emails them at the configured pace, each with its collection process. A rejection discards the
 * drafts; once the contracts are corrected, a redraft asks again.
 */
export async function billingRun({ period, policy, progress: previous }: BillingRunInput): Promise<BillingRunProgress> {
  const { workflowId } = workflowInfo();
  const progress: BillingRunProgress = previous ?? {
    period,
    phase: 'drafting',
    pages: 0,
    contractsScanned: 0,
    drafted: 0,
    totalHtCents: 0,
    totalTtcCents: 0,
    exceptions: [],
    issued: 0,
    sent: 0,
  };
  const gate = new ApprovalGate();
  let redraftRequested = false;
  setHandler(billingRunProgressQuery, () => progress);
  setHandler(
    redraftBillingRunUpdate,
    async () => {
      redraftRequested = true;
      await condition(() => progress.phase !== 'rejected');
      return progress;
    },
    {
      validator: (_input) => {
        if (progress.phase !== 'rejected' || redraftRequested)
          throw new Error(`Only a rejected run can be drafted again (this one is ${progress.phase})`);
      },
    },
  );

  const show = () => {
    const waiting = progress.phase === 'awaiting_approval' ? 'billing_manager' : progress.phase === 'rejected' ? 'redraft' : 'nothing';
    upsertSearchAttributes([
      { key: BusinessKey, value: period },
      { key: ProcessStatus, value: progress.phase },
      { key: WaitingFor, value: waiting },
    ]);
    setCurrentDetails(
      `Billing run ${period}: ${progress.phase.replace(/_/g, ' ')}; ${progress.drafted} drafted (${formatEuros(progress.totalHtCents)} HT), ${progress.issued} issued, ${progress.sent} sent`,
    );
  };
  const continueIfLong = async () => {
    if (!workflowInfo().continueAsNewSuggested) return;
    await condition(allHandlersFinished);
    await continueAsNew<typeof billingRun>({ period, policy, progress });
  };
  show();

  for (;;) {
    if (progress.phase === 'drafting') {
      // Pages of contracts by id, one transaction each; a contract and month is drafted once.
      for (;;) {
        const page = await draftBillingPage({ period, cursor: progress.cursor, pageSize: policy.pageSize });
        progress.pages += 1;
        progress.contractsScanned += page.scanned;
        progress.exceptions.push(...page.exceptions);
        progress.cursor = page.cursor ?? progress.cursor;
        Object.assign(progress, await billingRunSummary({ period }));
        show();
        if (page.scanned < policy.pageSize) break;
        await continueIfLong();
      }
      if (progress.drafted === 0) break;
      progress.phase = 'awaiting_approval';
      show();
    }

    if (progress.phase === 'awaiting_approval') {
      const decision = await gate.request(workflowId, approvalRequest(progress, policy), () => false);
      progress.approval = { decision: decision!.decision, decidedBy: decision!.decidedBy, comment: decision!.comment };
      if (decision!.decision === 'rejected') {
        await discardBillingDrafts({ period });
        // Counted before the phase shows: a query never sees 'rejected' with the discarded drafts.
        const summary = await billingRunSummary({ period });
        Object.assign(progress, summary, { phase: 'rejected', cursor: undefined, pages: 0, contractsScanned: 0, exceptions: [] });
        show();
        await condition(() => redraftRequested);
        redraftRequested = false;
        progress.phase = 'drafting';
        progress.approval = undefined;
        continue;
      }
      progress.phase = 'issuing';
      show();
    }

    if (progress.phase === 'issuing') {
      while ((await issueBillingDrafts({ period, batchSize: policy.batchSize })).issued > 0) {
        Object.assign(progress, await billingRunSummary({ period }));
        show();
        await continueIfLong();
      }
      progress.phase = 'sending';
    }

    // Emails at the configured pace, each invoice with its own collection process.
    for (;;) {
      const { sent } = await sendBillingInvoices({ period, batchSize: policy.batchSize, collection: policy.collection });
      if (sent === 0) break;
      progress.sent += sent;
      show();
      await sleep(Math.ceil((sent * 60_000) / policy.emailsPerMinute));
      await continueIfLong();
    }
    break;
  }
  progress.phase = 'done';
  Object.assign(progress, await billingRunSummary({ period }));
  show();
  await condition(allHandlersFinished);
  return progress;
}

function approvalRequest(progress: BillingRunProgress, policy: BillingRunPolicy) {
  const exceptions = progress.exceptions.map((e) => `${e.contractId}: ${e.problem}`);
  return {
    step: 'billing_run',
    approverEmail: policy.billingManagerEmail,
    summary: {
      title: `Contract billing run ${progress.period}`,
      rows: [
        ['Invoices drafted', String(progress.drafted)],
        ['Total HT', formatEuros(progress.totalHtCents)],
        ['Total TTC', formatEuros(progress.totalTtcCents)],
        ['Contracts scanned', String(progress.contractsScanned)],
        ['Exceptions', exceptions.length ? exceptions.slice(0, 20).join('; ') : 'none'],
      ] as [string, string][],
    },
    reminderAfterMs: policy.approval.reminderAfterMs,
    timeoutMs: policy.approval.timeoutMs,
    onTimeout: 'rejected' as const,
  };
}

/**
 * Started by the monthly Temporal Schedule: starts the run of the month it fires in, unless that
 * run already exists (started on demand), in which case nothing new happens.
 */
export async function scheduledBillingRun({ policy }: { policy: BillingRunPolicy }): Promise<string> {
  const period = new Date(Date.now()).toISOString().slice(0, 7);
  try {
    await startChild(billingRun, {
      workflowId: billingRunId(period),
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      args: [{ period, policy }],
    });
    return `started ${billingRunId(period)}`;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return `${billingRunId(period)} already exists`;
    throw err;
  }
}
