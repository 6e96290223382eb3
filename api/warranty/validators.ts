import { z } from 'zod';
import { pageQuery } from '../pagination';
import { sku } from '../products/validators';
import { parts, skill } from '../interventions/validators';
import { isoDay, multilineText, plainText, serial } from '../validation';

const cause = z.enum(['normal_use', 'misuse', 'external_cause']);
const MAX_CENTS = 2_000_000_000;

export const createSupplierBody = z
  .strictObject({
    name: plainText(200),
    claimsEmail: z.string().email().max(254),
    vatNumber: plainText(20).optional(),
    addressLine: plainText(200).optional(),
    postalCode: plainText(20).optional(),
    city: plainText(100).optional(),
  })
  .meta({
    description: 'A supplier of equipment or parts; warranty claims go to its claims address.',
    example: {
      name: 'Thermatec Distribution',
      claimsEmail: 'garantie@thermatec.example',
      vatNumber: 'FR40303265045',
      addressLine: '8 rue de l’Industrie',
      postalCode: '69200',
      city: 'Vénissieux',
    },
  });

export const registerEquipmentBody = z
  .strictObject({
    serialNumber: serial,
    model: plainText(200),
    sku: sku.optional().meta({ description: 'The catalogue product of the model (its warranty months apply by default).' }),
    customerId: z.string().uuid(),
    siteId: z.string().uuid(),
    supplierId: z.string().uuid().optional(),
    installedOn: isoDay,
    manufacturerWarrantyEnd: isoDay
      .optional()
      .meta({ description: 'Last day covered; default: installation + the model’s warranty months.' }),
    supplierWarrantyEnd: isoDay
      .optional()
      .meta({ description: 'Last day the supplier owes warranty work back; default: the manufacturer end.' }),
    extendedWarrantyEnd: isoDay.optional().meta({ description: 'Last day of an extended warranty bought by the customer.' }),
    configuration: z
      .array(z.strictObject({ label: plainText(200), sku: sku.optional(), serial: serial.optional() }))
      .max(200)
      .default([])
      .meta({ description: 'The components as sold (and, to begin with, as maintained).' }),
  })
  .meta({
    description: 'An equipment of the installed base, identified by its serial number, at a customer site.',
    example: {
      serialNumber: 'PAC8-2026-004512',
      model: 'Pompe à chaleur air-eau 8 kW',
      sku: 'PAC-8KW',
      customerId: '3f2c8a4e-6b1d-4c9a-9e2f-7a5b1c0d8e41',
      siteId: 'b6e1d2c3-4a5f-4b6c-8d7e-9f0a1b2c3d4e',
      supplierId: '5a1f0c3e-2b4d-4e6f-8a9b-0c1d2e3f4a5b',
      installedOn: '2026-03-12',
      extendedWarrantyEnd: '2031-03-11',
      configuration: [
        { label: 'Module hydraulique', sku: 'MOD-HYD-8', serial: 'MH-88213' },
        { label: 'Carte électronique', sku: 'CARTE-PAC', serial: 'CE-55120' },
      ],
    },
  });

export const listEquipmentQuery = pageQuery.extend({
  customerId: z.string().uuid().optional(),
  siteId: z.string().uuid().optional(),
  serialNumber: serial.optional(),
});
export const serialParams = z.object({ serial });

const estimate = z
  .strictObject({
    labourMinutes: z
      .number()
      .int()
      .min(0)
      .max(8 * 60),
    travelMinutes: z
      .number()
      .int()
      .min(0)
      .max(8 * 60)
      .default(30),
    parts: parts.default([]),
  })
  .meta({ description: 'The work the repair is expected to take: priced for the coverage decision and the quote.' });

export const createClaimBody = z
  .strictObject({
    serialNumber: serial,
    customerId: z.string().uuid(),
    fault: multilineText(2000),
    faultOn: isoDay.optional().meta({ description: 'The day the fault appeared (coverage is judged on it); default: today.' }),
    cause: cause.default('normal_use'),
    requiredSkills: z.array(skill).max(10).default([]),
    inspection: z.boolean().default(false).meta({ description: 'The fault must be seen first: an inspection job is dispatched.' }),
    estimate: estimate.optional(),
    priorInterventionId: z
      .string()
      .uuid()
      .optional()
      .meta({ description: 'The job already done and invoiced on this equipment that the claim is about: what is covered is credited.' }),
  })
  .refine((c) => [c.inspection, c.estimate !== undefined, c.priorInterventionId !== undefined].filter(Boolean).length === 1, {
    message: 'give exactly one of: an estimate, inspection: true, or the priorInterventionId of the job already invoiced',
    path: ['estimate'],
  })
  .meta({
    description: 'A warranty claim on an equipment of the customer; starts its warrantyClaim process.',
    example: {
      serialNumber: 'PAC8-2026-004512',
      customerId: '3f2c8a4e-6b1d-4c9a-9e2f-7a5b1c0d8e41',
      fault: 'La pompe à chaleur se met en défaut E04 (haute pression) plusieurs fois par jour.',
      faultOn: '2026-11-20',
      cause: 'normal_use',
      requiredSkills: ['heat_pump'],
      estimate: { labourMinutes: 90, travelMinutes: 30, parts: [{ sku: 'CARTE-PAC', quantity: 1 }] },
    },
  });

export const listClaimsQuery = pageQuery.extend({
  status: z
    .enum([
      'intake',
      'awaiting_inspection',
      'assessing',
      'awaiting_decision',
      'awaiting_approval',
      'awaiting_customer',
      'repairing',
      'settling',
      'awaiting_supplier',
      'closed',
    ])
    .optional(),
  customerId: z.string().uuid().optional(),
  serialNumber: serial.optional(),
  supplierRecoveryPending: z
    .enum(['true', 'false'])
    .optional()
    .meta({ description: '`true`: only claims whose supplier claim still awaits an answer.' }),
});

export const inspectionReportBody = z
  .strictObject({ technicianId: z.string().uuid(), cause, findings: multilineText(2000), estimate })
  .meta({
    description: "The inspecting technician's diagnosis: cause of the fault, findings and the work the repair needs.",
    example: {
      technicianId: '8d0b7c52-1f3e-4a6b-9c2d-5e7f8a9b0c13',
      cause: 'normal_use',
      findings: 'Pressostat HP défaillant, pas de trace de choc ni de défaut d’installation.',
      estimate: { labourMinutes: 60, travelMinutes: 30, parts: [{ sku: 'PRESSO-HP', quantity: 1 }] },
    },
  });

export const claimDecisionBody = z.strictObject({ decision: z.enum(['as_proposed', 'goodwill']), reason: plainText(500) }).meta({
  description:
    'Before a quote goes out: keep the coverage of the rules (the quote leaves now), or grant goodwill for what is not covered (the warranty manager approves it).',
  example: { decision: 'goodwill', reason: 'Client fidèle depuis 12 ans, panne survenue 3 semaines après la fin de garantie' },
});

export const supplierAnswerBody = z
  .strictObject({
    outcome: z.enum(['accepted', 'partially_accepted', 'rejected']),
    acceptedCents: z
      .number()
      .int()
      .min(1)
      .max(MAX_CENTS)
      .optional()
      .meta({ description: 'HT the supplier pays: required when partially accepted, absent otherwise.' }),
    reference: plainText(100),
    reason: plainText(500).optional(),
  })
  .refine((a) => (a.outcome === 'partially_accepted') === (a.acceptedCents !== undefined), {
    message: 'acceptedCents is required when partially accepted, and only then',
    path: ['acceptedCents'],
  })
  .meta({
    description: "The supplier's answer to our warranty claim, with its reference.",
    example: {
      outcome: 'partially_accepted',
      acceptedCents: 18_000,
      reference: 'THX-AV-2026-0931',
      reason: 'Main-d’œuvre au forfait constructeur',
    },
  });
