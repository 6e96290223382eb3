// A contract billing run of 10,000 contracts (quick mode: 1,000): time to drafts, to issued, to
// emailed, events in the parent's history, peak worker memory; a rerun creates nothing; and the
// same invoices written by one raw SQL statement, for what orchestration costs.
import { Client as PgClient } from 'pg';
import { billingRunPolicy } from '../../infra/policies';
import { billingRunId, billingRunProgressQuery, type BillingRunProgress } from '../../workflows/billing-run.definitions';
import { decideApprovalUpdate } from '../../workflows/shared/approval.definitions';
import { fmt, sleep, type BenchContext } from '../context';
import { cpuText } from '../phases';
import type { CpuShare } from '../procs';

const PERIOD = '2026-03';

/** Contracts with one yearly term from 2026-01-01, billed monthly in advance, spread over the customers. */
async function seedContracts(ctx: BenchContext, pg: PgClient, count: number): Promise<void> {
  const ids = ctx.customers.map((c) => c.id);
  await pg.query(
    `INSERT INTO "Contract" (id, "customerId", title, "accountManagerEmail", "termStart", "termEnd", "priceCents", "billingRhythm", equipment, "updatedAt")
     SELECT gen_random_uuid(), ($2::text[])[1 + (g % array_length($2::text[], 1))], 'Contrat de maintenance ' || g, 'am@bench.local',
            DATE '2026-01-01', DATE '2027-01-01', 120000 + (g % 500) * 12, 'monthly', ARRAY[]::text[], now()
     FROM generate_series(1, $1) g`,
    [count, ids],
  );
  await pg.query(`INSERT INTO "ContractTerm" (id, "contractId", number, start, "end", "priceCents")
                  SELECT gen_random_uuid(), id, 1, "termStart", "termEnd", "priceCents" FROM "Contract"`);
  await pg.query(`INSERT INTO "ContractVersion" (id, "contractId", version, "effectiveFrom", "priceCents", changes, reason, "createdBy")
                  SELECT gen_random_uuid(), id, 1, "termStart", "priceCents", '{}'::jsonb, 'Signature', 'bench' FROM "Contract"`);
}

interface RunTimes {
  draftsS: number;
  issuedS: number;
  emailedS: number;
  progress: BillingRunProgress;
  peakRssMiB: number;
  cpu: { drafting: CpuShare; issuing: CpuShare; sending: CpuShare };
}

/** Runs one billing run to its end, approving when asked; times each phase. */
async function runBilling(ctx: BenchContext, workflowId: string): Promise<RunTimes> {
  const config = ctx.config;
  const t0 = performance.now();
  let peakRssMiB = 0;
  const rssTimer = setInterval(() => (peakRssMiB = Math.max(peakRssMiB, ctx.workerMemory().rss)), 250);
  await ctx.temporal.workflow.start('billingRun', {
    workflowId,
    taskQueue: ctx.taskQueue,
    args: [{ period: PERIOD, policy: billingRunPolicy(config) }],
  });
  const handle = ctx.temporal.workflow.getHandle(workflowId);
  const times: Partial<RunTimes> = {};
  let phaseCpu = ctx.cpu();
  const cpu: Partial<RunTimes['cpu']> = {};
  let progress: BillingRunProgress;
  for (;;) {
    progress = await handle.query(billingRunProgressQuery).catch(() => undefined as unknown as BillingRunProgress);
    const now = (performance.now() - t0) / 1000;
    if (progress?.phase === 'awaiting_approval' && times.draftsS === undefined) {
      times.draftsS = now;
      cpu.drafting = ctx.cpu().since(phaseCpu);
      const approval = await ctx.prisma.approval.findFirst({ where: { workflowId, status: 'pending' }, orderBy: { createdAt: 'desc' } });
      if (approval) {
        phaseCpu = ctx.cpu();
        await handle.executeUpdate(decideApprovalUpdate, { args: [{ approvalId: approval.id, decision: 'approved', decidedBy: 'bench' }] });
      }
    }
    if ((progress?.phase === 'sending' || progress?.phase === 'done') && times.issuedS === undefined) {
      times.issuedS = now;
      cpu.issuing = ctx.cpu().since(phaseCpu);
      phaseCpu = ctx.cpu();
    }
    if (progress?.phase === 'done') {
      times.emailedS = now;
      cpu.sending = ctx.cpu().since(phaseCpu);
      break;
    }
    // The run continues as new when its history grows: the handle follows the latest run.
    await sleep(200);
  }
  clearInterval(rssTimer);
  return { ...(times as RunTimes), progress, peakRssMiB, cpu: cpu as RunTimes['cpu'] };
}

/** Events of every run of a workflow id (continue-as-new makes several). */
async function historyOfAllRuns(ctx: BenchContext, workflowId: string): Promise<{ runs: number; events: number; maxRun: number }> {
  let runs = 0;
  let events = 0;
  let maxRun = 0;
  for await (const wf of ctx.temporal.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    const { historyLength } = await ctx.temporal.workflow.getHandle(wf.workflowId, wf.runId).describe();
    runs += 1;
    events += historyLength;
    maxRun = Math.max(maxRun, historyLength);
  }
  return { runs, events, maxRun };
}

async function counts(ctx: BenchContext) {
  const [drafts, invoices, emails, collections] = await Promise.all([
    ctx.prisma.billingDraft.count({ where: { period: PERIOD } }),
    ctx.prisma.invoice.count({ where: { sourceKind: 'contract', sourceKey: { startsWith: 'contract:' } } }),
    ctx.mailCount(),
    ctx.temporal.workflow.count(`WorkflowType = 'invoiceCollection'`).then((c) => c.count),
  ]);
  return { drafts, invoices, emails, collections };
}

export async function billing(ctx: BenchContext): Promise<void> {
  const count = Number(process.env.BENCH_BILLING_CONTRACTS ?? (ctx.options.quick ? 200 : 10_000));
  console.log(`\n== billing run of ${count} contracts`);
  const pg = new PgClient({ connectionString: ctx.options.databaseUrl });
  await pg.connect();
  await seedContracts(ctx, pg, count);
  const before = await counts(ctx);
  const workflowId = billingRunId(PERIOD);
  const run = await runBilling(ctx, workflowId);
  const after = await counts(ctx);
  await sleep(1000);
  const history = await historyOfAllRuns(ctx, workflowId);

  // Rerun: the API refuses a second run of the month; a second execution on the same data
  // (another workflow id) must create no draft, invoice, email to a customer or collection.
  const rerun = await runBilling(ctx, `${workflowId}-rerun-${ctx.tag}`);
  await sleep(1000);
  const afterRerun = await counts(ctx);

  // The same invoices (and lines) by one SQL statement, from the drafts, into another series.
  const t = performance.now();
  const raw = await pg.query(
    `WITH d AS (
       SELECT b.*, c."paymentTermsDays", row_number() OVER (ORDER BY b."contractId") AS seq FROM "BillingDraft" b JOIN "Customer" c ON c.id = b."customerId" WHERE b.period = $1
     ), inv AS (
       INSERT INTO "Invoice" (id, "sourceKey", "sourceKind", number, series, year, sequence, "customerId", "issuedAt", "dueDate",
                              "totalHtCents", "totalVatCents", "totalTtcCents", parties, "vatBreakdown")
       SELECT gen_random_uuid(), 'raw:' || d."contractId" || ':' || d.period, 'contract', 'RAW-2026-' || lpad(d.seq::text, 6, '0'), 'RAW', 2026, d.seq,
              d."customerId", now(), now() + make_interval(days => d."paymentTermsDays"),
              d."totalHtCents", round(d."totalHtCents" * 0.2), d."totalHtCents" + round(d."totalHtCents" * 0.2),
              jsonb_build_object('seller', $2::text), jsonb_build_array(jsonb_build_object('rateBp', 2000, 'baseCents', d."totalHtCents"))
       FROM d RETURNING id, "sourceKey"
     )
     INSERT INTO "InvoiceLine" (id, "invoiceId", position, description, quantity, "unitPriceCents", "vatRateBp", "totalHtCents")
     SELECT gen_random_uuid(), inv.id, l.ord, l.line->>'description', (l.line->>'quantity')::int, (l.line->>'unitPriceCents')::int,
            (l.line->>'vatRateBp')::int, (l.line->>'quantity')::int * (l.line->>'unitPriceCents')::int
     FROM inv JOIN d ON inv."sourceKey" = 'raw:' || d."contractId" || ':' || d.period
     CROSS JOIN LATERAL jsonb_array_elements(d.lines) WITH ORDINALITY AS l(line, ord)`,
    [PERIOD, ctx.config.SELLER_NAME],
  );
  const rawS = (performance.now() - t) / 1000;
  await pg.end();

  const issued = after.invoices - before.invoices;
  const section = `billing run (${count} contracts)`;
  ctx.row(
    section,
    'billing run to issued / one raw SQL statement',
    fmt(run.issuedS / rawS, 0),
    `run to issued ${fmt(run.issuedS, 1)} s, SQL ${fmt(rawS, 2)} s (${raw.rowCount} lines)`,
  );
  ctx.row(
    section,
    'time to drafts / issued / emailed',
    `${fmt(run.draftsS, 1)} s / ${fmt(run.issuedS, 1)} s / ${fmt(run.emailedS, 1)} s`,
    `${run.progress.drafted} drafted, ${issued} invoices, ${after.emails - before.emails} emails, ${after.collections - before.collections} collections started; emails paced at ${ctx.config.BILLING_EMAILS_PER_MINUTE}/min (floor ${fmt((count / ctx.config.BILLING_EMAILS_PER_MINUTE) * 60, 0)} s; at the default 600/min ${fmt(count / 10 / 60, 1)} min)`,
  );
  ctx.row(
    section,
    'parent history events (all runs) / per contract',
    `${history.events} / ${fmt(history.events / count, 3)}`,
    `${history.runs} run(s) (continue-as-new), largest ${history.maxRun} events`,
  );
  ctx.row(section, 'peak worker memory', `${fmt(run.peakRssMiB, 0)} MiB`, 'resident set of the worker process during the run');
  ctx.row(
    section,
    'rerun on the same month creates',
    `${afterRerun.drafts - after.drafts} drafts, ${afterRerun.invoices - after.invoices} invoices, ${afterRerun.collections - after.collections} collections`,
    `${afterRerun.emails - after.emails} email(s) (the approval request of the rerun); rerun took ${fmt(rerun.emailedS, 1)} s`,
  );
  for (const [phase, c] of Object.entries(run.cpu)) if (c) ctx.row(section, `CPU by process while ${phase} (cores)`, cpuText(c));
}
