import fs from 'node:fs';
import {
  Client,
  WorkflowExecutionAlreadyStartedError,
  type Connection,
  type ConnectionOptions,
  type QueryDefinition,
  type WorkflowClientInterceptor,
  type WorkflowHandle,
  type WorkflowStartOptions,
} from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NativeConnectionOptions } from '@temporalio/worker';
import type { Config } from './config';

/** Connection options shared by the client (API) and the worker: local dev server, a cluster with mTLS, or Temporal Cloud with an API key. */
export function temporalConnectionOptions(config: Config): ConnectionOptions & NativeConnectionOptions {
  const mtls =
    config.TEMPORAL_TLS_CERT_PATH && config.TEMPORAL_TLS_KEY_PATH
      ? {
          clientCertPair: {
            crt: fs.readFileSync(config.TEMPORAL_TLS_CERT_PATH),
            key: fs.readFileSync(config.TEMPORAL_TLS_KEY_PATH),
          },
        }
      : undefined;
  return {
    address: config.TEMPORAL_ADDRESS,
    tls: mtls ?? (config.TEMPORAL_API_KEY ? true : undefined),
    apiKey: config.TEMPORAL_API_KEY,
    metadata: config.TEMPORAL_API_KEY ? { 'temporal-namespace': config.TEMPORAL_NAMESPACE } : undefined,
  };
}

/**
 * Starts a process unless one with the same workflow id already exists (a retried request, a
 * period billed twice): returns whether this call started it.
 */
export async function startOnce(client: Client, workflowType: string, options: WorkflowStartOptions): Promise<boolean> {
  try {
    await client.workflow.start(workflowType, options);
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}

/**
 * The API's client: updates (a technician's check-in, an operator's cancel) are sent only once the
 * process has no workflow task pending, so the validator judges the state the caller just read.
 *
 * Why: with sdk-core 1.24, an update that arrives in the same workflow task as an activity result
 * or a fired timer is validated before that event is applied live, but after it on replay (see
 * test/replay/sdk-defect). A worker that rebuilt the process from its history (cache eviction,
 * restart) then answers queries past the event while the validator still sees the state before it:
 * in a 30-process experiment with a 2-workflow cache, 17 to 25 valid updates were refused; with this
 * wait, none. It narrows the window (an event can still land between the check and the update);
 * after `maxWaitMs` the update goes anyway.
 */
export function createClient(connection: Connection, namespace: string, { maxWaitMs = 5_000, pollMs = 25 } = {}): Client {
  const waitForIdle: WorkflowClientInterceptor = {
    async startUpdate(input, next) {
      const deadline = Date.now() + maxWaitMs;
      while (Date.now() < deadline) {
        const described = await connection.workflowService
          .describeWorkflowExecution({ namespace, execution: { workflowId: input.workflowExecution.workflowId } })
          .catch(() => undefined); // not found, or the server is away: the update itself says so
        if (!described?.pendingWorkflowTask) break;
        await sleep(pollMs);
      }
      return next(input);
    },
  };
  return new Client({ connection, namespace, interceptors: { workflow: [waitForIdle] } });
}

/**
 * What a process says about itself: its status query while it runs, its result once completed (every
 * process returns its final status), or null when it cannot say (failed, terminated, not found,
 * Temporal away). A finished process is read without a worker replaying its history.
 */
export async function processStatus<T>(handle: WorkflowHandle, query: QueryDefinition<T>): Promise<T | null> {
  try {
    const { status } = await handle.describe();
    if (status.name === 'COMPLETED') return (await handle.result()) as T;
    return status.name === 'RUNNING' ? await handle.query(query) : null;
  } catch {
    return null;
  }
}
