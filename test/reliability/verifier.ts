import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { Db } from '../../infra/db';
import type { Accepted } from './load';
import { sleep, type Harness } from './harness';

/** What a scenario may excuse: the faults it injects on purpose and whose effect is reported, not hidden. */
export interface Allowances {
  /** Workflow task failures injected by the scenario. */
  taskFailures?: number;
}

export interface VerifyInput {
  scenario: string;
  since: Date;
  accepted: Accepted[];
  /** Workflow types the API starts (visibility count = accepted count over these). */
  topLevelTypes: string[];
  decidedApprovals: Set<string>;
  scannedApprovals: Set<string>;
  drainMs: number;
  /** When the worker died by SIGKILL: a message delivered again across one of them is the at-least-once window. */
  crashTimes: number[];
  /** When PostgreSQL was down: the outbox could not record a message SMTP had accepted. */
  databaseOutages: [number, number][];
  allow?: Allowances;
}

/** The verifier's figures for one scenario: the RELIABILITY.md table is made of them. */
export interface Figures {
  accepted: number;
  completed: number;
  runningExpected: number;
  runningUnexpected: number;
  failedOrMissing: number;
  visibilityCount: number;
  executions: number;
  taskFailures: number;
  taskTimeouts: number;
  /** Processes stuck on the known sdk-core replay defect (see KNOWN_SDK_DEFECT), and the processes waiting on them. */
  sdkDefectStuck: number;
  /** Completed processes whose history that defect keeps from replaying. */
  sdkDefectLatent: number;
  replayed: number;
  replayFailures: number;
  duplicateRows: number;
  numberGaps: number;
  unreconciledInvoices: number;
  stockMismatches: number;
  orphanRecords: number;
  mailsSent: number;
  mailsMissing: number;
  mailsDuplicated: number;
  mailsUnknown: number;
  outboxPending: number;
  approvals: number;
  approvalsMultiDecided: number;
  approvalsChangedByGet: number;
}

export interface Verdict {
  figures: Figures;
  problems: string[];
  notes: string[];
}

const q = <T>(prisma: Db, sql: string) => prisma.$queryRawUnsafe<T[]>(sql);

/**
 * A defect of the Temporal SDK's core (@temporalio 1.24.0, the newest this registry has), not of our
 * code: after a worker dies, its sticky workflow task times out; when the next task carries both the
 * events of the timed-out one (a timer fired) and an update, the live run handles the timer first but
 * replay merges them and handles the update first, so the next replay of that history fails with
 * "Update machine does not handle this event" and the process is stuck until an operator resets it.
 * Same class as temporalio/sdk-rust#943 and #1146; the evidence history is in
 * test/replay/sdk-defect/ with a test that tells when an SDK upgrade fixes it. Counted and reported
 * (never hidden): a process stuck any other way fails the scenario.
 */
const KNOWN_SDK_DEFECT = /Nondeterminism error: Update machine does not handle this event/;

/** A history of the defect's shape: a timed-out workflow task and an update, and (unless latent) the task failing on it. */
function hitsKnownSdkDefect(history: any, latent = false): boolean {
  const events: any[] = history.events ?? [];
  const shape =
    events.some((e) => e.workflowTaskTimedOutEventAttributes) && events.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
  return shape && (latent || events.some((e) => KNOWN_SDK_DEFECT.test(e.workflowTaskFailedEventAttributes?.failure?.message ?? '')));
}
const n = (v: unknown) => Number(v ?? 0);

/** Waits until every accepted process that should end has ended and the outbox is empty, up to `drainMs`. */
async function drain(h: Harness, input: VerifyInput): Promise<void> {
  const deadline = Date.now() + input.drainMs;
  const open = new Set(input.accepted.filter((a) => !a.expectRunning).map((a) => a.workflowId));
  while (Date.now() < deadline) {
    for (const id of [...open]) {
      try {
        const d = await h.temporal.workflow.getHandle(id).describe();
        if (d.status.name !== 'RUNNING') open.delete(id);
      } catch {
        /* not visible yet: still open */
      }
    }
    const pending = await h.prisma.emailOutbox.count({ where: { status: 'pending' } }).catch(() => 1);
    const collections = await countRunning(
      h.temporal,
      `StartTime >= '${input.since.toISOString()}' AND WorkflowType = 'invoiceCollection'`,
    );
    if (open.size === 0 && pending === 0 && collections === 0) return;
    await sleep(1000);
  }
}

async function countRunning(client: Client, query: string): Promise<number> {
  let count = 0;
  for await (const _ of client.workflow.list({ query: `${query} AND ExecutionStatus = 'Running'` })) count++;
  return count;
}

/** Checks the whole system after a scenario: workflows, data, mail, approvals and replay. */
export async function verify(h: Harness, input: VerifyInput): Promise<Verdict> {
  const problems: string[] = [];
  const notes: string[] = [];
  const allow = input.allow ?? {};
  await drain(h, input);
  const { prisma, temporal } = h;

  // Processes stuck on the known SDK defect, and those waiting on them (their parents), read first.
  const histories: { workflowId: string; history: any }[] = [];
  for await (const h2 of temporal.workflow.list({ query: `StartTime >= '${input.since.toISOString()}'` }).intoHistories())
    histories.push(h2);
  const sdkDefect = new Set(histories.filter((x) => hitsKnownSdkDefect(x.history)).map((x) => x.workflowId));
  for (const id of [...sdkDefect]) {
    for (let parent = id; ; ) {
      const d = await temporal.workflow
        .getHandle(parent)
        .describe()
        .catch(() => undefined);
      const up = d?.parentExecution?.workflowId;
      if (!up || sdkDefect.has(up)) break;
      sdkDefect.add(up);
      parent = up;
    }
  }
  if (sdkDefect.size) {
    notes.push(
      `${sdkDefect.size} process(es) stuck on the known SDK replay defect (update + timed-out sticky task after a worker kill): ${[...sdkDefect].join(', ')}`,
    );
  }

  // ---------------------------------------------------------------- workflows
  let completed = 0;
  let runningExpected = 0;
  let runningUnexpected = 0;
  let failedOrMissing = 0;
  for (const a of input.accepted) {
    try {
      const d = await temporal.workflow.getHandle(a.workflowId).describe();
      if (d.status.name === 'COMPLETED') completed++;
      else if (d.status.name === 'RUNNING' && a.expectRunning) runningExpected++;
      else if (d.status.name === 'RUNNING' && sdkDefect.has(a.workflowId))
        continue; // counted in sdkDefectStuck
      else if (d.status.name === 'RUNNING') {
        runningUnexpected++;
        problems.push(`${a.workflowId} (${a.lifecycle}) still running after the drain deadline`);
      } else if (d.status.name === 'CONTINUED_AS_NEW') completed++;
      else {
        failedOrMissing++;
        problems.push(`${a.workflowId} (${a.lifecycle}) ended ${d.status.name}`);
      }
    } catch (err) {
      failedOrMissing++;
      problems.push(`${a.workflowId} (${a.lifecycle}) accepted by the API but not found in Temporal: ${(err as Error).message}`);
    }
  }
  const since = `StartTime >= '${input.since.toISOString()}'`;
  const types = input.topLevelTypes.map((t) => `'${t}'`).join(', ');
  const topLevel = new Set<string>();
  // Started by the API, not by another process (a warranty claim's repair is an interventionDispatch child).
  for await (const w of temporal.workflow.list({ query: `${since} AND WorkflowType IN (${types})` })) {
    if (!w.parentExecution) topLevel.add(w.workflowId);
  }
  const acceptedIds = new Set(input.accepted.map((a) => a.workflowId));
  const visibilityCount = topLevel.size;
  if (visibilityCount !== acceptedIds.size) {
    const extra = [...topLevel].filter((id) => !acceptedIds.has(id));
    problems.push(
      `visibility lists ${visibilityCount} processes for ${acceptedIds.size} accepted${extra.length ? ` (not accepted: ${extra.slice(0, 5).join(', ')})` : ''}`,
    );
  }
  const executions: WorkflowExecutionInfo[] = [];
  for await (const w of temporal.workflow.list({ query: since })) executions.push(w);
  for (const w of executions) {
    if (w.status.name === 'RUNNING' && !acceptedIds.has(w.workflowId) && w.type !== 'scheduledBillingRun' && !sdkDefect.has(w.workflowId)) {
      runningUnexpected++;
      problems.push(`${w.workflowId} (${w.type}, started by a process) still running after the drain deadline`);
    }
    if (['FAILED', 'TERMINATED', 'TIMED_OUT'].includes(w.status.name)) problems.push(`${w.workflowId} (${w.type}) ended ${w.status.name}`);
  }

  // Histories: workflow task failures, decisions per approval, replay against the current bundle.
  let taskFailures = 0;
  let taskTimeouts = 0;
  const decisionsByWorkflow = new Map<string, number>();
  const causes = new Map<string, number>();
  const taskFailureProblems: string[] = [];
  for (const { workflowId, history } of histories) {
    for (const e of history.events ?? []) {
      if (e.workflowTaskFailedEventAttributes) {
        const cause = String(e.workflowTaskFailedEventAttributes.cause ?? 'unknown');
        causes.set(cause, (causes.get(cause) ?? 0) + 1);
        // Temporal's own bookkeeping, not our code failing: a signal raced the completing task, a sticky worker went away.
        if (!/UNHANDLED_(COMMAND|UPDATE)|RESET_STICKY|^(1|13|31)$/.test(cause) && !sdkDefect.has(workflowId)) {
          taskFailures++;
          taskFailureProblems.push(
            `${workflowId}: workflow task failed (${cause}): ${e.workflowTaskFailedEventAttributes.failure?.message ?? ''}`.slice(0, 300),
          );
        }
      }
      if (e.workflowTaskTimedOutEventAttributes) taskTimeouts++;
      if (e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'decideApproval') {
        decisionsByWorkflow.set(workflowId, (decisionsByWorkflow.get(workflowId) ?? 0) + 1);
      }
    }
  }
  if (causes.size) notes.push(`workflow task failure causes: ${[...causes].map(([c, k]) => `${c}×${k}`).join(', ')}`);
  if (taskFailures > (allow.taskFailures ?? 0)) problems.push(...taskFailureProblems);

  let replayFailures = 0;
  const latentSdkDefect: string[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: h.settings.workflowBundlePath } }, histories)) {
    if (result.error && !sdkDefect.has(result.workflowId)) {
      // The same defect, latent: the live run went through, but its history cannot replay (a later cache
      // eviction would leave the process stuck).
      const history = histories.find((x) => x.workflowId === result.workflowId)?.history;
      if (KNOWN_SDK_DEFECT.test(String(result.error.message ?? result.error)) && history && hitsKnownSdkDefect(history, true)) {
        latentSdkDefect.push(result.workflowId);
        continue;
      }
      replayFailures++;
      problems.push(`replay of ${result.workflowId} failed: ${String(result.error.message ?? result.error).slice(0, 300)}`);
    }
  }

  if (latentSdkDefect.length) {
    notes.push(
      `${latentSdkDefect.length} completed process(es) whose history the known SDK replay defect keeps from replaying (latent): ${latentSdkDefect.join(', ')}`,
    );
  }

  // ---------------------------------------------------------------- data
  const dupChecks: [string, string][] = [
    ['invoice per source', `SELECT count(*) - count(DISTINCT "sourceKey") FROM "Invoice"`],
    ['invoice per order', `SELECT count("orderId") - count(DISTINCT "orderId") FROM "Invoice"`],
    ['invoice per contract and month', `SELECT count(*) - count(DISTINCT "sourceKey") FROM "Invoice" WHERE "sourceKind" = 'contract'`],
    // A field job's invoice is linked from its job(s): an unlinked one was issued twice under another key.
    [
      'field job invoice linked to no job',
      `SELECT count(*) FROM "Invoice" v WHERE v."sourceKind" LIKE 'intervention%' AND NOT EXISTS (SELECT 1 FROM "Intervention" i WHERE i."invoiceId" = v.id)`,
    ],
    ['credit note per source', `SELECT count(*) - count(DISTINCT "sourceKey") FROM "CreditNote"`],
    ['payment per reference', `SELECT count(*) - count(DISTINCT reference) FROM "Payment"`],
    ['allocation per payment and invoice', `SELECT count(*) - count(DISTINCT ("paymentId", "invoiceId")) FROM "PaymentAllocation"`],
    ['stock movement per key', `SELECT count(*) - count(DISTINCT "idempotencyKey") FROM "StockMovement"`],
    [
      'stock movement per order step',
      `SELECT count(*) - count(DISTINCT (kind, "orderId", "productId")) FROM "StockMovement" WHERE "orderId" IS NOT NULL AND kind IN ('shipment')`,
    ],
    [
      'stock consumption per intervention part',
      `SELECT count(*) - count(DISTINCT ("interventionId", "productId")) FROM "StockMovement" WHERE kind = 'consumption'`,
    ],
    ['shipment per order', `SELECT count(*) - count(DISTINCT "orderId") FROM "Shipment"`],
    ['email per key', `SELECT count(*) - count(DISTINCT "idempotencyKey") FROM "EmailOutbox"`],
    ['email per message id', `SELECT count(*) - count(DISTINCT "messageId") FROM "EmailOutbox"`],
    ['dunning notice per level', `SELECT count(*) - count(DISTINCT ("invoiceId", level)) FROM "DunningNotice"`],
    ['billing draft per contract and month', `SELECT count(*) - count(DISTINCT ("contractId", period)) FROM "BillingDraft"`],
    ['order per idempotency key', `SELECT count("idempotencyKey") - count(DISTINCT "idempotencyKey") FROM "Order"`],
    ['customer credit per source', `SELECT count(*) - count(DISTINCT "sourceKey") FROM "CustomerCredit"`],
  ];
  let duplicateRows = 0;
  for (const [what, sql] of dupChecks) {
    const [row] = await q<Record<string, unknown>>(prisma, sql);
    const d = n(Object.values(row)[0]);
    if (d) problems.push(`${d} duplicate row(s): ${what}`);
    duplicateRows += d;
  }

  let numberGaps = 0;
  for (const table of ['Invoice', 'CreditNote']) {
    const rows = await q<{ series: string; year: number; c: bigint; lo: number; hi: number; next: number | null }>(
      prisma,
      `SELECT d.series, d.year, count(*) c, min(d.sequence) lo, max(d.sequence) hi, s.next
         FROM "${table}" d LEFT JOIN "NumberSequence" s ON s.series = d.series AND s.year = d.year GROUP BY d.series, d.year, s.next`,
    );
    for (const r of rows) {
      const gaps = n(r.hi) - n(r.c) + (n(r.lo) - 1) + (r.next !== null && n(r.next) - 1 !== n(r.hi) ? 1 : 0);
      if (gaps) problems.push(`${table} ${r.series}/${r.year}: ${n(r.c)} documents numbered ${r.lo}..${r.hi}, counter at ${r.next}`);
      numberGaps += gaps;
    }
  }

  // Money paid on an invoice later cancelled in full is refunded as customer credit (`<credit note key>:refund`).
  const unreconciled = await q<{
    number: string;
    total: number;
    paid: number;
    credited: number;
    alloc: bigint;
    notes: bigint;
    refunded: bigint;
    status: string;
  }>(
    prisma,
    `SELECT * FROM (
       SELECT i.number, i."totalTtcCents" total, i."paidCents" paid, i."creditedCents" credited, i.status,
              coalesce(a.s, 0) alloc, coalesce(c.s, 0) notes, coalesce(r.s, 0) refunded
         FROM "Invoice" i
         LEFT JOIN (SELECT "invoiceId", sum("amountCents") s FROM "PaymentAllocation" GROUP BY 1) a ON a."invoiceId" = i.id
         LEFT JOIN (SELECT "invoiceId", sum("totalTtcCents") s FROM "CreditNote" GROUP BY 1) c ON c."invoiceId" = i.id
         LEFT JOIN (SELECT n."invoiceId", sum(cc."amountCents") s FROM "CreditNote" n JOIN "CustomerCredit" cc ON cc."sourceKey" = n."sourceKey" || ':refund' GROUP BY 1) r
           ON r."invoiceId" = i.id) x
      WHERE paid <> alloc OR credited <> notes
         OR total - paid - credited + refunded < 0
         OR (status = 'paid' AND paid + credited < total)
         OR (status = 'issued' AND paid > 0)`,
  );
  for (const r of unreconciled) {
    problems.push(
      `invoice ${r.number} (${r.status}): invoiced ${r.total} ≠ paid ${r.paid} (allocations ${n(r.alloc)}) + credited ${r.credited} (credit notes ${n(r.notes)}) + due ${r.total - r.paid - r.credited + n(r.refunded)} - refunded ${n(r.refunded)}`,
    );
  }
  // Every payment is allocated to invoices or kept as the customer's credit, to the cent.
  const unallocated = await q<{ reference: string; amount: number; alloc: bigint; credit: bigint }>(
    prisma,
    `SELECT p.reference, p."amountCents" amount, coalesce(a.s, 0) alloc, coalesce(cc."amountCents", 0) credit
       FROM "Payment" p
       LEFT JOIN (SELECT "paymentId", sum("amountCents") s FROM "PaymentAllocation" GROUP BY 1) a ON a."paymentId" = p.id
       LEFT JOIN "CustomerCredit" cc ON cc."sourceKey" = 'payment:' || p.reference
      WHERE p."amountCents" <> coalesce(a.s, 0) + coalesce(cc."amountCents", 0)`,
  );
  for (const r of unallocated)
    problems.push(`payment ${r.reference}: ${r.amount} received, ${n(r.alloc)} allocated, ${n(r.credit)} kept as credit`);

  const stock = await q<{ sku: string; code: string; onHand: number; reserved: number; ledgerOn: bigint; ledgerRes: bigint }>(
    prisma,
    `SELECT p.sku, w.code, coalesce(l."onHand", 0) "onHand", coalesce(l.reserved, 0) reserved,
            coalesce(m.on_hand, 0) "ledgerOn", coalesce(m.reserved, 0) "ledgerRes"
       FROM (SELECT "productId", "warehouseId" FROM "StockLevel" UNION SELECT "productId", "warehouseId" FROM "StockMovement") k
       JOIN "Product" p ON p.id = k."productId" JOIN "Warehouse" w ON w.id = k."warehouseId"
       LEFT JOIN "StockLevel" l ON l."productId" = k."productId" AND l."warehouseId" = k."warehouseId"
       LEFT JOIN (SELECT "productId", "warehouseId", sum("onHandDelta") on_hand, sum("reservedDelta") reserved FROM "StockMovement" GROUP BY 1, 2) m
         ON m."productId" = k."productId" AND m."warehouseId" = k."warehouseId"
      WHERE coalesce(l."onHand", 0) <> coalesce(m.on_hand, 0) OR coalesce(l.reserved, 0) <> coalesce(m.reserved, 0)
         OR coalesce(l."onHand", 0) < 0 OR coalesce(l.reserved, 0) < 0 OR coalesce(l.reserved, 0) > coalesce(l."onHand", 0)`,
  );
  for (const r of stock) {
    problems.push(
      `stock ${r.sku} in ${r.code}: on hand ${r.onHand} (ledger ${n(r.ledgerOn)}), reserved ${r.reserved} (ledger ${n(r.ledgerRes)})`,
    );
  }

  // Every business record the scenario created has its process (no row left behind by a failed start).
  const orphans: string[] = [];
  const records = [
    ...(await prisma.order.findMany({ where: { createdAt: { gte: input.since } }, select: { id: true } })).map((r) => `order-${r.id}`),
    ...(await prisma.intervention.findMany({ where: { createdAt: { gte: input.since } }, select: { id: true } })).map(
      (r) => `intervention-${r.id}`,
    ),
    ...(await prisma.contract.findMany({ where: { createdAt: { gte: input.since } }, select: { id: true } })).map(
      (r) => `contract-${r.id}`,
    ),
  ];
  for (const id of records) {
    await temporal.workflow
      .getHandle(id)
      .describe()
      .catch(() => orphans.push(id));
  }
  for (const id of orphans) problems.push(`${id}: the record exists but its process was never started`);

  // ---------------------------------------------------------------- mail
  const arrivals = new Map<string, number[]>();
  for (const m of h.sink.messages) arrivals.set(m.messageId, [...(arrivals.get(m.messageId) ?? []), m.at]);
  const sent = await prisma.emailOutbox.findMany({
    where: { status: 'sent', createdAt: { gte: input.since } },
    select: { messageId: true, template: true, to: true },
  });
  let mailsMissing = 0;
  let mailsDuplicated = 0;
  for (const row of sent) {
    const at = arrivals.get(row.messageId) ?? [];
    if (at.length === 0) {
      mailsMissing++;
      problems.push(`mail ${row.template} to ${row.to} (${row.messageId}) marked sent, never received`);
    }
    for (let k = 1; k < at.length; k++) {
      mailsDuplicated++;
      // SMTP has no idempotency: a worker killed between the server's "250 OK" and the outbox update, or a
      // database down for longer than sendEmail retries that update, sends again on retry, with the same
      // Message-ID (so mail clients can drop it). Any other duplicate is a bug.
      const crash = input.crashTimes.some((t) => at[k - 1] <= t && t <= at[k]);
      const outage = input.databaseOutages.some(([from, to]) => from <= at[k] && at[k - 1] <= to);
      const what = `mail ${row.template} to ${row.to} (${row.messageId}) delivered again ${((at[k] - at[k - 1]) / 1000).toFixed(1)} s later`;
      if (crash) notes.push(`${what}, across a worker kill -9 after the SMTP accept (at-least-once delivery, same Message-ID)`);
      else if (outage)
        notes.push(
          `${what}: PostgreSQL went down after the SMTP accept, before the outbox recorded it (at-least-once delivery, same Message-ID)`,
        );
      else problems.push(`${what}, with no worker crash or database outage in between`);
    }
  }
  const known = new Set((await prisma.emailOutbox.findMany({ select: { messageId: true } })).map((r) => r.messageId));
  const mailsUnknown = [...arrivals.keys()].filter((id) => !known.has(id)).length;
  if (mailsUnknown) problems.push(`${mailsUnknown} received message(s) match no outbox row`);
  const outboxPending = await prisma.emailOutbox.count({ where: { status: { not: 'sent' }, createdAt: { gte: input.since } } });
  if (outboxPending) problems.push(`${outboxPending} outbox row(s) not sent after the drain deadline`);

  // ---------------------------------------------------------------- approvals
  const approvals = await prisma.approval.findMany({ where: { createdAt: { gte: input.since } } });
  let approvalsMultiDecided = 0;
  let approvalsChangedByGet = 0;
  const decidedByWorkflow = new Map<string, number>();
  for (const a of approvals) {
    const decided = a.status === 'approved' || a.status === 'rejected';
    if (decided) decidedByWorkflow.set(a.workflowId, (decidedByWorkflow.get(a.workflowId) ?? 0) + 1);
    // decidedAt closes the approval: set for a decision, an expiry or a withdrawal, never while pending.
    if ((decided || a.status === 'pending') && decided !== (a.decidedAt !== null))
      problems.push(`approval ${a.id}: status ${a.status} but decidedAt ${a.decidedAt}`);
    if (decided && !input.decidedApprovals.has(a.id)) {
      approvalsChangedByGet++;
      problems.push(`approval ${a.id} ${a.status} though the load only ever sent GET/HEAD to its link`);
    }
  }
  for (const [workflowId, updates] of decisionsByWorkflow) {
    if (updates > (decidedByWorkflow.get(workflowId) ?? 0)) {
      approvalsMultiDecided++;
      problems.push(`${workflowId}: ${updates} decisions accepted for ${decidedByWorkflow.get(workflowId) ?? 0} decided approval(s)`);
    }
  }
  const unscanned = [...input.decidedApprovals].filter((id) => !input.scannedApprovals.has(id));
  if (unscanned.length) notes.push(`${unscanned.length} approvals decided without a scanner GET first`);

  return {
    figures: {
      accepted: input.accepted.length,
      completed,
      runningExpected,
      runningUnexpected,
      failedOrMissing,
      visibilityCount,
      executions: executions.length,
      taskFailures,
      taskTimeouts,
      sdkDefectStuck: sdkDefect.size,
      sdkDefectLatent: latentSdkDefect.length,
      replayed: histories.length,
      replayFailures,
      duplicateRows,
      numberGaps,
      unreconciledInvoices: unreconciled.length + unallocated.length,
      stockMismatches: stock.length,
      orphanRecords: orphans.length,
      mailsSent: sent.length,
      mailsMissing,
      mailsDuplicated,
      mailsUnknown,
      outboxPending,
      approvals: approvals.length,
      approvalsMultiDecided,
      approvalsChangedByGet,
    },
    problems,
    notes,
  };
}
