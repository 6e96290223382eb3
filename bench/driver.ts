// The benchmark driver: bundles the workflows once, seeds the master data, starts the SMTP
// receiver and the worker process, runs the sections, and prints one table (also written to
// data/bench/results.md and .json). Started by bench/run.sh, which sets up the servers.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { BenchContext, type Options, type Target } from './context';
import { compareEngines, engine, type EngineResult } from './sections/engine';
import { dbPath } from './sections/db';
import { billing } from './sections/billing';
import { apiLatency } from './sections/api';
import { growth } from './sections/growth';
import { knobs } from './sections/knobs';

const SECTIONS = ['engine', 'db', 'api', 'knobs', 'billing', 'growth', 'pg'] as const;

function parseArgs(argv: string[]): Pick<Options, 'quick' | 'only'> {
  const quick = argv.includes('--quick');
  const onlyArg = argv.find((a) => a.startsWith('--only='));
  const only = onlyArg ? onlyArg.slice('--only='.length).split(',') : [];
  for (const s of only) if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`unknown section ${s} (${SECTIONS.join(', ')})`);
  return { quick, only };
}

async function bundle(workflowsPath: string, out: string): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
  });
  fs.writeFileSync(out, code);
  return out;
}

function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} x ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
}

/** Starts a fresh Temporal server: the dev server (new SQLite file) or the one on PostgreSQL (new databases). */
function startServer(options: Options, target: Target): void {
  const dir = process.env.BENCH_DIR!;
  const script = path.join(__dirname, target === 'dev' ? 'temporal-dev.sh' : 'temporal-pg.sh');
  execFileSync('bash', [script, 'stop'], { stdio: 'inherit' });
  execFileSync('bash', [script, 'start'], { stdio: 'inherit' });
  options.addresses[target] =
    target === 'dev' ? `127.0.0.1:${process.env.BENCH_TEMPORAL_PORT ?? 7255}` : `127.0.0.1:${process.env.PG_TEMPORAL_PORT ?? 7260}`;
  options.serverPids[target] = Number(fs.readFileSync(path.join(dir, `temporal-${target}.pid`), 'utf8'));
}

function stopServer(target: Target): void {
  execFileSync('bash', [path.join(__dirname, target === 'dev' ? 'temporal-dev.sh' : 'temporal-pg.sh'), 'stop'], { stdio: 'inherit' });
}

/** Runs a section; a failure is noted with the figures and the next section still runs. */
async function guard<T>(ctx: BenchContext, name: string, section: () => Promise<T>): Promise<T | undefined> {
  try {
    return await section();
  } catch (err) {
    console.error(`section ${name} failed:`, err);
    ctx.notes.push(`Section ${name} failed: ${(err as Error).message}`);
    return undefined;
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = process.env.BENCH_DIR ?? path.resolve(__dirname, '../data/bench');
  fs.mkdirSync(dir, { recursive: true });
  const options: Options = {
    ...args,
    databaseUrl: process.env.BENCH_DATABASE_URL!,
    addresses: { dev: undefined, pg: undefined },
    serverPids: { dev: undefined, pg: undefined },
    bundles: {
      product: await bundle(require.resolve('../workflows'), path.join(dir, 'product-bundle.js')),
      noop: await bundle(require.resolve('./noop/workflows'), path.join(dir, 'noop-bundle.js')),
    },
  };
  const selected = (s: (typeof SECTIONS)[number]) => options.only.length === 0 || options.only.includes(s);
  const started = Date.now();
  fs.rmSync(path.join(dir, 'rows-partial.md'), { force: true });
  const ctx = new BenchContext(options);
  try {
    await ctx.startSmtp();
    await ctx.seed();
    startServer(options, 'dev');
    await ctx.useWorker('dev');
    let dev: EngineResult | undefined;
    if (selected('engine')) dev = await guard(ctx, 'engine', () => engine(ctx, 'dev'));
    if (selected('db')) await guard(ctx, 'db', () => dbPath(ctx));
    if (selected('api')) await guard(ctx, 'api', () => apiLatency(ctx));
    if (selected('knobs')) await guard(ctx, 'knobs', () => knobs(ctx));
    if (selected('billing')) await guard(ctx, 'billing', () => billing(ctx));
    if (selected('growth')) {
      // On an empty server: the sections before leave thousands of open processes behind.
      await ctx.stopWorker();
      startServer(options, 'dev');
      await ctx.useWorker('dev', {}, true);
      await guard(ctx, 'growth', () => growth(ctx));
    }
    await ctx.stopWorker();
    stopServer('dev');
    // Quick mode leaves the PostgreSQL server out (its schemas and start-up take a minute) unless asked.
    if (selected('pg') && (!options.quick || options.only.includes('pg'))) {
      if (!process.env.BENCH_PG_SCRIPT) ctx.notes.push('Temporal on PostgreSQL: not measured in this run (--no-pg)');
      else {
        startServer(options, 'pg');
        try {
          await ctx.useWorker('pg');
          const pg = await guard(ctx, 'pg', () => engine(ctx, 'pg'));
          if (dev && pg) compareEngines(ctx, dev, pg);
        } finally {
          await ctx.stopWorker();
          stopServer('pg');
        }
      }
    }
  } finally {
    await ctx.close();
  }
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  const header = [
    `Benchmark ${options.quick ? '(quick mode)' : '(full)'}, ${new Date().toISOString()}, ${minutes} min`,
    `Machine: ${machine()}`,
  ];
  const table = [
    '| Section | Measure | Result (ratios: what counts) | Context (absolute, this machine only) |',
    '| --- | --- | --- | --- |',
    ...ctx.rows.map((r) => `| ${r.section} | ${r.measure} | ${r.result} | ${r.context.replace(/\|/g, '/')} |`),
  ];
  const text = [...header, '', ...table, '', ...ctx.notes.map((n) => `- ${n}`)].join('\n');
  console.log(`\n${text}`);
  fs.writeFileSync(path.join(dir, options.quick ? 'results-quick.md' : 'results.md'), `${text}\n`);
  fs.writeFileSync(
    path.join(dir, options.quick ? 'results-quick.json' : 'results.json'),
    JSON.stringify({ header, rows: ctx.rows, notes: ctx.notes }, null, 2),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
