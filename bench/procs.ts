// Child processes of the benchmark (worker, SMTP receiver, API) and what they cost: CPU time
// from /proc for each process the analysis names, resident memory of the worker.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** A TypeScript child process with an IPC channel; resolves on its first message. */
export async function spawnTs<T = unknown>(file: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; first: T }> {
  const child = fork(path.resolve(__dirname, file), [], {
    execArgv: ['--import', 'tsx'],
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const first = await new Promise<T>((resolve, reject) => {
    child.once('message', (m) => resolve(m as T));
    child.once('exit', (code) => reject(new Error(`${file} exited (${code}) before it was ready`)));
  });
  return { child, first };
}

/** Asks a child to stop (IPC 'stop', then SIGTERM, then SIGKILL) and waits for its exit. */
export async function stopChild(child: ChildProcess, timeoutMs = 20_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.connected) child.send('stop');
  const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs / 2);
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
  clearTimeout(killer);
}

function readStat(pid: number): { comm: string; ppid: number; own: number; children: number } | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const f = text.slice(close + 2).split(' ');
    // After the comm: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
    return { comm, ppid: Number(f[1]), own: Number(f[11]) + Number(f[12]), children: Number(f[13]) + Number(f[14]) };
  } catch {
    return undefined;
  }
}

/** CPU seconds used so far by a process (and its exited children when `withChildren`). */
export function cpuSeconds(pid: number | undefined, withChildren = false): number {
  if (!pid) return 0;
  const s = readStat(pid);
  return s ? (s.own + (withChildren ? s.children : 0)) / TICKS_PER_SECOND : 0;
}

/** CPU seconds of every PostgreSQL process (backends alive now, plus the postmaster's exited children). */
export function postgresCpuSeconds(): number {
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = readStat(Number(entry));
    if (!s || !s.comm.startsWith('postgres')) continue;
    total += s.own;
    if (s.ppid === 1 || readStat(s.ppid)?.comm.startsWith('postgres') === false) total += s.children;
  }
  return total / TICKS_PER_SECOND;
}

/** Busy CPU seconds of the whole machine (all cores), from /proc/stat. */
export function machineBusySeconds(): number {
  const [, ...f] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = f.map(Number);
  return (user + nice + system + irq + softirq + (steal ?? 0)) / TICKS_PER_SECOND;
}

/** Resident memory of a process in MiB (VmRSS), and its peak since start (VmHWM). */
export function memoryMiB(pid: number | undefined): { rss: number; peak: number } {
  if (!pid) return { rss: 0, peak: 0 };
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return { rss: 0, peak: 0 };
  }
}

export interface CpuShare {
  /** Cores used on average over the interval (1.0 = one core busy). */
  server: number;
  postgres: number;
  worker: number;
  driver: number;
  smtp: number;
  api: number;
  other: number;
  total: number;
}

export interface Pids {
  server?: number;
  worker?: number;
  smtp?: number;
  api?: number;
}

/** Snapshot of CPU counters; `since(previous)` gives the cores each part used in between. */
export class CpuMeter {
  private readonly at: number;
  private readonly values: Record<Exclude<keyof CpuShare, 'other'>, number>;

  constructor(private readonly pids: () => Pids) {
    const p = pids();
    const driver = process.cpuUsage();
    this.at = performance.now();
    this.values = {
      server: cpuSeconds(p.server),
      postgres: postgresCpuSeconds(),
      worker: cpuSeconds(p.worker),
      driver: (driver.user + driver.system) / 1e6,
      smtp: cpuSeconds(p.smtp),
      api: cpuSeconds(p.api),
      total: machineBusySeconds(),
    };
  }

  since(start: CpuMeter): CpuShare {
    const seconds = (this.at - start.at) / 1000;
    const d = (k: keyof CpuMeter['values']) => Math.max(0, this.values[k] - start.values[k]) / seconds;
    const share = {
      server: d('server'),
      postgres: d('postgres'),
      worker: d('worker'),
      driver: d('driver'),
      smtp: d('smtp'),
      api: d('api'),
      total: d('total'),
    };
    const known = share.server + share.postgres + share.worker + share.driver + share.smtp + share.api;
    return { ...share, other: Math.max(0, share.total - known) };
  }
}
