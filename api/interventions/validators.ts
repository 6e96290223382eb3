import { z } from 'zod';
import { pageQuery } from '../pagination';
import { sku } from '../products/validators';
import { multilineText, plainText } from '../validation';

const skill = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'lowercase letters, digits, dash, underscore');
const parts = z.array(z.strictObject({ sku, quantity: z.number().int().min(1).max(1000) })).max(50);
const minutes = z
  .number()
  .int()
  .min(0)
  .max(24 * 60);
const technicianId = z.string().uuid();

export const createTechnicianBody = z.strictObject({
  name: plainText(100),
  email: z.string().email().max(254),
  skills: z.array(skill).max(30).default([]),
  sector: plainText(50),
  agency: plainText(100).optional(),
  workingDays: z.array(z.number().int().min(1).max(7)).min(1).max(7).default([1, 2, 3, 4, 5]),
  workStart: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM')
    .default('08:00'),
  workEnd: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM')
    .default('17:00'),
  timeZone: z.string().max(50).default('Europe/Paris'),
  hourlyCostCents: z.number().int().min(0).max(100_000).default(4500),
});

export const createSiteBody = z.strictObject({
  customerId: z.string().uuid(),
  name: plainText(200),
  addressLine: plainText(200),
  postalCode: plainText(20),
  city: plainText(100),
  sector: plainText(50),
});

export const createInterventionBody = z.strictObject({
  siteId: z.string().uuid(),
  type: z.enum(['breakdown', 'installation', 'preventive_visit', 'inspection']),
  priority: z.enum(['critical', 'high', 'normal', 'low']).default('normal'),
  description: multilineText(2000),
  requiredSkills: z.array(skill).max(10).default([]),
  durationMinutes: z
    .number()
    .int()
    .min(15)
    .max(8 * 60)
    .default(60),
  equipmentId: z.string().uuid().optional(),
  /** Set when a contract or a warranty covers the job: it will not be charged. */
  coverage: z.strictObject({ kind: z.enum(['contract', 'warranty']), reference: plainText(100) }).optional(),
});

export const idParams = z.object({ id: z.string().uuid() });
export const technicianBody = z.strictObject({ technicianId });
export const declineBody = z.strictObject({ technicianId, reason: plainText(500) });
export const checkInBody = z.strictObject({ technicianId, at: z.iso.datetime({ offset: true }).optional() });
export const reportBody = z.strictObject({
  workDone: multilineText(5000),
  labourMinutes: minutes,
  travelMinutes: minutes,
  parts: parts.default([]),
});
export const partsRequestBody = z.strictObject({ parts: parts.min(1), note: plainText(500).optional() });
export const completeBody = z.strictObject({ signedBy: plainText(100), at: z.iso.datetime({ offset: true }).optional() });
export const assignBody = z.strictObject({ technicianId, start: z.iso.datetime({ offset: true }) });
export const cancelBody = z.strictObject({ reason: plainText(500) });
export const scheduleQuery = z.object({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) });
export const boardQuery = pageQuery.extend({ technicianId: z.string().uuid().optional() });
export const billingRunBody = z.strictObject({ period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM') });
export const periodParams = z.object({ period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM') });
