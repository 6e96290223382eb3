import { z } from 'zod';
import { plainText } from '../validation';
import { pageQuery } from '../pagination';
import { sku } from '../products/validators';

const MAX_CENTS = 2_000_000_000; // the database stores cents as 32-bit integers

export const createOrderBody = z.strictObject({
  customerId: z.string().uuid(),
  warehouseCode: z.string().max(32).default('MAIN'),
  customerRef: plainText(100).optional(),
  lines: z
    .array(
      z.strictObject({
        sku,
        quantity: z.number().int().min(1).max(100_000),
        /** Overrides the catalogue price (negotiated price); defaults to the product's price. */
        unitPriceCents: z.number().int().min(0).max(MAX_CENTS).optional(),
      }),
    )
    .min(1)
    .max(500),
});

export const idempotencyKeyHeader = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
  .optional();

export const orderParams = z.object({ id: z.string().uuid() });

export const shipmentBody = z.strictObject({
  carrier: z.string().max(100).optional(),
  trackingNumber: z.string().max(100).optional(),
  shippedAt: z.iso.datetime({ offset: true }).optional(),
});

export const paymentBody = z.strictObject({
  reference: plainText(100),
  amountCents: z.number().int().min(1).max(MAX_CENTS),
  receivedOn: z.iso.date(),
  method: z.enum(['transfer', 'card', 'cheque', 'direct_debit', 'cash']).default('transfer'),
});

export const cancelBody = z.strictObject({
  reason: z.string().trim().min(3).max(500),
});

export const backorderBody = z.strictObject({
  decision: z.enum(['backorder', 'cancel']),
});

export const listOrdersQuery = pageQuery.extend({
  customerId: z.string().uuid().optional(),
  status: z
    .enum(['received', 'awaiting_credit_approval', 'awaiting_stock', 'awaiting_shipment', 'invoiced', 'paid', 'rejected', 'cancelled'])
    .optional(),
});

export { MAX_CENTS };
