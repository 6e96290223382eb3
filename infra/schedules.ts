import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Config } from './config';
import { billingRunPolicy } from './policies';

/** The Temporal Schedule that starts the contract billing run of the month, on the 1st at 06:00 Paris time. */
export const BILLING_SCHEDULE_ID = 'contract-billing-monthly';

function billingSchedule(config: Config): ScheduleOptions {
  return {
    scheduleId: BILLING_SCHEDULE_ID,
    spec: { calendars: [{ dayOfMonth: 1, hour: 6 }], timezone: 'Europe/Paris' },
    action: {
      type: 'startWorkflow',
      workflowType: 'scheduledBillingRun',
      // Temporal appends the scheduled time; the run itself is `billing-<period>`, started once.
      workflowId: 'billing-schedule',
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [{ policy: billingRunPolicy(config) }],
    },
    // A run missed while Temporal was down starts when it is back (within a month).
    policies: { overlap: ScheduleOverlapPolicy.ALLOW_ALL, catchupWindow: '31 days' },
  };
}

/** Creates the schedule, or brings its action up to date with the configuration. */
export async function ensureSchedules(client: Client, config: Config): Promise<void> {
  const options = billingSchedule(config);
  try {
    await client.schedule.create(options);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule
      .getHandle(BILLING_SCHEDULE_ID)
      .update((previous) => ({ ...previous, spec: options.spec, action: options.action }));
  }
}
