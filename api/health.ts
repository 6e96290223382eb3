import type { RequestHandler } from 'express';
import type { ApiDeps } from './deps';

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

/** GET /health: 200 when Temporal and the database answer, 503 naming what does not. */
export function health({ prisma, temporal }: ApiDeps): RequestHandler {
  return async (_req, res) => {
    const [database, temporalOk] = await Promise.all([
      withTimeout(prisma.$queryRaw`SELECT 1`, 2000).then(
        () => true,
        () => false,
      ),
      withTimeout(temporal.workflowService.getSystemInfo({}), 2000).then(
        () => true,
        () => false,
      ),
    ]);
    const checks = { database: database ? 'up' : 'down', temporal: temporalOk ? 'up' : 'down' };
    res.status(database && temporalOk ? 200 : 503).json({ status: database && temporalOk ? 'ok' : 'degraded', checks });
  };
}
