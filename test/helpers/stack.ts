import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { createApp } from '../../api/app';
import { createApiKey, type Role } from '../../api/auth';
import { loadConfig, type Config } from '../../infra/config';
import { createPrisma, type Db } from '../../infra/db';
import { createLogger } from '../../infra/logger';
import { createMailer } from '../../infra/mailer';
import { createClient, temporalConnectionOptions } from '../../infra/temporal';
import { createWorker } from '../../worker';
import { workflowBundlePath } from './global-setup';
import { SmtpReceiver } from './smtp';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/**
 * The real system for one test file: the worker (own task queue) against the test run's Temporal
 * dev server and database, the API on a random port, and a real SMTP receiver.
 */
export interface Stack {
  config: Config;
  prisma: Db;
  temporal: Client;
  mail: SmtpReceiver;
  baseUrl: string;
  adminKey: string;
  /** A key of the role (a technician's own key when `technicianId` is given). */
  keyFor(role: Role, technicianId?: string): Promise<string>;
  api<T = any>(
    method: string,
    path: string,
    body?: unknown,
    opts?: { key?: string | null; headers?: Record<string, string> },
  ): Promise<ApiResponse<T>>;
  stop(): Promise<void>;
}

// Worker lifecycle chatter off in tests; warnings and errors still show.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  /* already installed in this jest worker */
}

export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const mail = new SmtpReceiver();
  const smtpPort = await mail.start();
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const config = loadConfig({
    ...process.env,
    TEMPORAL_TASK_QUEUE: `test-${randomUUID()}`,
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    PUBLIC_URL: baseUrl,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...env,
  });
  const logger = createLogger(config.LOG_LEVEL, 'test');
  const prisma = createPrisma(config.DATABASE_URL, 5);
  const mailer = createMailer(config.SMTP_URL);

  const connection = await Connection.connect(temporalConnectionOptions(config));
  const temporal = createClient(connection, config.TEMPORAL_NAMESPACE);
  const nativeConnection = await NativeConnection.connect(temporalConnectionOptions(config));
  const worker: Worker = await createWorker({
    config,
    connection: nativeConnection,
    workflowBundlePath,
    deps: { prisma, mailer, config, logger, temporal, now: () => new Date() },
  });
  const running = worker.run();

  server.on('request', createApp({ config, prisma, temporal, logger }));

  const adminKey = await createApiKey(prisma, 'test admin', 'admin');

  const api: Stack['api'] = async (method, path, body, opts = {}) => {
    const key = opts.key === undefined ? adminKey : opts.key;
    const res = await fetch(baseUrl + path, {
      method,
      redirect: 'manual',
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...opts.headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, headers: res.headers, body: parsed as any, text };
  };

  return {
    config,
    prisma,
    temporal,
    mail,
    baseUrl,
    adminKey,
    keyFor: (role, technicianId) => createApiKey(prisma, `test ${role}`, role, technicianId),
    api,
    async stop() {
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      mailer.close();
      await mail.stop();
      await prisma.$disconnect();
    },
  };
}
