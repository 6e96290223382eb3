import { Router } from 'express';
import type { ApiDeps } from '../deps';
import { allow, readers } from '../auth';
import { HttpError, notFound, parse } from '../errors';
import { page } from '../pagination';
import { receiveStock } from '../../activities/stock';
import { orderWorkflowId, stockReplenishedSignal } from '../../workflows/order-to-cash.definitions';
import { createProductBody, listProductsQuery, productParams, stockReceiptBody } from './validators';

/** Products with their stock levels, and stock receipts (which wake orders waiting for stock). */
export function productsRouter({ prisma, temporal }: ApiDeps): Router {
  const router = Router();

  router.post('/products', allow('operations'), async (req, res) => {
    const body = parse(createProductBody, req.body);
    if (await prisma.product.findUnique({ where: { sku: body.sku } }))
      throw new HttpError(409, 'Conflict', `SKU ${body.sku} already exists`);
    const product = await prisma.product.create({ data: body });
    res.status(201).location(`/products/${product.id}`).json(product);
  });

  router.get('/products', allow(...readers), async (req, res) => {
    const p = page(parse(listProductsQuery, req.query, 'query'));
    res.json(p.shape(await prisma.product.findMany({ ...p.args, include: { stockLevels: true } })));
  });

  router.get('/products/:id', allow(...readers), async (req, res) => {
    const { id } = parse(productParams, req.params, 'path');
    const product = await prisma.product.findUnique({ where: { id }, include: { stockLevels: { include: { warehouse: true } } } });
    if (!product) throw notFound('Product');
    res.json(product);
  });

  router.post('/stock/receipts', allow('operations'), async (req, res) => {
    const body = parse(stockReceiptBody, req.body);
    const product = await prisma.product.findUnique({ where: { sku: body.sku } });
    const warehouse = await prisma.warehouse.findUnique({ where: { code: body.warehouseCode } });
    if (!product || !warehouse) {
      throw new HttpError(400, 'Bad Request', 'Unknown product or warehouse', [
        ...(product ? [] : [{ path: 'body.sku', message: `Unknown SKU ${body.sku}` }]),
        ...(warehouse ? [] : [{ path: 'body.warehouseCode', message: `Unknown warehouse ${body.warehouseCode}` }]),
      ]);
    }
    if (!product.stocked) throw new HttpError(400, 'Bad Request', `${body.sku} is a service, not a stocked product`);
    const { applied } = await receiveStock(prisma, {
      productId: product.id,
      warehouseId: warehouse.id,
      quantity: body.quantity,
      reference: body.reference,
    });
    // Wake every order of this warehouse that waits for (or is about to reserve) this product; each retries its reservation.
    const waiting = await prisma.order.findMany({
      where: {
        status: { in: ['received', 'awaiting_credit_approval', 'awaiting_stock'] },
        warehouseId: warehouse.id,
        lines: { some: { productId: product.id } },
      },
      select: { id: true },
    });
    await Promise.all(
      waiting.map((o) =>
        temporal.workflow
          .getHandle(orderWorkflowId(o.id))
          .signal(stockReplenishedSignal)
          .catch(() => undefined),
      ),
    );
    const level = await prisma.stockLevel.findUnique({
      where: { productId_warehouseId: { productId: product.id, warehouseId: warehouse.id } },
    });
    res.status(applied ? 201 : 200).json({
      applied,
      sku: product.sku,
      warehouse: warehouse.code,
      onHand: level?.onHand,
      reserved: level?.reserved,
      ordersWoken: waiting.length,
    });
  });

  return router;
}
