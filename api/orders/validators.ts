import { z } from 'zod';
import { plainText, warehouseCode } from '../validation';
import { pageQuery } from '../pagination';
import { sku } from '../products/validators';

const MAX_CENTS = 2_000_000_000; // the database stores cents as 32-bit integers

export const createOrderBody = z
  .strictObject({
    customerId: z.string().uuid(),
    warehouseCode: warehouseCode.default('MAIN'),
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
  })
  .meta({
    description: 'An order from the catalogue; prices default to the catalogue price. Starts the orderToCash process.',
    example: {
      customerId: '3f2c8a4e-6b1d-4c9a-9e2f-7a5b1c0d8e41',
      warehouseCode: 'MAIN',
      customerRef: 'BC-2026-0412',
      lines: [
        { sku: 'PAC-8KW', quantity: 1 },
        { sku: 'MES', quantity: 1, unitPriceCents: 15_000 },
      ],
    },
  });

export const idempotencyKeyHeader = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
  .optional()
  .meta({
    description: 'A key you choose per request (e.g. your purchase order number): a retry with the same key answers the first result.',
    example: 'po-4711',
  });

export const orderParams = z.object({ id: z.string().uuid() });

export const shipmentBody = z
  .strictObject({
    carrier: plainText(100).optional(),
    trackingNumber: plainText(100).optional(),
    shippedAt: z.iso.datetime({ offset: true }).optional(),
  })
  .meta({
    description: 'Shipment confirmation; `shippedAt` defaults to now.',
    example: { carrier: 'Geodis', trackingNumber: 'GD123456789FR', shippedAt: '2026-11-14T09:30:00+01:00' },
  });

export const paymentBody = z
  .strictObject({
    reference: plainText(100),
    amountCents: z.number().int().min(1).max(MAX_CENTS),
    receivedOn: z.iso.date(),
    method: z.enum(['transfer', 'card', 'cheque', 'direct_debit', 'cash']).default('transfer'),
  })
  .meta({
    description: 'A payment notice (partial payments allowed; the same reference is applied once). Amount in euro cents.',
    example: { reference: 'VIR-2026-11-0042', amountCents: 200_000, receivedOn: '2026-11-22', method: 'transfer' },
  });

export const cancelBody = z
  .strictObject({
    reason: plainText(500),
  })
  .meta({ description: 'Why the order is cancelled.', example: { reason: 'Commande passée en double par le client' } });

export const backorderBody = z
  .strictObject({
    decision: z.enum(['backorder', 'cancel']),
  })
  .meta({
    description: '`backorder`: wait for stock without limit; `cancel`: cancel the order short of stock.',
    example: { decision: 'backorder' },
  });

export const listOrdersQuery = pageQuery.extend({
  customerId: z.string().uuid().optional(),
  status: z
    .enum(['received', 'awaiting_credit_approval', 'awaiting_stock', 'awaiting_shipment', 'invoiced', 'paid', 'rejected', 'cancelled'])
    .optional(),
});

export { MAX_CENTS };
