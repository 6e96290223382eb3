import { z } from 'zod';

export const startSmokeBody = z.strictObject({
  email: z.string().email().max(254),
  message: z.string().min(1).max(500).default('Hello from the back office'),
});

export const confirmSmokeBody = z.strictObject({
  by: z.string().min(1).max(100),
});

export const smokeParams = z.object({ id: z.string().uuid() });
