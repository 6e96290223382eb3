import { proxyActivities } from '@temporalio/workflow';
import type { NoopActivities } from './activities';

const { noop } = proxyActivities<NoopActivities>({ startToCloseTimeout: '30s' });

/** W1, the engine baseline: one workflow task, one activity that does nothing, done. */
export async function benchNoop(): Promise<void> {
  await noop();
}
