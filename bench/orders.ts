// W1 and W2 as the driver runs them: a no-op workflow, and one order from creation to payment
// (order row as the API writes it, process started, shipment confirmed once stock is reserved,
// payment sent right after, then the process runs to `paid`).
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { computeInvoiceTotals } from '../domain/invoice';
import { orderPolicy } from '../infra/policies';
import { confirmShipmentUpdate, orderWorkflowId, paymentReceivedSignal } from '../workflows/order-to-cash.definitions';
import type { orderToCash } from '../workflows/order-to-cash';
import { BusinessKey, CustomerId } from '../workflows/shared/search-attributes';
import { MAIN_WAREHOUSE_ID, sleep, type BenchContext } from './context';

let sequence = 0;

/** Writes an order (one stocked product, one service) as POST /orders does; returns its id and total. */
export async function createOrderRow(ctx: BenchContext): Promise<{ orderId: string; customerId: string; totalTtcCents: number }> {
  const n = sequence++;
  const customer = ctx.customers[n % ctx.customers.length];
  const product = ctx.products[n % (ctx.products.length - 1)];
  const service = ctx.products[ctx.products.length - 1];
  const lines = [product, service].map((p, i) => ({
    position: i + 1,
    productId: p.id,
    description: p.name,
    quantity: 1,
    unitPriceCents: p.unitPriceCents,
    vatRateBp: p.vatRateBp,
    stocked: p.stocked,
  }));
  const totals = computeInvoiceTotals(lines);
  const order = await ctx.prisma.order.create({
    data: {
      customerId: customer.id,
      warehouseId: MAIN_WAREHOUSE_ID,
      customerRef: `BENCH-${n}`,
      totalHtCents: totals.totalHtCents,
      totalVatCents: totals.totalVatCents,
      totalTtcCents: totals.totalTtcCents,
      lines: { create: lines },
    },
  });
  return { orderId: order.id, customerId: customer.id, totalTtcCents: order.totalTtcCents };
}

/** Starts an order's process exactly as the API does; returns the start latency in ms. */
export async function startOrder(ctx: BenchContext, order: { orderId: string; customerId: string }): Promise<number> {
  const t = performance.now();
  await ctx.temporal.workflow.start('orderToCash', {
    workflowId: orderWorkflowId(order.orderId),
    taskQueue: ctx.taskQueue,
    args: [{ orderId: order.orderId, policy: orderPolicy(ctx.config) }],
    typedSearchAttributes: [
      { key: CustomerId, value: order.customerId },
      { key: BusinessKey, value: order.orderId },
    ],
  });
  return performance.now() - t;
}

/** W2: one order to `paid`; returns the start latency in ms. */
export async function runOrderToCash(ctx: BenchContext): Promise<number> {
  const order = await createOrderRow(ctx);
  const startMs = await startOrder(ctx, order);
  const handle = ctx.temporal.workflow.getHandle<typeof orderToCash>(orderWorkflowId(order.orderId));
  // The warehouse confirms once the stock is reserved (the read model says so); the process
  // may not be waiting yet (its workflow task queued behind others under load), so a refused
  // update is tried again, for up to two minutes.
  const giveUpAt = Date.now() + 120_000;
  for (;;) {
    const row = await ctx.prisma.order.findUnique({ where: { id: order.orderId }, select: { status: true } });
    if (row?.status === 'awaiting_shipment') {
      try {
        await handle.executeUpdate(confirmShipmentUpdate, {
          args: [{ carrier: 'Geodis', trackingNumber: `GD-${order.orderId.slice(0, 8)}`, shippedAt: new Date().toISOString() }],
        });
        break;
      } catch (err) {
        if (!(err instanceof WorkflowUpdateFailedError) || Date.now() > giveUpAt) throw err;
      }
    } else if (row && row.status !== 'received') {
      throw new Error(`order ${order.orderId} is ${row.status}`);
    } else if (Date.now() > giveUpAt) {
      throw new Error(`order ${order.orderId} still not reserved after two minutes`);
    }
    await sleep(50);
  }
  await handle.signal(paymentReceivedSignal, {
    reference: `VIR-${order.orderId}`,
    amountCents: order.totalTtcCents,
    receivedOn: new Date().toISOString().slice(0, 10),
    method: 'transfer',
  });
  const result = await handle.result();
  if (result.step !== 'paid') throw new Error(`order ${order.orderId} ended ${result.step}`);
  return startMs;
}

/** W1: the no-op workflow with its one no-op activity; returns the start latency in ms. */
export async function runNoop(ctx: BenchContext, id: string): Promise<number> {
  const t = performance.now();
  const handle = await ctx.temporal.workflow.start('benchNoop', { workflowId: id, taskQueue: `${ctx.taskQueue}-noop` });
  const startMs = performance.now() - t;
  await handle.result();
  return startMs;
}
