import { z } from 'zod';
import { plainText, warehouseCode } from '../validation';
import { FRENCH_VAT_RATES_BP } from '../../domain/money';
import { pageQuery } from '../pagination';

export const sku = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash, underscore (max 64)');

export const createProductBody = z
  .strictObject({
    sku,
    name: plainText(200),
    unitPriceCents: z.number().int().min(0).max(100_000_000),
    vatRateBp: z
      .number()
      .int()
      .refine(
        (r) => (FRENCH_VAT_RATES_BP as readonly number[]).includes(r),
        `VAT rate in basis points, one of ${FRENCH_VAT_RATES_BP.join(', ')}`,
      ),
    stocked: z.boolean().default(true),
    purchaseCostCents: z.number().int().min(0).max(100_000_000).optional().meta({
      description: 'What a unit costs us HT: the cost of warranty work and of supplier claims (the selling price when absent).',
    }),
    warrantyMonths: z.number().int().min(0).max(240).optional().meta({
      description: 'Manufacturer warranty of a unit of this model; equipment registered or installed as a replacement gets it.',
    }),
    wearPart: z.boolean().default(false).meta({ description: 'A wear part (filter, gasket...): no warranty covers it.' }),
  })
  .meta({
    description: 'A catalogue entry: a stocked product, or a service (`stocked: false`). Prices are HT in euro cents, VAT in basis points.',
    example: {
      sku: 'PAC-8KW',
      name: 'Pompe à chaleur air-eau 8 kW',
      unitPriceCents: 450_000,
      vatRateBp: 550,
      stocked: true,
      purchaseCostCents: 310_000,
      warrantyMonths: 24,
      wearPart: false,
    },
  });

export const productParams = z.object({ id: z.string().uuid() });
export const listProductsQuery = pageQuery;

export const stockReceiptBody = z
  .strictObject({
    sku,
    warehouseCode: warehouseCode.default('MAIN'),
    quantity: z.number().int().min(1).max(1_000_000),
    reference: plainText(100),
  })
  .meta({
    description: 'Goods received into a warehouse (or a van: its code). Applied once per reference.',
    example: { sku: 'PAC-8KW', warehouseCode: 'MAIN', quantity: 10, reference: 'BL-2026-001' },
  });
