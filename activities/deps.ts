import type { Client } from '@temporalio/client';
import type { Config } from '../infra/config';
import type { Db } from '../infra/db';
import type { Logger } from '../infra/logger';
import type { Mailer } from '../infra/mailer';

/** What every activity factory may use; built once in worker.ts. */
export interface ActivityDeps {
  prisma: Db;
  mailer: Mailer;
  config: Config;
  logger: Logger;
  /** To start processes from a batch (a billing run's collections) without growing the caller's history. */
  temporal: Client;
  /** The clock, so tests can pin dates; defaults to the system clock. */
  now: () => Date;
}
