import type { SmokeInput } from '../workflows/smoke.definitions';
import type { ActivityDeps } from './deps';

/** Activities of the smoke process. */
export function createSmokeActivities({ prisma, now }: ActivityDeps) {
  return {
    /** Writes the smoke run row (idempotent on its id). */
    async recordSmokeRun(input: SmokeInput): Promise<void> {
      await prisma.smokeRun.upsert({
        where: { id: input.id },
        create: { id: input.id, email: input.email, message: input.message },
        update: {},
      });
    },
    /** Marks the smoke run confirmed. */
    async confirmSmokeRun(id: string): Promise<void> {
      await prisma.smokeRun.update({ where: { id }, data: { confirmedAt: now() } });
    },
  };
}
