import { main } from '../../worker';

/**
 * The worker process of the reliability run: worker.ts's own composition root, with the run's prebuilt
 * workflow bundle (a restart after kill -9 does not bundle again) and, for the small-cache scenario,
 * a workflow cache of RELIABILITY_MAX_CACHED_WORKFLOWS entries (every task beyond it replays the history).
 */
const cache = Number(process.env.RELIABILITY_MAX_CACHED_WORKFLOWS ?? 0);
main({
  workflowBundlePath: process.env.RELIABILITY_WORKFLOW_BUNDLE,
  overrides: cache > 0 ? { maxCachedWorkflows: cache, maxConcurrentWorkflowTaskExecutions: Math.min(cache, 2) } : undefined,
}).catch((err) => {
  console.error(err);
  process.exit(1);
});
