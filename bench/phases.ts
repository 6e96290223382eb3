// One measured phase: `concurrency` executions kept in flight for a fixed time, completions
// counted by the server (visibility) in the phase's window, CPU of each process over it.
import type { CpuShare } from './procs';
import { percentile, sleep, type BenchContext } from './context';
import { runNoop, runOrderToCash } from './orders';

export type Workload = 'W1' | 'W2';

export interface PhaseResult {
  workload: Workload;
  concurrency: number;
  seconds: number;
  /** Completions counted by the server in the window. */
  completed: number;
  perSecond: number;
  /** Completions the driver saw (a check on the server's count). */
  clientCompleted: number;
  errors: number;
  startP50Ms: number;
  startP99Ms: number;
  cpu: CpuShare;
  workerRssMiB: number;
  /** Ids of a few executions that completed, for their history length. */
  sampleIds: string[];
}

const WORKFLOW_TYPE: Record<Workload, string> = { W1: 'benchNoop', W2: 'orderToCash' };

/** Closed executions of a type the server counts in [from, to). */
export async function serverCount(ctx: BenchContext, workflowType: string, from: Date, to: Date): Promise<number> {
  const query = `WorkflowType = '${workflowType}' AND ExecutionStatus = 'Completed' AND CloseTime >= '${from.toISOString()}' AND CloseTime < '${to.toISOString()}'`;
  // Visibility is eventually consistent: count until two answers agree.
  let last = -1;
  for (let i = 0; i < 20; i++) {
    const { count } = await ctx.temporal.workflow.count(query);
    if (count === last) return count;
    last = count;
    await sleep(500);
  }
  return last;
}

/**
 * Runs `workload` with `concurrency` executions in flight for `rampSeconds + seconds`; only the
 * last `seconds` (steady state) are counted, and executions in flight at the end drain outside.
 */
export async function runPhase(
  ctx: BenchContext,
  workload: Workload,
  concurrency: number,
  seconds: number,
  rampSeconds = workload === 'W2' ? 4 : 2,
): Promise<PhaseResult> {
  const starts: number[] = [];
  const sampleIds: string[] = [];
  let clientCompleted = 0;
  let errors = 0;
  let n = 0;
  const endAt = Date.now() + (rampSeconds + seconds) * 1000;
  const loop = async () => {
    while (Date.now() < endAt) {
      const id = `w1-${ctx.tag}-${n++}`;
      try {
        const ms = workload === 'W1' ? await runNoop(ctx, id) : await runOrderToCash(ctx);
        starts.push(ms);
        clientCompleted += 1;
        if (sampleIds.length < 3 && workload === 'W1') sampleIds.push(id);
      } catch (err) {
        errors += 1;
        if (errors <= 3) console.error(`  ${workload} error:`, (err as Error).message);
      }
    }
  };
  let rssMax = 0;
  const rssTimer = setInterval(() => (rssMax = Math.max(rssMax, ctx.workerMemory().rss)), 500);
  // The window closes at endAt; executions still in flight then finish outside it (drain).
  const loops = Array.from({ length: concurrency }, loop);
  await sleep(rampSeconds * 1000);
  const cpuStart = ctx.cpu();
  const from = new Date();
  await sleep(Math.max(0, endAt - Date.now()));
  const to = new Date();
  const cpu = ctx.cpu().since(cpuStart);
  await Promise.all(loops);
  clearInterval(rssTimer);
  const completed = await serverCount(ctx, WORKFLOW_TYPE[workload], from, to);
  if (workload === 'W2') {
    const recent = ctx.temporal.workflow.list({
      query: `WorkflowType = 'orderToCash' AND ExecutionStatus = 'Completed' AND CloseTime >= '${from.toISOString()}'`,
      pageSize: 3,
    });
    for await (const wf of recent) {
      sampleIds.push(wf.workflowId);
      if (sampleIds.length >= 3) break;
    }
  }
  return {
    workload,
    concurrency,
    seconds,
    completed,
    perSecond: completed / seconds,
    clientCompleted,
    errors,
    startP50Ms: percentile(starts, 50),
    startP99Ms: percentile(starts, 99),
    cpu,
    workerRssMiB: rssMax,
    sampleIds,
  };
}

/** Mean history length (events) of some executions. */
export async function historyEvents(ctx: BenchContext, ids: string[]): Promise<number> {
  const lengths = await Promise.all(ids.map(async (id) => (await ctx.temporal.workflow.getHandle(id).describe()).historyLength));
  return lengths.reduce((a, b) => a + b, 0) / Math.max(1, lengths.length);
}

export const cpuText = (c: CpuShare): string =>
  `server ${c.server.toFixed(2)}, postgres ${c.postgres.toFixed(2)}, worker ${c.worker.toFixed(2)}, driver ${c.driver.toFixed(2)}, smtp ${c.smtp.toFixed(2)}${c.api ? `, api ${c.api.toFixed(2)}` : ''}, other ${c.other.toFixed(2)} (total ${c.total.toFixed(2)} of 2 cores)`;
