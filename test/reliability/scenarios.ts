import fs from 'node:fs';
import path from 'node:path';
import { DATA_DIR, LOG_DIR, poll, sleep, type Harness, type Proc } from './harness';
import { soak, type LoadContext } from './load';
import type { Allowances } from './verifier';

/**
 * One fault scenario: the load it holds, the fault it injects while the load runs, and what the
 * verifier may excuse. `inject` runs beside the load and returns what it observed of the fault
 * (a scenario whose fault never bit proves nothing, so it fails too).
 */
export interface Scenario {
  name: string;
  load: string;
  fault: string;
  workerEnv?: Record<string, string>;
  allow?: Allowances;
  /** Lifecycles of the load (all when absent). */
  only?: string[];
  /** Runs before the supervised worker and the load start. */
  before?(h: Harness): Promise<{ observations: string[]; failures: string[] } | void>;
  inject?(h: Harness, ctx: LoadContext, load: Promise<void>): Promise<{ observations: string[]; failures: string[] }>;
}

const markerDir = path.join(DATA_DIR, 'fault-markers');
const clearMarkers = () => fs.rmSync(markerDir, { recursive: true, force: true });
const markers = () => (fs.existsSync(markerDir) ? fs.readdirSync(markerDir) : []);
const settled = (p: Promise<void>) => {
  let done = false;
  void p.finally(() => (done = true));
  return () => done;
};

/** Waits `ms` unless the load ends first. */
async function during(load: Promise<void>, ms: number): Promise<boolean> {
  const over = settled(load);
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (over()) return false;
    await sleep(200);
  }
  return true;
}

/** The crash points the activities' source has (a point added to an activity joins the scenario by itself). */
function pointsInActivities(points: string[]): string[] {
  const dir = path.resolve(__dirname, '../../activities');
  const source = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
    .join('\n');
  return points.filter((p) => source.includes(`faultPoint('${p}')`));
}

/** Kills the worker after each named fault point fired, checking each crash really happened. */
function crashPoints(points: string[]): Pick<Scenario, 'workerEnv' | 'inject'> {
  return {
    workerEnv: { FAULT_POINTS: points.join(',') },
    async inject(h, _ctx, load) {
      clearMarkers();
      await load;
      const fired = markers();
      const failures = points.filter((p) => !fired.includes(p.replace(/[^\w.-]/g, '_'))).map((p) => `fault point ${p} never fired`);
      return { observations: [`crashed at ${fired.join(', ') || 'nothing'}; worker exits: ${h.workerExits.join(', ')}`], failures };
    },
  };
}

/** Restarts the Temporal dev server mid-load with the signal (its history is in a database file). */
function temporalRestart(signal: NodeJS.Signals): Scenario['inject'] {
  return async (h, _ctx, load) => {
    await during(load, 12_000);
    const before = h.temporalProc!.pid;
    const t0 = Date.now();
    await h.stopTemporal(signal);
    await sleep(3_000);
    await h.startTemporal();
    const observations = [`dev server ${before} stopped with ${signal}, back after ${((Date.now() - t0) / 1000).toFixed(1)} s`];
    await load;
    return { observations, failures: [] };
  };
}

export const scenarios: Scenario[] = [
  {
    name: 'baseline',
    load: 'mixed',
    fault: 'none (control run)',
  },
  {
    name: 'worker kill -9, repeatedly',
    load: 'mixed',
    fault: 'kill -9 of the worker every 4-8 s for the first 60 s of the load (× SOAK); a supervisor restarts it',
    async inject(h, _ctx, load) {
      let kills = 0;
      // Bounded, so the load can finish within the run's time (SOAK lengthens it).
      const until = Date.now() + 60_000 * soak();
      while (Date.now() < until && (await during(load, 4_000 + Math.random() * 4_000))) {
        if (h.worker?.running) {
          h.killWorker();
          kills++;
        }
      }
      return {
        observations: [`${kills} kills, ${h.workerExits.filter((e) => e === 'SIGKILL').length} worker exits by SIGKILL`],
        failures: kills ? [] : ['no kill landed'],
      };
    },
  },
  {
    name: 'API kill -9, repeatedly',
    load: 'mixed',
    fault: 'kill -9 of the API process every 4-8 s (restarted at once): requests die between the database write and the process start',
    async inject(h, _ctx, load) {
      let kills = 0;
      while (await during(load, 4_000 + Math.random() * 4_000)) {
        await h.api?.stop('SIGKILL');
        kills++;
        await h.startApi();
      }
      return { observations: [`${kills} API kills`], failures: kills ? [] : ['no kill landed'] };
    },
  },
  {
    name: 'kill -9 after an activity committed',
    load: 'orders',
    only: ['orders'],
    fault:
      'the worker SIGKILLs itself inside reserveStock and shipOrder (and issueInvoice, recordPayment when they carry their fault point), after the transaction committed and before returning',
    ...crashPoints(
      pointsInActivities(['reserveStock:committed', 'shipOrder:committed', 'issueInvoice:committed', 'recordPayment:committed']),
    ),
  },
  {
    name: 'kill -9 after SMTP accepted',
    load: 'mixed',
    fault: 'the worker SIGKILLs itself inside sendEmail once SMTP accepted the message, before the outbox row is marked sent',
    // The retry cannot know whether the server got the message: the duplicate is reported (the verifier ties it to the crash).
    ...crashPoints(['sendEmail:accepted']),
  },
  {
    name: 'Temporal restart (SIGTERM)',
    load: 'mixed',
    fault: 'the Temporal dev server (persistent --db-filename) stopped with SIGTERM mid-load, started again 3 s later',
    inject: temporalRestart('SIGTERM'),
  },
  {
    name: 'Temporal restart (SIGKILL)',
    load: 'mixed',
    fault: 'the Temporal dev server killed with SIGKILL mid-load, started again 3 s later',
    inject: temporalRestart('SIGKILL'),
  },
  {
    name: 'PostgreSQL down 30 s',
    load: 'mixed',
    fault: 'the PostgreSQL cluster stopped for 30 s mid-load (activities and API calls retry); GET /health polled meanwhile',
    async inject(h, _ctx, load) {
      await during(load, 10_000);
      const health: number[] = [];
      await h.stopPostgres();
      const t0 = Date.now();
      try {
        while (Date.now() - t0 < 30_000) {
          health.push(
            await fetch(`${h.baseUrl}/health`, { signal: AbortSignal.timeout(5_000) }).then(
              (r) => r.status,
              () => 0,
            ),
          );
          await sleep(2_000);
        }
      } finally {
        await h.startPostgres();
      }
      const after = await poll(
        async () => ((await fetch(`${h.baseUrl}/health`)).status === 200 ? 200 : undefined),
        '/health 200 again',
        60_000,
      );
      await load;
      const failures = health.filter((s) => s !== 503).length ? [`/health answered ${health.join(',')} while PostgreSQL was down`] : [];
      return { observations: [`/health during the outage: ${health.length}×503; after: ${after}`], failures };
    },
  },
  {
    name: 'SMTP down 60 s',
    load: 'mixed',
    fault: 'the SMTP receiver closed for 60 s mid-load, then back on the same port',
    async inject(h, _ctx, load) {
      await during(load, 5_000);
      await h.sink.stop();
      const t0 = Date.now();
      await sleep(60_000);
      const refused = await h.prisma.emailOutbox.count({ where: { lastError: { not: null }, createdAt: { gte: new Date(t0 - 5_000) } } });
      await h.sink.start();
      await load;
      return {
        observations: [`${refused} outbox row(s) refused while down, then delivered`],
        failures: refused ? [] : ['no email was attempted while SMTP was down'],
      };
    },
  },
  {
    name: 'worker started while Temporal is down',
    load: 'orders (after recovery)',
    only: ['orders'],
    fault: 'a worker started with the Temporal server stopped; then the server is started and the supervised worker takes the load',
    async before(h) {
      await h.stopTemporal('SIGTERM');
      const t0 = Date.now();
      const lone: Proc = h.spawnWorker({}, 'worker-without-temporal');
      const timeout = sleep(60_000).then(() => 'hang' as const);
      const exit = await Promise.race([lone.exited, timeout]);
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      const failures: string[] = [];
      if (exit === 'hang') {
        failures.push('the worker neither exited nor connected within 60 s');
        await lone.stop('SIGKILL');
      } else if (exit.code === 0) failures.push('the worker exited 0 without Temporal');
      const logText = fs.readFileSync(path.join(LOG_DIR, 'worker-without-temporal.log'), 'utf8');
      if (!/cannot reach Temporal/.test(logText)) failures.push('the worker did not say it cannot reach Temporal');
      await h.startTemporal();
      const observations = [
        `exited ${exit === 'hang' ? 'never' : `with ${exit.code ?? exit.signal}`} after ${secs} s: "cannot reach Temporal; is the server running?"`,
      ];
      return { observations, failures };
    },
  },
  {
    name: 'small workflow cache',
    load: 'mixed',
    fault: 'worker with maxCachedWorkflows 3 (and 2 concurrent workflow tasks): most tasks replay the history from the start',
    workerEnv: { RELIABILITY_MAX_CACHED_WORKFLOWS: '3' },
  },
];
