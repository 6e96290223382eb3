// The benchmark's worker process: the product worker (createWorker, task queue TEMPORAL_TASK_QUEUE)
// and the W1 no-op worker (task queue `<queue>-noop`), from prebuilt bundles, with the tuning
// knobs of BENCH_KNOBS. Started and stopped by the driver over IPC, so its CPU and memory are its own.
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { loadConfig } from '../infra/config';
import { createPrisma } from '../infra/db';
import { createLogger } from '../infra/logger';
import { createMailer } from '../infra/mailer';
import { temporalConnectionOptions } from '../infra/temporal';
import { createWorker } from '../worker';
import { noopActivities } from './noop/activities';

/** What the driver may change between two runs of the worker. */
export interface Knobs {
  maxConcurrentWorkflowTaskExecutions?: number;
  maxConcurrentActivityTaskExecutions?: number;
  maxCachedWorkflows?: number;
  reuseV8Context?: boolean;
  prismaPoolSize?: number;
}

async function main(): Promise<void> {
  const knobs = JSON.parse(process.env.BENCH_KNOBS ?? '{}') as Knobs;
  const config = loadConfig();
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const logger = createLogger(config.LOG_LEVEL, 'bench-worker');
  const prisma = createPrisma(config.DATABASE_URL, knobs.prismaPoolSize ?? config.DATABASE_POOL_SIZE);
  const mailer = createMailer(config.SMTP_URL);
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  const clientConnection = await Connection.connect(temporalConnectionOptions(config));
  const temporal = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE });
  const { prismaPoolSize: _, ...workerKnobs } = knobs;
  const overrides: Partial<WorkerOptions> = workerKnobs;

  const product = await createWorker({
    config,
    connection,
    workflowBundlePath: process.env.BENCH_PRODUCT_BUNDLE,
    deps: { prisma, mailer, config, logger, temporal, now: () => new Date() },
    overrides,
  });
  const noop = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: `${config.TEMPORAL_TASK_QUEUE}-noop`,
    workflowBundle: { codePath: process.env.BENCH_NOOP_BUNDLE! },
    activities: noopActivities,
    ...overrides,
  });
  const running = Promise.all([product.run(), noop.run()]);
  const stop = () => {
    product.shutdown();
    noop.shutdown();
  };
  process.on('message', (m) => m === 'stop' && stop());
  process.on('SIGTERM', stop);
  process.send?.('ready');
  await running;
  await connection.close();
  await clientConnection.close();
  await prisma.$disconnect();
  mailer.close();
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
