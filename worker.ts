import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from './activities';
import { loadConfig, type Config } from './infra/config';
import { createPrisma } from './infra/db';
import { createLogger, type Logger } from './infra/logger';
import { createMailer } from './infra/mailer';
import { serveWorkerMetrics } from './infra/metrics';
import { ensureSchedules } from './infra/schedules';
import { temporalConnectionOptions } from './infra/temporal';

export interface WorkerSetup {
  config: Config;
  deps: ActivityDeps;
  connection: NativeConnection;
  /** Tests pass a prebuilt bundle (see test/helpers) instead of bundling per test file. */
  workflowBundlePath?: string;
  overrides?: Partial<WorkerOptions>;
}

/** The SDK's logger (worker lifecycle, workflow and activity context loggers, Core logs) writing JSON lines through pino. */
export function sdkLogger(logger: Logger): DefaultLogger {
  // The activity task token is long noise, and whoever holds it can complete the activity: not logged.
  return new DefaultLogger('TRACE', ({ level, message, meta: { taskToken: _, ...meta } = {} }) =>
    logger[level.toLowerCase() as Lowercase<LogLevel>](meta, message),
  );
}

/** Creates the worker that runs every workflow and activity of the back office on one task queue. */
export async function createWorker({ config, deps, connection, workflowBundlePath, overrides }: WorkerSetup): Promise<Worker> {
  return Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    ...(workflowBundlePath ? { workflowBundle: { codePath: workflowBundlePath } } : { workflowsPath: require.resolve('./workflows') }),
    activities: createActivities(deps),
    shutdownForceTime: config.WORKER_SHUTDOWN_FORCE_MS,
    ...overrides,
  });
}

/**
 * The composition root: builds the dependencies once and runs until SIGINT/SIGTERM. Exits non-zero with
 * a clear message when Temporal cannot be reached (a supervisor restarts it); the reliability run passes
 * a prebuilt bundle and worker option overrides (e.g. a small workflow cache).
 */
export async function main({ overrides, workflowBundlePath }: Pick<WorkerSetup, 'overrides' | 'workflowBundlePath'> = {}): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL, 'worker');
  Runtime.install({
    logger: sdkLogger(logger),
    telemetryOptions: {
      logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} },
      metrics: { prometheus: { bindAddress: `127.0.0.1:${config.SDK_METRICS_PORT}` } },
    },
  });
  const metricsServer = serveWorkerMetrics(config.WORKER_METRICS_PORT, `http://127.0.0.1:${config.SDK_METRICS_PORT}/metrics`);
  const prisma = createPrisma(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
  const mailer = createMailer(config.SMTP_URL);
  let connection: NativeConnection;
  let clientConnection: Connection;
  try {
    connection = await NativeConnection.connect(temporalConnectionOptions(config));
    clientConnection = await Connection.connect(temporalConnectionOptions(config));
  } catch (err) {
    logger.fatal({ err: (err as Error).message, address: config.TEMPORAL_ADDRESS }, 'cannot reach Temporal; is the server running?');
    process.exit(1);
  }
  const temporal = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE });
  await ensureSchedules(temporal, config);
  const worker = await createWorker({
    config,
    connection,
    deps: { prisma, mailer, config, logger, temporal, now: () => new Date() },
    workflowBundlePath,
    overrides,
  });
  logger.info(
    { taskQueue: config.TEMPORAL_TASK_QUEUE, namespace: config.TEMPORAL_NAMESPACE, metrics: `:${config.WORKER_METRICS_PORT}/metrics` },
    'worker started',
  );
  try {
    await worker.run();
  } finally {
    await connection.close();
    await clientConnection.close();
    await prisma.$disconnect();
    mailer.close();
    metricsServer.close();
    logger.info('worker stopped');
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
