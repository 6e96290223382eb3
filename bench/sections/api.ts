// API latency: POST /orders (validation, order rows, workflow start) at a fixed rate with
// autocannon, against a bare client.workflow.start of the same workflow at the same rate.
import { fork } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { createApiKey } from '../../api/auth';
import { fmt, median, percentile, sleep, type BenchContext } from '../context';
import { createOrderRow, startOrder } from '../orders';
import { cpuText } from '../phases';
import { stopChild } from '../procs';

const API_PORT = 3999;

export async function apiLatency(ctx: BenchContext): Promise<void> {
  const { quick } = ctx.options;
  const rate = quick ? 25 : 40;
  const seconds = quick ? 6 : 20;
  const reps = quick ? 1 : 3;
  console.log(`\n== API: ${reps} x (POST /orders, bare start) at ${rate}/s for ${seconds}s`);
  const api = fork(path.resolve(__dirname, '../../api/server.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...ctx.envFor(ctx.target), API_PORT: String(API_PORT) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  ctx.apiPid = api.pid;
  const url = `http://127.0.0.1:${API_PORT}`;
  for (let i = 0; ; i++) {
    if (
      await fetch(`${url}/health`).then(
        () => true,
        () => false,
      )
    )
      break;
    if (i > 120) throw new Error('the API did not start');
    await sleep(250);
  }
  const key = await createApiKey(ctx.prisma, 'bench', 'operations');
  const body = JSON.stringify({
    customerId: ctx.customers[1].id,
    lines: [
      { sku: 'BENCH-F1', quantity: 1 },
      { sku: 'BENCH-MES', quantity: 1 },
    ],
  });

  const viaApi = async (duration: number) => {
    const cpuStart = ctx.cpu();
    const r = await autocannon({
      url: `${url}/orders`,
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body,
      connections: 16,
      overallRate: rate,
      duration,
    });
    return {
      p50: r.latency.p50,
      p90: r.latency.p90,
      p99: r.latency.p99,
      ok: r['2xx'],
      bad: r.non2xx + r.errors,
      cpu: ctx.cpu().since(cpuStart),
    };
  };
  const bare = async (duration: number) => {
    const orders = [];
    for (let i = 0; i < rate * duration; i++) orders.push(await createOrderRow(ctx));
    const cpuStart = ctx.cpu();
    const latencies: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      orders.map(async (o, i) => {
        await sleep(t0 + (i * 1000) / rate - performance.now());
        latencies.push(await startOrder(ctx, o));
      }),
    );
    return {
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      ok: latencies.length,
      bad: 0,
      cpu: ctx.cpu().since(cpuStart),
    };
  };

  await viaApi(3); // warm-up
  await bare(3);
  const a: Awaited<ReturnType<typeof viaApi>>[] = [];
  const b: Awaited<ReturnType<typeof bare>>[] = [];
  for (let rep = 0; rep < reps; rep++) {
    a.push(await viaApi(seconds));
    b.push(await bare(seconds));
  }
  await stopChild(api);
  ctx.apiPid = undefined;
  const m = (xs: { p50: number; p90: number; p99: number }[], k: 'p50' | 'p90' | 'p99') => median(xs.map((x) => x[k]));
  ctx.row(
    'API',
    `POST /orders / bare workflow start at ${rate}/s: p50, p90, p99`,
    `${fmt(m(a, 'p50') / m(b, 'p50'))}, ${fmt(m(a, 'p90') / m(b, 'p90'))}, ${fmt(m(a, 'p99') / m(b, 'p99'))}`,
    `API p50 ${fmt(m(a, 'p50'), 1)} ms, p90 ${fmt(m(a, 'p90'), 1)}, p99 ${fmt(m(a, 'p99'), 1)} (${a.reduce((s, x) => s + x.ok, 0)} ok, ${a.reduce((s, x) => s + x.bad, 0)} failed); bare start p50 ${fmt(m(b, 'p50'), 1)} ms, p90 ${fmt(m(b, 'p90'), 1)}, p99 ${fmt(m(b, 'p99'), 1)}`,
  );
  ctx.row('API', `CPU by process during POST /orders at ${rate}/s (cores)`, cpuText(a.at(-1)!.cpu));
}
