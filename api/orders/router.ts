import { Router, type Request } from 'express';
import type { ApiDeps } from '../deps';
import { processStatus, startOnce } from '../../infra/temporal';
import { allow, readers } from '../auth';
import { HttpError, conflict, notFound, parse } from '../errors';
import { page } from '../pagination';
import { computeInvoiceTotals } from '../../domain/invoice';
import {
  cancelOrderUpdate,
  confirmShipmentUpdate,
  decideBackorderUpdate,
  orderStatusQuery,
  orderWorkflowId,
  paymentReceivedSignal,
} from '../../workflows/order-to-cash.definitions';
import { CustomerId, BusinessKey } from '../../workflows/shared/search-attributes';
import { orderPolicy } from '../../infra/policies';
import { ordersCreated } from '../../infra/metrics';
import {
  MAX_CENTS,
  backorderBody,
  cancelBody,
  createOrderBody,
  idempotencyKeyHeader,
  listOrdersQuery,
  orderParams,
  paymentBody,
  shipmentBody,
} from './validators';

const CLOSED = ['paid', 'rejected', 'cancelled'];
const who = (req: Request) => `${req.apiKey?.name ?? 'api'} (${req.apiKey?.role})`;

/** Orders: each one is a durable orderToCash process; these routes start, signal, update and query it. */
export function ordersRouter({ prisma, temporal, config }: ApiDeps): Router {
  const router = Router();

  /** Starts the order's process; a retried start of an existing order is harmless. */
  async function startProcess(orderId: string, customerId: string): Promise<void> {
    await startOnce(temporal, 'orderToCash', {
      workflowId: orderWorkflowId(orderId),
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [{ orderId, policy: orderPolicy(config) }],
      typedSearchAttributes: [
        { key: CustomerId, value: customerId },
        { key: BusinessKey, value: orderId },
      ],
    });
  }

  async function findOrder(req: Request) {
    const { id } = parse(orderParams, req.params, 'path');
    const order = await prisma.order.findUnique({ where: { id } });
    if (!order) throw notFound('Order');
    return order;
  }

  router.post('/', allow('operations'), async (req, res) => {
    const idempotencyKey = parse(idempotencyKeyHeader, req.get('idempotency-key'), 'header Idempotency-Key');
    const body = parse(createOrderBody, req.body);
    const replay = async () => {
      const existing = idempotencyKey && (await prisma.order.findUnique({ where: { idempotencyKey } }));
      if (!existing) return false;
      await startProcess(existing.id, existing.customerId);
      res
        .status(201)
        .set('Idempotent-Replayed', 'true')
        .location(`/orders/${existing.id}`)
        .json({ orderId: existing.id, workflowId: orderWorkflowId(existing.id), totalTtcCents: existing.totalTtcCents });
      return true;
    };
    if (await replay()) return;

    const [customer, warehouse, products] = await Promise.all([
      prisma.customer.findUnique({ where: { id: body.customerId } }),
      prisma.warehouse.findUnique({ where: { code: body.warehouseCode } }),
      prisma.product.findMany({ where: { sku: { in: body.lines.map((l) => l.sku) } } }),
    ]);
    const bySku = new Map(products.map((p) => [p.sku, p]));
    const errors = [
      ...(customer ? [] : [{ path: 'body.customerId', message: 'Unknown customer' }]),
      ...(warehouse ? [] : [{ path: 'body.warehouseCode', message: `Unknown warehouse ${body.warehouseCode}` }]),
      ...body.lines.flatMap((l, i) => {
        const product = bySku.get(l.sku);
        if (!product) return [{ path: `body.lines.${i}.sku`, message: `Unknown SKU ${l.sku}` }];
        return product.active ? [] : [{ path: `body.lines.${i}.sku`, message: `${l.sku} is no longer sold` }];
      }),
    ];
    if (errors.length) throw new HttpError(400, 'Bad Request', 'Invalid order', errors);

    const lines = body.lines.map((l, i) => {
      const product = bySku.get(l.sku)!;
      return {
        position: i + 1,
        productId: product.id,
        description: product.name,
        quantity: l.quantity,
        unitPriceCents: l.unitPriceCents ?? product.unitPriceCents,
        vatRateBp: product.vatRateBp,
        stocked: product.stocked,
      };
    });
    const totals = computeInvoiceTotals(lines);
    if (totals.totalTtcCents > MAX_CENTS || lines.some((l) => l.quantity * l.unitPriceCents > MAX_CENTS)) {
      throw new HttpError(400, 'Bad Request', 'Invalid order', [{ path: 'body.lines', message: 'The order total is too large' }]);
    }

    let order;
    try {
      order = await prisma.order.create({
        data: {
          idempotencyKey,
          customerId: customer!.id,
          warehouseId: warehouse!.id,
          customerRef: body.customerRef,
          totalHtCents: totals.totalHtCents,
          totalVatCents: totals.totalVatCents,
          totalTtcCents: totals.totalTtcCents,
          lines: { create: lines },
        },
      });
    } catch (err) {
      // The same Idempotency-Key raced us: answer with the order the other request created.
      if ((err as { code?: string }).code === 'P2002' && (await replay())) return;
      throw err;
    }
    ordersCreated.inc();
    await startProcess(order.id, order.customerId);
    res
      .status(201)
      .location(`/orders/${order.id}`)
      .json({ orderId: order.id, workflowId: orderWorkflowId(order.id), totalTtcCents: order.totalTtcCents });
  });

  router.get('/', allow(...readers), async (req, res) => {
    const query = parse(listOrdersQuery, req.query, 'query');
    const p = page(query);
    const rows = await prisma.order.findMany({ ...p.args, where: { customerId: query.customerId, status: query.status } });
    res.json(p.shape(rows));
  });

  router.get('/:id', allow(...readers), async (req, res) => {
    // The process first, then the records: whatever it reports done is already in them.
    const { id } = parse(orderParams, req.params, 'path');
    const process = await processStatus(temporal.workflow.getHandle(orderWorkflowId(id)), orderStatusQuery);
    const order = await findOrder(req);
    const [lines, invoice, shipment] = await Promise.all([
      prisma.orderLine.findMany({ where: { orderId: order.id }, orderBy: { position: 'asc' } }),
      prisma.invoice.findUnique({ where: { orderId: order.id }, omit: { pdf: true, parties: true } }),
      prisma.shipment.findUnique({ where: { orderId: order.id } }),
    ]);
    res.json({ ...order, lines, shipment, invoice, process });
  });

  router.post('/:id/shipment', allow('operations'), async (req, res) => {
    const order = await findOrder(req);
    const body = parse(shipmentBody, req.body);
    const status = await temporal.workflow.getHandle(orderWorkflowId(order.id)).executeUpdate(confirmShipmentUpdate, {
      args: [{ carrier: body.carrier, trackingNumber: body.trackingNumber, shippedAt: body.shippedAt ?? new Date().toISOString() }],
    });
    res.json(status);
  });

  router.post('/:id/payments', allow('finance'), async (req, res) => {
    const order = await findOrder(req);
    const body = parse(paymentBody, req.body);
    if (CLOSED.includes(order.status))
      throw conflict(`The order is ${order.status}: record this payment as unallocated customer money instead`);
    if (!(await prisma.invoice.findUnique({ where: { orderId: order.id }, select: { id: true } }))) {
      throw conflict('The order is not invoiced yet: a payment can only be applied to its invoice');
    }
    await temporal.workflow.getHandle(orderWorkflowId(order.id)).signal(paymentReceivedSignal, body);
    res.status(202).json({ accepted: true, reference: body.reference });
  });

  router.post('/:id/cancel', allow('operations', 'finance'), async (req, res) => {
    const order = await findOrder(req);
    const { reason } = parse(cancelBody, req.body);
    if (CLOSED.includes(order.status)) throw conflict(`The order is ${order.status} and can no longer be cancelled`);
    const status = await temporal.workflow
      .getHandle(orderWorkflowId(order.id))
      .executeUpdate(cancelOrderUpdate, { args: [{ reason, requestedBy: who(req) }] });
    res.json(status);
  });

  router.post('/:id/backorder', allow('operations'), async (req, res) => {
    const order = await findOrder(req);
    const { decision } = parse(backorderBody, req.body);
    const status = await temporal.workflow
      .getHandle(orderWorkflowId(order.id))
      .executeUpdate(decideBackorderUpdate, { args: [{ decision, decidedBy: who(req) }] });
    res.json(status);
  });

  return router;
}
