import { z } from 'zod';
import { pageQuery } from '../pagination';
import { sku } from '../products/validators';
import { multilineText, plainText, serial, timeZone } from '../validation';

export const skill = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'lowercase letters, digits, dash, underscore');
export const parts = z
  .array(z.strictObject({ sku, quantity: z.number().int().min(1).max(1000) }))
  .max(50)
  .refine((list) => new Set(list.map((p) => p.sku)).size === list.length, 'each SKU once (add up the quantities)');
const minutes = z
  .number()
  .int()
  .min(0)
  .max(24 * 60);
const technicianId = z.string().uuid();

export const createTechnicianBody = z
  .strictObject({
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
    timeZone: timeZone.default('Europe/Paris'),
    hourlyCostCents: z.number().int().min(0).max(100_000).default(4500),
  })
  .meta({
    description: 'A field technician; a van stock location is created with them. Skills and sector drive the automatic dispatch.',
    example: {
      name: 'Karim Benali',
      email: 'karim.benali@thermiservices.example',
      skills: ['heating', 'heat_pump'],
      sector: 'isere',
      agency: 'Agence Grenoble',
      workingDays: [1, 2, 3, 4, 5],
      workStart: '08:00',
      workEnd: '17:00',
      timeZone: 'Europe/Paris',
      hourlyCostCents: 4500,
    },
  });

export const createSiteBody = z
  .strictObject({
    customerId: z.string().uuid(),
    name: plainText(200),
    addressLine: plainText(200),
    postalCode: plainText(20),
    city: plainText(100),
    sector: plainText(50),
  })
  .meta({
    description: 'A customer site, with the sector the dispatch matches technicians on.',
    example: {
      customerId: '3f2c8a4e-6b1d-4c9a-9e2f-7a5b1c0d8e41',
      name: 'Boulangerie Martin - fournil',
      addressLine: '3 place du Marché',
      postalCode: '38000',
      city: 'Grenoble',
      sector: 'isere',
    },
  });

export const createInterventionBody = z
  .strictObject({
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
  })
  .meta({
    description: 'A field job on a site; starts the interventionDispatch process (SLA deadline, best technician, appointment).',
    example: {
      siteId: 'b6e1d2c3-4a5f-4b6c-8d7e-9f0a1b2c3d4e',
      type: 'breakdown',
      priority: 'high',
      description: "Plus de chauffage ni d'eau chaude depuis ce matin ; la chaudière affiche le code F28.",
      requiredSkills: ['heating'],
      durationMinutes: 90,
      coverage: { kind: 'contract', reference: 'CT-2026-017' },
    },
  });

export const idParams = z.object({ id: z.string().uuid() });
export const technicianBody = z
  .strictObject({ technicianId })
  .meta({ description: 'The technician acting on the job.', example: { technicianId: '8d0b7c52-1f3e-4a6b-9c2d-5e7f8a9b0c13' } });
export const declineBody = z.strictObject({ technicianId, reason: plainText(500) }).meta({
  description: 'The technician declines the job; the dispatch looks for someone else.',
  example: { technicianId: '8d0b7c52-1f3e-4a6b-9c2d-5e7f8a9b0c13', reason: 'Pas la qualification gaz requise pour cette chaudière' },
});
export const checkInBody = z.strictObject({ technicianId, at: z.iso.datetime({ offset: true }).optional() }).meta({
  description: 'Arrival on site (stops the SLA clock); `at` defaults to now.',
  example: { technicianId: '8d0b7c52-1f3e-4a6b-9c2d-5e7f8a9b0c13', at: '2026-11-14T10:05:00+01:00' },
});
export const reportBody = z
  .strictObject({
    workDone: multilineText(5000),
    labourMinutes: minutes,
    travelMinutes: minutes,
    parts: parts.default([]),
    replacements: z
      .array(z.strictObject({ sku, removedSerial: serial.optional(), installedSerial: serial }))
      .max(20)
      .optional()
      .meta({
        description:
          "Serialised units swapped, each among the parts used: a component, or the equipment itself when `removedSerial` is the equipment's serial (the old one is retired, the new one registered).",
      }),
  })
  .refine((r) => (r.replacements ?? []).every((x) => r.parts.some((p) => p.sku === x.sku)), {
    message: 'must include the SKU of every unit replaced (replacements)',
    path: ['parts'],
  })
  .refine((r) => new Set((r.replacements ?? []).map((x) => x.installedSerial)).size === (r.replacements ?? []).length, {
    message: 'each installed serial once',
    path: ['replacements'],
  })
  .meta({
    description: 'The field report: work done, time spent, parts used from the van and the serials of the units swapped.',
    example: {
      workDone: 'Vanne 3 voies remplacée, circuit purgé et remis en pression à 1,5 bar.\nChauffage et eau chaude rétablis.',
      labourMinutes: 60,
      travelMinutes: 20,
      parts: [{ sku: 'VANNE-3V', quantity: 1 }],
      replacements: [{ sku: 'VANNE-3V', removedSerial: 'V3V-2291-A', installedSerial: 'V3V-7730-C' }],
    },
  });
export const partsRequestBody = z.strictObject({ parts: parts.min(1), note: plainText(500).optional() }).meta({
  description: 'Parts the job needs that the van does not hold; the job waits for them.',
  example: { parts: [{ sku: 'CIRC-UPM3', quantity: 1 }], note: 'Circulateur grippé, à commander chez le grossiste' },
});
export const completeBody = z.strictObject({ signedBy: plainText(100), at: z.iso.datetime({ offset: true }).optional() }).meta({
  description: 'Customer sign-off; `at` defaults to now.',
  example: { signedBy: 'M. Martin', at: '2026-11-14T11:30:00+01:00' },
});
export const assignBody = z.strictObject({ technicianId, start: z.iso.datetime({ offset: true }) }).meta({
  description: "Manual assignment by the dispatcher: the appointment lasts the job's duration.",
  example: { technicianId: '8d0b7c52-1f3e-4a6b-9c2d-5e7f8a9b0c13', start: '2026-11-16T14:00:00+01:00' },
});
export const cancelBody = z
  .strictObject({ reason: plainText(500) })
  .meta({ description: 'Why the job is cancelled.', example: { reason: 'Le client a résolu la panne lui-même' } });
export const scheduleQuery = z.object({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) });
export const boardQuery = pageQuery.extend({ technicianId: z.string().uuid().optional() });
export const listSitesQuery = pageQuery.extend({ customerId: z.string().uuid().optional(), sector: plainText(50).optional() });
export const billingRunBody = z
  .strictObject({ period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM') })
  .meta({ description: 'The month whose field jobs of monthly-billed customers are invoiced.', example: { period: '2026-11' } });
export const periodParams = z.object({ period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM') });
