// Worker tuning knobs: W2 at one concurrency with the worker restarted for each setting, the
// settings interleaved in each repetition, each compared with the defaults of the same repetition.
import { fmt, median, type BenchContext } from '../context';
import { runPhase } from '../phases';
import type { Knobs } from '../worker';

const VARIANTS: { name: string; knobs: Knobs; quick?: boolean }[] = [
  { name: 'defaults (slots 40/100, cache ~2,200, reuseV8Context, pool 10)', knobs: {}, quick: true },
  {
    name: 'few slots (5 workflow tasks, 10 activities)',
    knobs: { maxConcurrentWorkflowTaskExecutions: 5, maxConcurrentActivityTaskExecutions: 10 },
  },
  {
    name: 'many slots (200 workflow tasks, 400 activities)',
    knobs: { maxConcurrentWorkflowTaskExecutions: 200, maxConcurrentActivityTaskExecutions: 400 },
  },
  { name: 'small cache (maxCachedWorkflows 20)', knobs: { maxCachedWorkflows: 20 }, quick: true },
  { name: 'reuseV8Context off', knobs: { reuseV8Context: false } },
  { name: 'Prisma pool 2', knobs: { prismaPoolSize: 2 }, quick: true },
  { name: 'Prisma pool 30', knobs: { prismaPoolSize: 30 } },
];

export async function knobs(ctx: BenchContext): Promise<void> {
  const { quick } = ctx.options;
  const variants = VARIANTS.filter((v) => !quick || v.quick);
  const reps = quick ? 1 : 3;
  const seconds = quick ? 4 : 10;
  const concurrency = 32;
  console.log(`\n== worker knobs: ${reps} x ${variants.length} settings, W2 at concurrency ${concurrency}, ${seconds}s`);
  const rates = new Map<string, number[]>();
  const rss = new Map<string, number[]>();
  for (let rep = 0; rep < reps; rep++) {
    for (const v of variants) {
      await ctx.useWorker(ctx.target, v.knobs);
      await runPhase(ctx, 'W2', 4, 1, 1); // warm-up of the fresh worker
      const p = await runPhase(ctx, 'W2', concurrency, seconds);
      console.log(`  rep ${rep + 1} ${v.name}: ${fmt(p.perSecond)}/s, worker ${fmt(p.cpu.worker)} cores, ${fmt(p.workerRssMiB, 0)} MiB`);
      rates.set(v.name, [...(rates.get(v.name) ?? []), p.perSecond]);
      rss.set(v.name, [...(rss.get(v.name) ?? []), p.workerRssMiB]);
    }
  }
  const base = rates.get(variants[0].name)!;
  for (const v of variants.slice(1)) {
    const r = rates.get(v.name)!;
    ctx.row(
      'worker knobs',
      `${v.name} / defaults, W2 throughput at concurrency ${concurrency}`,
      fmt(median(r.map((x, i) => x / base[i]))),
      `${fmt(median(r), 1)}/s vs ${fmt(median(base), 1)}/s; worker RSS ${fmt(median(rss.get(v.name)!), 0)} MiB vs ${fmt(median(rss.get(variants[0].name)!), 0)} MiB`,
    );
  }
  await ctx.useWorker(ctx.target, {});
}
