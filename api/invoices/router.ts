import { Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { allow, readers } from '../auth';
import { conflict, notFound, parse } from '../errors';
import { paymentBody } from '../orders/validators';
import { orderWorkflowId } from '../../workflows/order-to-cash.definitions';
import { invoiceCollectionWorkflowId, paymentReceivedSignal } from '../../workflows/invoice-collection.definitions';
import { page, pageQuery } from '../pagination';

export const invoiceIdParams = z.object({ id: z.string().uuid() });
export const listInvoicesQuery = pageQuery.extend({
  customerId: z.string().uuid().optional(),
  status: z.enum(['issued', 'partially_paid', 'paid', 'cancelled']).optional(),
  overdue: z.enum(['true', 'false']).optional(),
});

/** Invoices and credit notes: read, list, download the PDF (issued documents never change). */
export function invoicesRouter({ prisma, temporal }: ApiDeps): Router {
  const router = Router();

  router.get('/invoices', allow(...readers), async (req, res) => {
    const query = parse(listInvoicesQuery, req.query, 'query');
    const p = page(query);
    const rows = await prisma.invoice.findMany({
      ...p.args,
      omit: { pdf: true, parties: true },
      where: {
        customerId: query.customerId,
        status: query.overdue === 'true' ? { in: ['issued', 'partially_paid'] } : query.status,
        dueDate: query.overdue === 'true' ? { lt: new Date() } : undefined,
      },
    });
    res.json(p.shape(rows));
  });

  router.get('/invoices/:id', allow(...readers), async (req, res) => {
    const { id } = parse(invoiceIdParams, req.params, 'path');
    const invoice = await prisma.invoice.findUnique({
      where: { id },
      omit: { pdf: true },
      include: {
        lines: { orderBy: { position: 'asc' } },
        allocations: { include: { payment: true } },
        creditNotes: { omit: { pdf: true } },
        dunning: { orderBy: { level: 'asc' } },
      },
    });
    if (!invoice) throw notFound('Invoice');
    res.json({ ...invoice, dueCents: Math.max(0, invoice.totalTtcCents - invoice.paidCents - invoice.creditedCents) });
  });

  router.get('/invoices/:id/pdf', allow(...readers), async (req, res) => {
    const { id } = parse(invoiceIdParams, req.params, 'path');
    const invoice = await prisma.invoice.findUnique({ where: { id }, select: { number: true, pdf: true } });
    if (!invoice?.pdf) throw notFound('Invoice PDF');
    res.type('application/pdf').set('Content-Disposition', `attachment; filename="${invoice.number}.pdf"`).send(Buffer.from(invoice.pdf));
  });

  /** A payment on an invoice goes to the process collecting it (the order's, or the invoice's own). */
  router.post('/invoices/:id/payments', allow('finance'), async (req, res) => {
    const { id } = parse(invoiceIdParams, req.params, 'path');
    const body = parse(paymentBody, req.body);
    const invoice = await prisma.invoice.findUnique({ where: { id }, select: { orderId: true, status: true } });
    if (!invoice) throw notFound('Invoice');
    if (invoice.status === 'paid' || invoice.status === 'cancelled') throw conflict(`The invoice is ${invoice.status}`);
    const workflowId = invoice.orderId ? orderWorkflowId(invoice.orderId) : invoiceCollectionWorkflowId(id);
    await temporal.workflow.getHandle(workflowId).signal(paymentReceivedSignal, body);
    res.status(202).json({ accepted: true, reference: body.reference });
  });

  router.get('/credit-notes/:id/pdf', allow(...readers), async (req, res) => {
    const { id } = parse(invoiceIdParams, req.params, 'path');
    const note = await prisma.creditNote.findUnique({ where: { id }, select: { number: true, pdf: true } });
    if (!note?.pdf) throw notFound('Credit note PDF');
    res.type('application/pdf').set('Content-Disposition', `attachment; filename="${note.number}.pdf"`).send(Buffer.from(note.pdf));
  });

  return router;
}
