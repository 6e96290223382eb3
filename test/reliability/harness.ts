import { spawn, execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { createPrisma, type Db } from '../../infra/db';
import { createApiKey, type Role } from '../../api/auth';
import { allSearchAttributes, cliTypeOf } from '../../workflows/shared/search-attributes';
import { SmtpSink } from './smtp-sink';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
// node --import tsx, not the tsx CLI: the CLI runs the program in a child process, which a kill -9 of the CLI would orphan.
const NODE_TS = [process.execPath, '--import', 'tsx'] as const;

/** The reliability run's own ports and files: never the dev (7233), test (7244) or benchmark servers. */
export const PORTS = { temporal: 7266, api: 3266, smtp: 2566, workerMetrics: 9566, sdkMetrics: 9567 };
export const DATA_DIR = path.join(ROOT, 'data/reliability');
export const LOG_DIR = path.join(DATA_DIR, 'logs');

export const log = (...parts: unknown[]) => console.log(`[reliability ${new Date().toISOString().slice(11, 19)}]`, ...parts);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a truthy value; errors count as "not yet" (the system is being hurt). */
export async function poll<T>(
  probe: () => Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 120_000,
  everyMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await sleep(everyMs);
  }
}

/** A child process of the run with its log file; `exited` settles with its exit code or signal. */
export class Proc {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exit?: { code: number | null; signal: NodeJS.Signals | null };

  constructor(
    readonly name: string,
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv,
  ) {
    fs.mkdirSync(LOG_DIR, { recursive: true });
    const out = fs.openSync(path.join(LOG_DIR, `${name}.log`), 'a');
    this.child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      }),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** Sends the signal and waits for the exit (SIGKILL after `graceMs`). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000) {
    if (!this.running) return this.exit!;
    this.child.kill(signal);
    const timer = setTimeout(() => this.running && this.child.kill('SIGKILL'), graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }
}

/** Settings every process of the run shares (the scenario adds its own). */
export interface RunSettings {
  databaseUrl: string;
  temporalCli: string;
  pgCluster: string;
  dayMs: number;
  billingManager: string;
  workflowBundlePath: string;
}

/**
 * The system under test as separate processes that can be killed: the Temporal dev server (persistent
 * database file, so it can be restarted), a supervised worker, the API, and an SMTP receiver; plus what
 * the load and the verifier use to look at it (a Temporal client, Prisma, API keys).
 */
export class Harness {
  temporalProc?: Proc;
  worker?: Proc;
  api?: Proc;
  readonly sink = new SmtpSink(PORTS.smtp);
  readonly prisma: Db;
  temporal!: Client;
  private connection?: Connection;
  private supervising = false;
  private supervisor?: Promise<void>;
  workerEnv: Record<string, string> = {};
  workerStarts = 0;
  workerExits: string[] = [];
  /** When supervised workers died by SIGKILL (ms since epoch). */
  readonly crashTimes: number[] = [];
  /** When PostgreSQL was down ([stopped, accepting again], ms since epoch). */
  readonly databaseOutages: [number, number][] = [];
  readonly keys = new Map<Role, string>();
  readonly baseUrl = `http://127.0.0.1:${PORTS.api}`;
  readonly temporalDb = path.join(DATA_DIR, 'temporal.db');

  constructor(readonly settings: RunSettings) {
    this.prisma = createPrisma(settings.databaseUrl, 4);
  }

  /** Environment of the worker and the API (config variables only). */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      CHECKPOINT_DISABLE: '1',
      DATABASE_URL: this.settings.databaseUrl,
      DATABASE_POOL_SIZE: '8',
      TEMPORAL_ADDRESS: `127.0.0.1:${PORTS.temporal}`,
      TEMPORAL_TASK_QUEUE: 'backoffice-reliability',
      SMTP_URL: `smtp://127.0.0.1:${PORTS.smtp}`,
      API_PORT: String(PORTS.api),
      PUBLIC_URL: this.baseUrl,
      RATE_LIMIT_PER_MINUTE: '1000000',
      WORKER_METRICS_PORT: String(PORTS.workerMetrics),
      SDK_METRICS_PORT: String(PORTS.sdkMetrics),
      WORKER_SHUTDOWN_FORCE_MS: '5000',
      DAY_MS: String(this.settings.dayMs),
      // Approvals are answered by the load; nothing should time out on its own during a scenario.
      CREDIT_APPROVAL_REMINDER_MS: '600000',
      CREDIT_APPROVAL_TIMEOUT_MS: '1200000',
      BILLING_MANAGER_EMAIL: this.settings.billingManager,
      BILLING_EMAILS_PER_MINUTE: '60000',
      BILLING_APPROVAL_REMINDER_DAYS: '1000',
      BILLING_APPROVAL_TIMEOUT_DAYS: '2000',
      WARRANTY_QUOTE_DAYS: '90',
      WARRANTY_APPROVAL_DAYS: '90',
      FAULT_MARKER_DIR: path.join(DATA_DIR, 'fault-markers'),
      ...extra,
    };
  }

  // ------------------------------------------------------------------ Temporal

  async startTemporal(): Promise<void> {
    const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(PORTS.temporal), '--headless', '--log-level', 'warn'];
    args.push('--db-filename', this.temporalDb);
    for (const k of allSearchAttributes) args.push('--search-attribute', `${k.name}=${cliTypeOf[k.type]}`);
    this.temporalProc = new Proc('temporal', this.settings.temporalCli, args, process.env);
    await poll(
      async () => {
        if (!this.temporalProc!.running) throw new Error(`the Temporal dev server exited: ${JSON.stringify(this.temporalProc!.exit)}`);
        await run(this.settings.temporalCli, ['operator', 'cluster', 'health', '--address', `127.0.0.1:${PORTS.temporal}`]);
        return true;
      },
      'the Temporal dev server',
      60_000,
    );
    if (!this.connection) {
      this.connection = await Connection.connect({ address: `127.0.0.1:${PORTS.temporal}` });
      this.temporal = new Client({ connection: this.connection });
    }
  }

  async stopTemporal(signal: NodeJS.Signals): Promise<void> {
    await this.temporalProc?.stop(signal);
  }

  // ------------------------------------------------------------------ worker (supervised) and API

  /** Starts the worker under a supervisor that restarts it whenever it exits, like systemd or Kubernetes would. */
  startWorker(extraEnv: Record<string, string> = {}): void {
    this.workerEnv = extraEnv;
    this.supervising = true;
    this.supervisor = (async () => {
      while (this.supervising) {
        this.worker = this.spawnWorker(this.workerEnv);
        const exit = await this.worker.exited;
        this.workerExits.push(exit.signal ?? `code ${exit.code}`);
        if (exit.signal === 'SIGKILL') this.crashTimes.push(Date.now());
        if (this.supervising) await sleep(500);
      }
    })();
  }

  spawnWorker(extraEnv: Record<string, string> = {}, name = 'worker'): Proc {
    this.workerStarts++;
    return new Proc(name, NODE_TS[0], [...NODE_TS.slice(1), 'test/reliability/worker-process.ts'], {
      ...this.env(extraEnv),
      RELIABILITY_WORKFLOW_BUNDLE: this.settings.workflowBundlePath,
    });
  }

  /** kill -9 of the current worker process (the supervisor starts a new one). */
  killWorker(): void {
    if (this.worker?.running) this.worker.child.kill('SIGKILL');
  }

  async stopWorker(): Promise<void> {
    this.supervising = false;
    await this.worker?.stop('SIGTERM', 10_000);
    await this.supervisor;
  }

  async startApi(): Promise<void> {
    this.api = new Proc('api', NODE_TS[0], [...NODE_TS.slice(1), 'api/server.ts'], this.env());
    await poll(async () => (await fetch(`${this.baseUrl}/health`)).status === 200, 'the API to answer /health 200', 60_000);
  }

  async stopApi(): Promise<void> {
    await this.api?.stop('SIGTERM');
  }

  // ------------------------------------------------------------------ PostgreSQL (the whole local cluster)

  async stopPostgres(): Promise<void> {
    this.databaseOutages.push([Date.now(), Infinity]);
    await run('pg_ctlcluster', ['--skip-systemctl-redirect', this.settings.pgCluster, 'main', 'stop', '-m', 'fast']);
  }

  async startPostgres(): Promise<void> {
    await run('pg_ctlcluster', ['--skip-systemctl-redirect', this.settings.pgCluster, 'main', 'start']).catch(() => undefined);
    await poll(async () => (await this.prisma.$queryRaw`SELECT 1`) !== undefined, 'PostgreSQL to accept connections', 60_000);
    const outage = this.databaseOutages.at(-1);
    if (outage && outage[1] === Infinity) outage[1] = Date.now();
  }

  // ------------------------------------------------------------------ keys and HTTP

  async keyFor(role: Role): Promise<string> {
    if (!this.keys.has(role)) this.keys.set(role, await createApiKey(this.prisma, `reliability ${role}`, role));
    return this.keys.get(role)!;
  }

  async close(): Promise<void> {
    await this.stopWorker().catch(() => undefined);
    await this.stopApi().catch(() => undefined);
    await this.sink.stop().catch(() => undefined);
    await this.connection?.close().catch(() => undefined);
    await this.stopTemporal('SIGTERM').catch(() => undefined);
    await this.prisma.$disconnect().catch(() => undefined);
  }
}

export interface HttpAnswer {
  status: number;
  body: any;
  text: string;
}

/**
 * HTTP as a well-behaved integrator: network errors, 5xx and 429 are retried (same body, same
 * Idempotency-Key) until the deadline; any other answer is returned for the caller to judge.
 */
export async function http(
  baseUrl: string,
  method: string,
  urlPath: string,
  body: unknown,
  { key, headers = {}, deadlineMs = 240_000 }: { key?: string; headers?: Record<string, string>; deadlineMs?: number } = {},
): Promise<HttpAnswer> {
  const deadline = Date.now() + deadlineMs;
  let last = '';
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(baseUrl + urlPath, {
        method,
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      if (res.status < 500 && res.status !== 429) {
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        return { status: res.status, body: parsed, text };
      }
      last = `${res.status} ${text.slice(0, 200)}`;
    } catch (err) {
      last = String((err as Error).message);
    }
    if (Date.now() > deadline) throw new Error(`${method} ${urlPath}: still failing at the deadline: ${last}`);
    await sleep(Math.min(250 * 2 ** attempt, 3000));
  }
}
