import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import { DATA_DIR, Harness, log } from './harness';
import { LoadContext, lifecycles, runLoad, soak } from './load';
import { scenarios, type Scenario } from './scenarios';
import { verify, type Figures } from './verifier';

/**
 * `npm run test:reliability` (scripts/reliability.sh sets up the database and the Temporal CLI, then runs
 * this): every fault scenario in turn against the real system as separate processes, each followed by
 * the verifier. Prints the figures, writes data/reliability/last-run.{json,md} (and the table of
 * docs/RELIABILITY.md with RELIABILITY_UPDATE_DOCS=1), exits non-zero when any scenario fails.
 * RELIABILITY_SCENARIOS=<substring,...> runs only the matching scenarios; SOAK=<n> multiplies the load.
 */

interface Result {
  scenario: string;
  load: string;
  fault: string;
  seconds: number;
  passed: boolean;
  figures?: Figures;
  observations: string[];
  problems: string[];
  notes: string[];
}

const ROOT = path.resolve(__dirname, '../..');

async function runScenario(h: Harness, s: Scenario, index: number): Promise<Result> {
  const t0 = Date.now();
  const since = new Date();
  const observations: string[] = [];
  const problems: string[] = [];
  log(`── ${s.name}: ${s.fault}`);
  h.workerExits.length = 0;
  const before = await s.before?.(h);
  if (before) {
    observations.push(...before.observations);
    problems.push(...before.failures);
  }
  h.startWorker(s.workerEnv);
  const ctx = new LoadContext(h, s.name, index);
  const load = runLoad(ctx, { only: s.only });
  const injected = s.inject ? await s.inject(h, ctx, load) : (await load, { observations: [], failures: [] });
  await load;
  observations.push(...injected.observations);
  problems.push(...injected.failures, ...ctx.errors.map((e) => `load: ${e}`));
  log(`load done (${ctx.accepted.length} processes accepted); verifying`);
  const verdict = await verify(h, {
    scenario: s.name,
    since,
    accepted: ctx.accepted,
    topLevelTypes: lifecycles.filter((l) => !s.only || s.only.includes(l.name)).flatMap((l) => l.workflowTypes),
    decidedApprovals: ctx.decidedApprovals,
    scannedApprovals: ctx.scannedApprovals,
    drainMs: 180_000,
    crashTimes: h.crashTimes,
    databaseOutages: h.databaseOutages,
    allow: s.allow,
  });
  await h.stopWorker();
  problems.push(...verdict.problems);
  const result: Result = {
    scenario: s.name,
    load: s.load,
    fault: s.fault,
    seconds: Math.round((Date.now() - t0) / 1000),
    passed: problems.length === 0,
    figures: verdict.figures,
    observations,
    problems,
    notes: verdict.notes,
  };
  const f = verdict.figures;
  log(
    `${result.passed ? 'PASS' : 'FAIL'} ${s.name} in ${result.seconds} s: ${f.completed}/${f.accepted} completed (${f.runningExpected} running by design), ` +
      `visibility ${f.visibilityCount}, replayed ${f.replayed - f.replayFailures}/${f.replayed}, duplicates ${f.duplicateRows}, gaps ${f.numberGaps}, ` +
      `mails ${f.mailsSent} sent / ${f.mailsMissing} missing / ${f.mailsDuplicated} duplicated`,
  );
  for (const o of observations) log(`  observed: ${o}`);
  for (const n of verdict.notes) log(`  note: ${n}`);
  for (const p of problems) log(`  PROBLEM: ${p}`);
  return result;
}

/** The RELIABILITY.md table. */
function table(results: Result[], totalSeconds: number): string {
  const rows = results.map((r) => {
    const f = r.figures;
    const cells = f
      ? [
          `${f.accepted} / ${f.completed}${f.runningExpected ? ` (+${f.runningExpected} running by design)` : ''}${f.sdkDefectStuck ? `, ${f.sdkDefectStuck} stuck on the SDK defect` : ''}`,
          `${f.visibilityCount}`,
          `${f.taskFailures}`,
          `${f.replayed - f.replayFailures - f.sdkDefectLatent}/${f.replayed}${f.sdkDefectLatent ? ` (${f.sdkDefectLatent} SDK defect)` : ''}`,
          `${f.duplicateRows}`,
          `${f.numberGaps}`,
          `${f.unreconciledInvoices + f.stockMismatches}`,
          `${f.mailsSent} / ${f.mailsMissing} / ${f.mailsDuplicated}`,
          `${f.approvals} / ${f.approvalsMultiDecided + f.approvalsChangedByGet}`,
        ]
      : Array(9).fill('—');
    return `| ${r.scenario} | ${r.load} | ${r.fault} | ${cells.join(' | ')} | ${r.passed ? 'pass' : 'FAIL'} (${r.seconds} s) |`;
  });
  return [
    `Last run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, SOAK=${soak()}, ${Math.round(totalSeconds / 60)} min on ${os.cpus().length} cores.`,
    '',
    '| Scenario | Load | Fault | Workflows accepted / completed | Visibility count | Task failures | Histories replayed | Duplicate rows | Number gaps | Unreconciled (money, stock) | Mails sent / missing / duplicated | Approvals / bad decisions | Result |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    'Observed faults:',
    '',
    ...results.flatMap((r) => [...r.observations, ...r.notes].map((o) => `- ${r.scenario}: ${o}`)),
  ].join('\n');
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const databaseUrl = process.env.DATABASE_URL;
  const temporalCli = process.env.TEMPORAL_CLI_PATH;
  if (!databaseUrl || !temporalCli) throw new Error('run through scripts/reliability.sh (DATABASE_URL and TEMPORAL_CLI_PATH)');
  // The replay workers of the verifier: warnings and errors only.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  fs.rmSync(DATA_DIR, { recursive: true, force: true });
  fs.mkdirSync(DATA_DIR, { recursive: true });

  log('bundling the workflows');
  const workflowBundlePath = path.join(DATA_DIR, 'workflow-bundle.js');
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
  });
  fs.writeFileSync(workflowBundlePath, code);

  const h = new Harness({
    databaseUrl,
    temporalCli,
    pgCluster: process.env.PG_CLUSTER ?? '15',
    dayMs: Number(process.env.RELIABILITY_DAY_MS ?? 5000),
    billingManager: 'billing-reliability@backoffice.local',
    workflowBundlePath,
  });
  const filter = process.env.RELIABILITY_SCENARIOS?.split(',').map((s) => s.trim().toLowerCase());
  const chosen = scenarios.filter((s) => !filter || filter.some((f) => s.name.toLowerCase().includes(f)));
  const results: Result[] = [];
  const stop = async () => {
    await h.startPostgres().catch(() => undefined);
    await h.close();
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  process.once('SIGTERM', () => void stop().then(() => process.exit(143)));
  try {
    await h.sink.start();
    log('starting the Temporal dev server, the API');
    await h.startTemporal();
    await h.startApi();
    for (const [i, s] of chosen.entries()) {
      try {
        results.push(await runScenario(h, s, scenarios.indexOf(s) >= 0 ? scenarios.indexOf(s) : i));
      } catch (err) {
        log(`FAIL ${s.name}: ${(err as Error).stack}`);
        results.push({
          scenario: s.name,
          load: s.load,
          fault: s.fault,
          seconds: 0,
          passed: false,
          observations: [],
          problems: [String(err)],
          notes: [],
        });
        await h.stopWorker().catch(() => undefined);
      }
    }
  } finally {
    await stop();
  }

  const seconds = (Date.now() - t0) / 1000;
  const md = table(results, seconds);
  fs.writeFileSync(path.join(DATA_DIR, 'last-run.json'), JSON.stringify({ soak: soak(), seconds, results }, null, 2));
  fs.writeFileSync(path.join(DATA_DIR, 'last-run.md'), md + '\n');
  console.log(`\n${md}\n`);
  if (process.env.RELIABILITY_UPDATE_DOCS === '1' && !filter) {
    const doc = path.join(ROOT, 'docs/RELIABILITY.md');
    const text = fs.readFileSync(doc, 'utf8');
    const updated = text.replace(/(<!-- reliability:results -->\n)[\s\S]*?(\n<!-- \/reliability:results -->)/, `$1${md}$2`);
    fs.writeFileSync(doc, updated);
    log('docs/RELIABILITY.md updated');
  }
  const failed = results.filter((r) => !r.passed);
  for (const r of failed) console.log(`FAILED: ${r.scenario}\n  ${r.problems.slice(0, 20).join('\n  ')}`);
  console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
  process.exit(failed.length ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
