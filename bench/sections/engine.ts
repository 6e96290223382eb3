// W1 (no-op) against W2 (order to cash) at several concurrencies, phases interleaved, on one server.
import { fmt, median, type BenchContext, type Target } from '../context';
import { cpuText, historyEvents, runPhase, type PhaseResult } from '../phases';

export interface EngineResult {
  target: Target;
  byConcurrency: Map<number, { w1: number; w2: number; ratio: number; efficiency: number }>;
}

export async function engine(ctx: BenchContext, target: Target): Promise<EngineResult> {
  const { quick } = ctx.options;
  // Quick mode: two concurrencies on the dev server, one on PostgreSQL (its start-up takes a while).
  const concurrencies = quick ? (target === 'dev' ? [4, 16] : [16]) : [4, 16, 64];
  const reps = quick ? 1 : 3;
  const seconds = quick ? 5 : 12;
  const section = target === 'dev' ? 'engine (dev server, SQLite)' : 'engine (Temporal on PostgreSQL)';
  console.log(`\n== ${section}: ${reps} x ${concurrencies.join('/')} x (W1, W2), ${seconds}s phases`);

  // Warm-up: the worker's caches, the JIT, the connections; not counted.
  await runPhase(ctx, 'W1', 4, quick ? 2 : 5);
  await runPhase(ctx, 'W2', 4, quick ? 3 : 8);

  const phases: PhaseResult[] = [];
  for (let rep = 0; rep < reps; rep++) {
    for (const c of concurrencies) {
      for (const w of ['W1', 'W2'] as const) {
        const p = await runPhase(ctx, w, c, seconds);
        console.log(`  rep ${rep + 1} ${w} c=${c}: ${fmt(p.perSecond)}/s (client ${p.clientCompleted}, errors ${p.errors})`);
        phases.push(p);
      }
    }
  }
  const w1Events = await historyEvents(ctx, phases.find((p) => p.workload === 'W1')!.sampleIds);
  const w2Events = await historyEvents(ctx, phases.find((p) => p.workload === 'W2' && p.sampleIds.length)?.sampleIds ?? []);
  const expected = w1Events / w2Events;
  const result: EngineResult = { target, byConcurrency: new Map() };
  for (const c of concurrencies) {
    const w1 = phases.filter((p) => p.workload === 'W1' && p.concurrency === c);
    const w2 = phases.filter((p) => p.workload === 'W2' && p.concurrency === c);
    // R per repetition (the W1 and W2 phases of one repetition ran back to back), then the median.
    const ratio = median(w1.map((p, i) => w2[i].perSecond / p.perSecond));
    const w1Rate = median(w1.map((p) => p.perSecond));
    const w2Rate = median(w2.map((p) => p.perSecond));
    const efficiency = ratio / expected;
    result.byConcurrency.set(c, { w1: w1Rate, w2: w2Rate, ratio, efficiency });
    const errors = [...w1, ...w2].reduce((s, p) => s + p.errors, 0);
    ctx.row(
      section,
      `W2/W1 at concurrency ${c}`,
      `R ${fmt(ratio, 3)}, R_expected ${fmt(expected, 3)}, efficiency ${fmt(efficiency)}`,
      `W1 ${fmt(w1Rate, 1)}/s, W2 ${fmt(w2Rate, 1)}/s; start p50 W1 ${fmt(median(w1.map((p) => p.startP50Ms)), 0)} ms, W2 ${fmt(median(w2.map((p) => p.startP50Ms)), 0)} ms${errors ? `; ${errors} errors` : ''}`,
    );
  }
  ctx.row(section, 'history events per execution', `W1 ${fmt(w1Events, 0)}, W2 ${fmt(w2Events, 0)}`, 'R_expected = W1 events / W2 events');
  const top = concurrencies.at(-1)!;
  for (const w of ['W1', 'W2'] as const) {
    const p = phases.filter((x) => x.workload === w && x.concurrency === top).at(-1)!;
    ctx.row(section, `CPU by process, ${w} at concurrency ${top} (cores)`, cpuText(p.cpu), `worker RSS ${fmt(p.workerRssMiB, 0)} MiB`);
  }
  return result;
}

/** The two servers side by side: throughput on PostgreSQL over throughput on the dev server. */
export function compareEngines(ctx: BenchContext, dev: EngineResult, pg: EngineResult): void {
  for (const [c, d] of dev.byConcurrency) {
    const p = pg.byConcurrency.get(c);
    if (!p) continue;
    ctx.row(
      'engine choice',
      `PostgreSQL / dev server at concurrency ${c}`,
      `W1 ${fmt(p.w1 / d.w1)}, W2 ${fmt(p.w2 / d.w2)}`,
      `dev W1 ${fmt(d.w1, 1)}/s W2 ${fmt(d.w2, 1)}/s; PostgreSQL W1 ${fmt(p.w1, 1)}/s W2 ${fmt(p.w2, 1)}/s; efficiency dev ${fmt(d.efficiency)}, PostgreSQL ${fmt(p.efficiency)}`,
    );
  }
}
