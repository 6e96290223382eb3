import { z } from 'zod';
import { plainText } from '../validation';

export const startSmokeBody = z
  .strictObject({
    email: z.string().email().max(254),
    message: plainText(500).default('Hello from the back office'),
  })
  .meta({
    description: 'Starts a smoke process: it emails the address, then waits for a confirmation.',
    example: { email: 'exploitation@thermiservices.example', message: 'Test de bout en bout après mise en production' },
  });

export const confirmSmokeBody = z
  .strictObject({
    by: plainText(100),
  })
  .meta({ description: 'Who confirms the smoke process.', example: { by: 'Claire Dubois' } });

export const smokeParams = z.object({ id: z.string().uuid() });
