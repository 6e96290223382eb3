import type { Db } from '../infra/db';
import { faultPoint } from '../infra/faults';
import type { ShipmentConfirmation, Shortage } from '../workflows/order-to-cash.definitions';
import type { ActivityDeps } from './deps';

type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

/** Thrown inside the reservation transaction to roll it back when a product is short. */
class ShortOfStock extends Error {
  constructor(readonly shortages: Shortage[]) {
    super('short of stock');
  }
}

/** Stocked quantities of an order, one entry per product. */
async function stockedQuantities(tx: Tx, orderId: string) {
  const order = await tx.order.findUniqueOrThrow({ where: { id: orderId }, include: { lines: { include: { product: true } } } });
  const byProduct = new Map<string, { productId: string; sku: string; quantity: number }>();
  for (const line of order.lines.filter((l) => l.stocked)) {
    const entry = byProduct.get(line.productId) ?? { productId: line.productId, sku: line.product.sku, quantity: 0 };
    entry.quantity += line.quantity;
    byProduct.set(line.productId, entry);
  }
  return { warehouseId: order.warehouseId, items: [...byProduct.values()] };
}

/** Adds received goods to a warehouse (API: stock receipts), once per reference. */
export async function receiveStock(
  prisma: Db,
  { productId, warehouseId, quantity, reference }: { productId: string; warehouseId: string; quantity: number; reference: string },
): Promise<{ applied: boolean }> {
  return prisma.$transaction(async (tx) => {
    // One delivery note may bring several products, and the same note into several warehouses.
    const key = `receipt:${reference}:${productId}:${warehouseId}`;
    if (await tx.stockMovement.findUnique({ where: { idempotencyKey: key } })) return { applied: false };
    await tx.stockMovement.create({ data: { idempotencyKey: key, productId, warehouseId, kind: 'receipt', onHandDelta: quantity } });
    await tx.stockLevel.upsert({
      where: { productId_warehouseId: { productId, warehouseId } },
      create: { productId, warehouseId, onHand: quantity },
      update: { onHand: { increment: quantity } },
    });
    return { applied: true };
  });
}

/** Stock activities: reservation, release and shipment, each one transaction written to the movement ledger. */
export function createStockActivities({ prisma }: ActivityDeps) {
  return {
    /** Reserves every stocked line or nothing; a retry finds the movements already written. */
    async reserveStock({
      orderId,
      key,
    }: {
      orderId: string;
      key: string;
    }): Promise<{ reserved: true } | { reserved: false; shortages: Shortage[] }> {
      try {
        const result = await prisma.$transaction(async (tx) => {
          const { warehouseId, items } = await stockedQuantities(tx, orderId);
          if (items.length && (await tx.stockMovement.count({ where: { idempotencyKey: { startsWith: `${key}:` } } })) > 0) {
            return { reserved: true as const };
          }
          const shortages: Shortage[] = [];
          for (const item of items) {
            // Conditional update: the row lock makes concurrent reservations queue, never oversell.
            const updated = await tx.$executeRaw`
              UPDATE "StockLevel" SET reserved = reserved + ${item.quantity}
              WHERE "productId" = ${item.productId} AND "warehouseId" = ${warehouseId} AND "onHand" - reserved >= ${item.quantity}`;
            if (updated === 1) continue;
            const level = await tx.stockLevel.findUnique({ where: { productId_warehouseId: { productId: item.productId, warehouseId } } });
            shortages.push({ sku: item.sku, requested: item.quantity, available: level ? level.onHand - level.reserved : 0 });
          }
          if (shortages.length) throw new ShortOfStock(shortages);
          await tx.stockMovement.createMany({
            data: items.map((item) => ({
              idempotencyKey: `${key}:${item.productId}`,
              productId: item.productId,
              warehouseId,
              kind: 'reservation' as const,
              reservedDelta: item.quantity,
              orderId,
            })),
          });
          await tx.order.update({ where: { id: orderId }, data: { status: 'awaiting_shipment', statusReason: null } });
          return { reserved: true as const };
        });
        faultPoint('reserveStock:committed'); // reliability run: committed, not yet returned
        return result;
      } catch (err) {
        if (err instanceof ShortOfStock) return { reserved: false, shortages: err.shortages };
        throw err;
      }
    },

    /** Gives back what the order reserved (cancellation before shipment). */
    async releaseStock({ orderId, key }: { orderId: string; key: string }): Promise<void> {
      await prisma.$transaction(async (tx) => {
        // Shipped goods are gone: nothing reserved is left to release.
        if (await tx.shipment.findUnique({ where: { orderId } })) return;
        const { warehouseId, items } = await stockedQuantities(tx, orderId);
        for (const item of items) {
          const done = await tx.stockMovement.findUnique({ where: { idempotencyKey: `${key}:${item.productId}` } });
          if (done) continue;
          await tx.stockMovement.create({
            data: {
              idempotencyKey: `${key}:${item.productId}`,
              productId: item.productId,
              warehouseId,
              kind: 'release',
              reservedDelta: -item.quantity,
              orderId,
            },
          });
          await tx.stockLevel.update({
            where: { productId_warehouseId: { productId: item.productId, warehouseId } },
            data: { reserved: { decrement: item.quantity } },
          });
        }
      });
    },

    /** Records the shipment and moves the reserved goods out of the warehouse. */
    async shipOrder({ orderId, key, shipment }: { orderId: string; key: string; shipment: ShipmentConfirmation }): Promise<void> {
      await prisma.$transaction(async (tx) => {
        if (await tx.shipment.findUnique({ where: { orderId } })) return;
        await tx.shipment.create({
          data: { orderId, carrier: shipment.carrier, trackingNumber: shipment.trackingNumber, shippedAt: new Date(shipment.shippedAt) },
        });
        const { warehouseId, items } = await stockedQuantities(tx, orderId);
        for (const item of items) {
          await tx.stockMovement.create({
            data: {
              idempotencyKey: `${key}:${item.productId}`,
              productId: item.productId,
              warehouseId,
              kind: 'shipment',
              onHandDelta: -item.quantity,
              reservedDelta: -item.quantity,
              orderId,
            },
          });
          await tx.stockLevel.update({
            where: { productId_warehouseId: { productId: item.productId, warehouseId } },
            data: { onHand: { decrement: item.quantity }, reserved: { decrement: item.quantity } },
          });
        }
      });
      faultPoint('shipOrder:committed'); // reliability run: committed, not yet returned
    },
  };
}
