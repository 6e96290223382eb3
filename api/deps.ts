import type { Client } from '@temporalio/client';
import type { Config } from '../infra/config';
import type { Db } from '../infra/db';
import type { Logger } from '../infra/logger';

/** What the routers use; built in api/server.ts (or by a test). */
export interface ApiDeps {
  config: Config;
  prisma: Db;
  temporal: Client;
  logger: Logger;
}
