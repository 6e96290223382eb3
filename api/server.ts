import { Connection } from '@temporalio/client';
import { loadConfig } from '../infra/config';
import { createPrisma } from '../infra/db';
import { createLogger } from '../infra/logger';
import { createClient, temporalConnectionOptions } from '../infra/temporal';
import { createApp } from './app';

/** Starts the HTTP API; stops cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL, 'api');
  const prisma = createPrisma(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
  // Lazy: the API starts (and /health can say 503) even while Temporal is still starting.
  const connection = Connection.lazy(temporalConnectionOptions(config));
  const temporal = createClient(connection, config.TEMPORAL_NAMESPACE);
  const app = createApp({ config, prisma, temporal, logger });
  const server = app.listen(config.API_PORT, () => logger.info({ port: config.API_PORT }, 'API listening'));
  const stop = () => {
    logger.info('API stopping');
    server.close(async () => {
      await connection.close();
      await prisma.$disconnect();
      process.exit(0);
    });
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
