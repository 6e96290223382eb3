import { condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { shortActivity } from './shared/activity-options';
import { confirmSmokeSignal, smokeStatusQuery, type SmokeInput, type SmokeStatus } from './smoke.definitions';

const { recordSmokeRun, sendEmail, confirmSmokeRun } = proxyActivities<Activities>(shortActivity);

/** Proves the chain end to end: a database row, an email, a signal from the API and a query. */
export async function smoke(input: SmokeInput): Promise<SmokeStatus> {
  const status: SmokeStatus = { step: 'recording' };
  setHandler(smokeStatusQuery, () => status);
  setHandler(confirmSmokeSignal, ({ by }) => {
    status.confirmedBy = by;
  });

  await recordSmokeRun(input);
  status.step = 'emailing';
  await sendEmail({
    key: `${workflowInfo().workflowId}:email`,
    template: 'smoke',
    to: input.email,
    payload: { id: input.id, message: input.message },
  });
  status.step = 'awaiting_confirmation';
  await condition(() => status.confirmedBy !== undefined);
  await confirmSmokeRun(input.id);
  status.step = 'confirmed';
  return status;
}
