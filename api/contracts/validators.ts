import { z } from 'zod';
import { pageQuery } from '../pagination';
import { isoDay, multilineText, plainText, serial } from '../validation';

const skill = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'lowercase letters, digits, dash, underscore');
const yearlyPrice = z.number().int().min(1).max(1_000_000_000);
const vatRateBp = z.union([z.literal(2000), z.literal(1000), z.literal(550), z.literal(210), z.literal(0)]);
const hours = z
  .number()
  .int()
  .min(1)
  .max(24 * 30);
const siteIds = z
  .array(z.string().uuid())
  .max(200)
  .refine((ids) => new Set(ids).size === ids.length, 'each site once');
const planItem = z.strictObject({
  siteId: z.string().uuid(),
  label: plainText(200),
  visitsPerYear: z.number().int().min(1).max(52),
  skills: z.array(skill).max(10).default([]),
  durationMinutes: z
    .number()
    .int()
    .min(15)
    .max(8 * 60)
    .default(60),
  equipment: serial.optional(),
});
const plan = z.array(planItem).max(200);
const equipment = z.array(serial).max(500);

export const createContractBody = z
  .strictObject({
    customerId: z.string().uuid(),
    title: plainText(200),
    accountManagerEmail: z.string().email().max(254),
    termStart: isoDay,
    termMonths: z.number().int().min(1).max(60).default(12),
    priceCents: yearlyPrice.meta({ description: 'Yearly price HT in cents; the billing rhythm spreads it.' }),
    vatRateBp: vatRateBp.default(2000),
    billingRhythm: z.enum(['monthly', 'quarterly', 'yearly', 'per_intervention']),
    billingTiming: z.enum(['in_advance', 'in_arrears']).default('in_advance'),
    tacitRenewal: z.boolean().default(true),
    noticeDays: z.number().int().min(0).max(365).default(60),
    renewal: z
      .discriminatedUnion('rule', [
        z.strictObject({ rule: z.literal('uplift'), upliftBp: z.number().int().min(0).max(5000) }),
        z.strictObject({ rule: z.literal('index'), index: plainText(50) }),
      ])
      .default({ rule: 'uplift', upliftBp: 0 }),
    slaHours: z.strictObject({ critical: hours, high: hours, normal: hours, low: hours }).optional(),
    siteIds: siteIds.min(1),
    equipment: equipment.default([]),
    supplierRejection: z.enum(['absorb', 'reinvoice']).optional().meta({
      description:
        'When a supplier refuses a warranty claim on covered equipment: we absorb the cost, or re-invoice the customer (default: the SUPPLIER_REJECTION_DEFAULT setting).',
    }),
    plan: plan.default([]),
  })
  .refine((c) => c.plan.every((p) => c.siteIds.includes(p.siteId)), {
    message: 'every plan item must be on a covered site',
    path: ['plan'],
  })
  .meta({
    description:
      'A service contract; starts its serviceContract process (visits, renewal). Terms run from termStart for termMonths; the price is yearly HT.',
    example: {
      customerId: '3f2c8a4e-6b1d-4c9a-9e2f-7a5b1c0d8e41',
      title: 'Entretien chaufferie - formule Sérénité',
      accountManagerEmail: 'claire.morel@thermiservices.example',
      termStart: '2027-01-01',
      termMonths: 12,
      priceCents: 240_000,
      vatRateBp: 2000,
      billingRhythm: 'monthly',
      billingTiming: 'in_advance',
      tacitRenewal: true,
      noticeDays: 60,
      renewal: { rule: 'uplift', upliftBp: 300 },
      slaHours: { critical: 4, high: 8, normal: 24, low: 72 },
      siteIds: ['b6e1d2c3-4a5f-4b6c-8d7e-9f0a1b2c3d4e'],
      equipment: ['VIE-2291-0042'],
      plan: [
        {
          siteId: 'b6e1d2c3-4a5f-4b6c-8d7e-9f0a1b2c3d4e',
          label: 'Entretien annuel chaudière',
          visitsPerYear: 2,
          skills: ['heating'],
          durationMinutes: 90,
          equipment: 'VIE-2291-0042',
        },
      ],
    },
  });

export const amendContractBody = z
  .strictObject({
    effectiveFrom: isoDay,
    priceCents: yearlyPrice.optional(),
    siteIds: siteIds.min(1).optional(),
    equipment: equipment.optional(),
    plan: plan.optional(),
    reason: plainText(500),
  })
  .refine((a) => a.priceCents !== undefined || a.siteIds || a.equipment || a.plan, {
    message: 'give at least one change: priceCents, siteIds, equipment or plan',
    path: ['priceCents'],
  })
  .meta({
    description: 'An amendment (avenant) from a day of the current term: the difference is prorated on the next invoice.',
    example: { effectiveFrom: '2027-03-15', priceCents: 300_000, reason: 'Ajout de la pompe à chaleur du bâtiment B' },
  });

export const terminateContractBody = z
  .strictObject({
    by: z.enum(['customer', 'company']),
    reason: multilineText(1000),
    effectiveDate: isoDay.optional(),
  })
  .meta({
    description:
      'Notice of termination by either side: the contract ends after its notice period (or later on request), at the latest with its term.',
    example: { by: 'customer', reason: 'Déménagement du siège', effectiveDate: '2027-06-30' },
  });

export const renewalDecisionBody = z
  .strictObject({ decision: z.enum(['accepted', 'refused']), comment: multilineText(1000).optional() })
  .meta({
    description: "The customer's answer to the renewal proposal, when it comes by phone or letter instead of the emailed link.",
    example: { decision: 'accepted', comment: 'Accord du client par téléphone le 12/10' },
  });

export const listContractsQuery = pageQuery.extend({
  customerId: z.string().uuid().optional(),
  status: z.enum(['active', 'ending', 'terminated']).optional(),
  expiringWithinDays: z.coerce.number().int().min(0).max(3650).optional(),
});

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');
export const billingRunBody = z
  .strictObject({ period: month })
  .meta({ description: 'The month whose contract invoices are drafted, approved, issued and sent.', example: { period: '2027-01' } });
export const billingPeriodParams = z.object({ period: month });

export const priceIndexBody = z
  .strictObject({
    name: plainText(50),
    publishedOn: isoDay,
    value: z.number().positive().max(1_000_000).multipleOf(0.001),
  })
  .meta({
    description: 'A published value of a price index (Syntec, ICHT-IME...), for indexed renewals.',
    example: { name: 'SYNTEC', publishedOn: '2026-10-01', value: 299.4 },
  });
export const priceIndexParams = z.object({ name: plainText(50) });
