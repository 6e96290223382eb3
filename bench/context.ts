// What every section of the benchmark shares: the configuration, the clients, the child
// processes (worker, SMTP receiver), the master data, and the result rows.
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadConfig, type Config } from '../infra/config';
import { createPrisma, type Db } from '../infra/db';
import { temporalConnectionOptions } from '../infra/temporal';
import { CpuMeter, memoryMiB, spawnTs, stopChild, type Pids } from './procs';
import type { Knobs } from './worker';

export const MAIN_WAREHOUSE_ID = '00000000-0000-4000-8000-000000000001';

export type Target = 'dev' | 'pg';

export interface Row {
  section: string;
  measure: string;
  /** The figure that counts: a ratio of two measures taken side by side. */
  result: string;
  /** Absolute values, for context only. */
  context: string;
}

export interface Options {
  quick: boolean;
  /** Sections to run (all when empty). */
  only: string[];
  databaseUrl: string;
  addresses: Record<Target, string | undefined>;
  serverPids: Record<Target, number | undefined>;
  bundles: { product: string; noop: string };
}

/** Median of numbers (the middle one, or the mean of the two middle ones). */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Percentile (nearest rank) of numbers. */
export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export const fmt = (n: number, digits = 2): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class BenchContext {
  readonly rows: Row[] = [];
  readonly notes: string[] = [];
  readonly config: Config;
  readonly prisma: Db;
  temporal!: Client;
  target: Target = 'dev';
  knobs: Knobs = {};
  private connection?: Connection;
  private worker?: ChildProcess;
  private smtp?: ChildProcess;
  smtpPort = 0;
  apiPid?: number;
  customers: { id: string; billingEmail: string }[] = [];
  products: { id: string; name: string; unitPriceCents: number; vatRateBp: number; stocked: boolean }[] = [];
  /** A unique tag per run, in workflow ids and references. */
  readonly tag = randomUUID().slice(0, 8);

  constructor(readonly options: Options) {
    this.config = this.configFor('dev');
    this.prisma = createPrisma(options.databaseUrl, 10);
  }

  configFor(target: Target, extra: Record<string, string> = {}): Config {
    return loadConfig({ ...this.envFor(target), ...extra });
  }

  /** The environment of the product processes (worker, API) for a target server. */
  envFor(target: Target): NodeJS.ProcessEnv {
    return {
      ...process.env,
      NODE_ENV: 'production',
      APPROVAL_SECRET: 'benchmark-approval-secret-0123456789',
      LOG_LEVEL: 'warn',
      DATABASE_URL: this.options.databaseUrl,
      TEMPORAL_ADDRESS: this.options.addresses[target]!,
      TEMPORAL_TASK_QUEUE: 'bench',
      SMTP_URL: `smtp://127.0.0.1:${this.smtpPort}`,
      PUBLIC_URL: 'http://127.0.0.1:3999',
      RATE_LIMIT_PER_MINUTE: '10000000',
      // The billing run emails at this pace in the benchmark (the default 600/min would make a
      // 10,000-contract run a 17-minute wait); reported with the figures.
      BILLING_EMAILS_PER_MINUTE: process.env.BENCH_EMAILS_PER_MINUTE ?? '60000',
      BILLING_APPROVAL_REMINDER_DAYS: '5',
    };
  }

  get taskQueue(): string {
    return this.config.TEMPORAL_TASK_QUEUE;
  }

  pids(): Pids {
    return { server: this.options.serverPids[this.target], worker: this.worker?.pid, smtp: this.smtp?.pid, api: this.apiPid };
  }

  cpu(): CpuMeter {
    return new CpuMeter(() => this.pids());
  }

  workerMemory(): { rss: number; peak: number } {
    return memoryMiB(this.worker?.pid);
  }

  async startSmtp(): Promise<void> {
    const { child, first } = await spawnTs<{ port: number }>('smtp-sink.ts', process.env);
    this.smtp = child;
    this.smtpPort = first.port;
  }

  /** Messages the SMTP receiver has accepted so far. */
  async mailCount(): Promise<number> {
    const smtp = this.smtp!;
    return new Promise((resolve) => {
      const onMessage = (m: unknown) => {
        if (typeof m === 'object' && m && 'received' in m) {
          smtp.off('message', onMessage);
          resolve((m as { received: number }).received);
        }
      };
      smtp.on('message', onMessage);
      smtp.send('count');
    });
  }

  /** (Re)starts the worker process against a target server with tuning knobs. */
  async useWorker(target: Target, knobs: Knobs = {}, reconnect = false): Promise<void> {
    if (this.worker) await stopChild(this.worker);
    if (this.target !== target || !this.connection || reconnect) {
      await this.connection?.close();
      this.connection = await Connection.connect(temporalConnectionOptions(this.configFor(target)));
      this.temporal = new Client({ connection: this.connection, namespace: this.config.TEMPORAL_NAMESPACE });
    }
    this.target = target;
    this.knobs = knobs;
    const { child } = await spawnTs('worker.ts', {
      ...this.envFor(target),
      BENCH_KNOBS: JSON.stringify(knobs),
      BENCH_PRODUCT_BUNDLE: this.options.bundles.product,
      BENCH_NOOP_BUNDLE: this.options.bundles.noop,
    });
    this.worker = child;
  }

  /** Master data shared by the sections: customers, stocked products with ample stock, one service. */
  async seed(): Promise<void> {
    const n = 100;
    this.customers = Array.from({ length: n }, (_, i) => ({ id: randomUUID(), billingEmail: `client-${i}@bench.local` }));
    await this.prisma.customer.createMany({
      data: this.customers.map((c, i) => ({
        id: c.id,
        legalName: `Client banc d'essai ${i} SARL`,
        siren: '552100554',
        siret: '55210055400013',
        vatNumber: 'FR96552100554',
        billingEmail: c.billingEmail,
        addressLine: `${i} rue du Banc`,
        postalCode: '38000',
        city: 'Grenoble',
        paymentTermsDays: 30,
        creditLimitCents: 2_000_000_000,
      })),
    });
    this.products = Array.from({ length: 50 }, (_, i) => ({
      id: randomUUID(),
      name: `Filtre ${i}`,
      unitPriceCents: 1000 + i,
      vatRateBp: 2000,
      stocked: true,
    }));
    this.products.push({ id: randomUUID(), name: 'Mise en service', unitPriceCents: 5000, vatRateBp: 1000, stocked: false });
    await this.prisma.product.createMany({
      data: this.products.map((p, i) => ({ ...p, sku: i < 50 ? `BENCH-F${i}` : 'BENCH-MES' })),
    });
    await this.prisma.stockLevel.createMany({
      data: this.products.filter((p) => p.stocked).map((p) => ({ productId: p.id, warehouseId: MAIN_WAREHOUSE_ID, onHand: 1_000_000_000 })),
    });
  }

  row(section: string, measure: string, result: string, context = ''): void {
    this.rows.push({ section, measure, result, context });
    const line = `| ${section} | ${measure} | ${result} | ${context.replace(/\|/g, '/')} |`;
    console.log(`  ${line}`);
    // Kept as they come, so a run stopped half-way still leaves its figures.
    if (process.env.BENCH_DIR) fs.appendFileSync(path.join(process.env.BENCH_DIR, 'rows-partial.md'), `${line}\n`);
  }

  async stopWorker(): Promise<void> {
    if (this.worker) await stopChild(this.worker);
    this.worker = undefined;
  }

  async close(): Promise<void> {
    await this.stopWorker();
    if (this.smtp) await stopChild(this.smtp);
    await this.connection?.close();
    await this.prisma.$disconnect();
  }
}
