import { Router } from 'express';
import type { ApiDeps } from '../deps';
import { allow, readers } from '../auth';
import { notFound, parse } from '../errors';
import { page } from '../pagination';
import { createCustomerBody, customerParams, listCustomersQuery } from './validators';

/** Customers: create, read, list (with open receivables on read). */
export function customersRouter({ prisma }: ApiDeps): Router {
  const router = Router();

  router.post('/', allow('operations', 'finance'), async (req, res) => {
    const customer = await prisma.customer.create({ data: parse(createCustomerBody, req.body) });
    res.status(201).location(`/customers/${customer.id}`).json(customer);
  });

  router.get('/', allow(...readers), async (req, res) => {
    const query = parse(listCustomersQuery, req.query, 'query');
    const p = page(query);
    const rows = await prisma.customer.findMany({
      ...p.args,
      where: query.q ? { legalName: { contains: query.q, mode: 'insensitive' } } : {},
    });
    res.json(p.shape(rows));
  });

  router.get('/:id', allow(...readers), async (req, res) => {
    const { id } = parse(customerParams, req.params, 'path');
    const customer = await prisma.customer.findUnique({ where: { id } });
    if (!customer) throw notFound('Customer');
    const open = await prisma.invoice.aggregate({
      where: { customerId: id, status: { in: ['issued', 'partially_paid'] } },
      _sum: { totalTtcCents: true, paidCents: true, creditedCents: true },
    });
    const credit = await prisma.customerCredit.aggregate({ where: { customerId: id }, _sum: { amountCents: true } });
    const openReceivablesCents = (open._sum.totalTtcCents ?? 0) - (open._sum.paidCents ?? 0) - (open._sum.creditedCents ?? 0);
    res.json({ ...customer, openReceivablesCents, customerCreditCents: credit._sum.amountCents ?? 0 });
  });

  return router;
}
