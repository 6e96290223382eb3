import { ActivityCancellationType, type ActivityOptions, type RetryPolicy } from '@temporalio/common';

/** The shared retry policy: database and SMTP hiccups are retried with backoff, for as long as it takes. */
export const standardRetry: RetryPolicy = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '1m',
  nonRetryableErrorTypes: [],
};

/** Options for short business activities (one transaction or one email). */
export const shortActivity: ActivityOptions = {
  startToCloseTimeout: '30s',
  retry: standardRetry,
  // When a process is cancelled from the Temporal UI, a running activity finishes (and commits)
  // before the compensations decide what to undo.
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
};
