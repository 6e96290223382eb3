// Growth: W2 throughput, start latency and worker memory as open long-lived processes pile up.
// The long-lived processes are invoice collections (what a billing run leaves: one per invoice,
// waiting on its dunning timer), started on a fresh dev server.
import { randomUUID } from 'node:crypto';
import { collectionPolicy } from '../../infra/policies';
import { invoiceCollectionWorkflowId } from '../../workflows/invoice-collection.definitions';
import { fmt, sleep, type BenchContext } from '../context';
import { runPhase, type PhaseResult } from '../phases';

async function startCollections(ctx: BenchContext, count: number): Promise<void> {
  const policy = collectionPolicy(ctx.config);
  let next = 0;
  const loop = async () => {
    while (next < count) {
      const i = next++;
      const invoiceId = randomUUID();
      const customer = ctx.customers[i % ctx.customers.length];
      await ctx.temporal.workflow.start('invoiceCollection', {
        workflowId: invoiceCollectionWorkflowId(invoiceId),
        taskQueue: ctx.taskQueue,
        args: [
          {
            invoiceId,
            invoiceNumber: `FA-2026-G${i}`,
            customerId: customer.id,
            billingEmail: customer.billingEmail,
            paymentTermsDays: 30,
            invoicedCents: 12_000,
            policy,
          },
        ],
      });
    }
  };
  await Promise.all(Array.from({ length: 32 }, loop));
}

/** Waits until the worker has run the first task of every collection (each shows its step). */
async function waitSettled(ctx: BenchContext, expected: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const { count } = await ctx.temporal.workflow.count(`WorkflowType = 'invoiceCollection' AND ProcessStatus = 'awaiting_payment'`);
    if (count >= expected) return;
    await sleep(1000);
  }
}

export async function growth(ctx: BenchContext): Promise<void> {
  const { quick } = ctx.options;
  const levels = process.env.BENCH_GROWTH_LEVELS?.split(',').map(Number) ?? (quick ? [0, 500] : [0, 1000, 10_000, 50_000]);
  const seconds = quick ? 5 : 12;
  console.log(`\n== growth: W2 at concurrency 16 with ${levels.join(' / ')} open collections`);
  let open = 0;
  const results: { level: number; phase: PhaseResult; rss: number; openServer: number }[] = [];
  await runPhase(ctx, 'W2', 4, 3); // warm-up
  for (const level of levels) {
    const t = performance.now();
    await startCollections(ctx, level - open);
    open = level;
    await waitSettled(ctx, level);
    const startS = (performance.now() - t) / 1000;
    await sleep(2000);
    const rss = ctx.workerMemory().rss;
    const { count: openServer } = await ctx.temporal.workflow.count(`ExecutionStatus = 'Running'`);
    const phase = await runPhase(ctx, 'W2', 16, seconds);
    console.log(
      `  ${level} open (${openServer} running, started in ${fmt(startS, 0)} s): W2 ${fmt(phase.perSecond)}/s, RSS ${fmt(rss, 0)} MiB`,
    );
    results.push({ level, phase, rss, openServer });
  }
  const base = results[0];
  for (const r of results.slice(1)) {
    ctx.row(
      'growth',
      `${r.level} open collections / none: W2 throughput, start p50, start p99`,
      `${fmt(r.phase.perSecond / base.phase.perSecond)}, ${fmt(r.phase.startP50Ms / base.phase.startP50Ms)}, ${fmt(r.phase.startP99Ms / base.phase.startP99Ms)}`,
      `W2 ${fmt(r.phase.perSecond, 1)}/s vs ${fmt(base.phase.perSecond, 1)}/s; start p50 ${fmt(r.phase.startP50Ms, 1)} ms, p99 ${fmt(r.phase.startP99Ms, 1)} ms; ${r.openServer} running on the server`,
    );
    ctx.row(
      'growth',
      `worker memory at ${r.level} open collections`,
      `${fmt(((r.rss - base.rss) * 1024) / r.level, 1)} KiB per open process`,
      `RSS ${fmt(r.rss, 0)} MiB vs ${fmt(base.rss, 0)} MiB with none (cached up to maxCachedWorkflows; the rest are evicted and replayed on their next task)`,
    );
  }
}
