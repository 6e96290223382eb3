import { z } from 'zod';
import { plainText } from '../validation';
import { pageQuery } from '../pagination';

export const createCustomerBody = z
  .strictObject({
    legalName: plainText(200),
    siren: z
      .string()
      .regex(/^\d{9}$/, 'SIREN is 9 digits')
      .optional(),
    siret: z
      .string()
      .regex(/^\d{14}$/, 'SIRET is 14 digits')
      .optional(),
    vatNumber: z
      .string()
      .regex(/^[A-Z]{2}[0-9A-Z]{2,13}$/, 'VAT number like FR32123456789')
      .optional(),
    billingEmail: z.string().email().max(254),
    addressLine: plainText(200),
    postalCode: plainText(20),
    city: plainText(100),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'ISO country code')
      .default('FR'),
    isBusiness: z.boolean().default(true),
    paymentTermsDays: z.number().int().min(0).max(120).default(30),
    creditLimitCents: z.number().int().min(0).max(2_000_000_000).default(0),
    locale: z
      .string()
      .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'language tag such as fr-FR')
      .default('fr-FR'),
    interventionBilling: z.enum(['per_intervention', 'monthly']).default('per_intervention'),
  })
  .meta({
    description:
      'A customer. Business customers carry their SIREN/SIRET and intracommunity VAT number (printed on invoices); amounts are in euro cents.',
    example: {
      legalName: 'Boulangerie Martin SARL',
      siren: '552100554',
      siret: '55210055400013',
      vatNumber: 'FR40552100554',
      billingEmail: 'compta@boulangerie-martin.example',
      addressLine: '3 place du Marché',
      postalCode: '38000',
      city: 'Grenoble',
      country: 'FR',
      isBusiness: true,
      paymentTermsDays: 30,
      creditLimitCents: 5_000_000,
      locale: 'fr-FR',
      interventionBilling: 'per_intervention',
    },
  });

export const customerParams = z.object({ id: z.string().uuid() });
export const listCustomersQuery = pageQuery.extend({ q: plainText(100).optional() });
