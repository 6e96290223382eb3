import { Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { allow, readers } from '../auth';
import { notFound, parse } from '../errors';
import { page, pageQuery } from '../pagination';

const idParams = z.object({ id: z.string().uuid() });
const listInvoicesQuery = pageQuery.extend({
  customerId: z.string().uuid().optional(),
  status: z.enum(['issued', 'partially_paid', 'paid', 'cancelled']).optional(),
  overdue: z.enum(['true', 'false']).optional(),
});

/** Invoices and credit notes: read, list, download the PDF (issued documents never change). */
export function invoicesRouter({ prisma }: ApiDeps): Router {
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
    const { id } = parse(idParams, req.params, 'path');
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
    const { id } = parse(idParams, req.params, 'path');
    const invoice = await prisma.invoice.findUnique({ where: { id }, select: { number: true, pdf: true } });
    if (!invoice?.pdf) throw notFound('Invoice PDF');
    res.type('application/pdf').set('Content-Disposition', `attachment; filename="${invoice.number}.pdf"`).send(Buffer.from(invoice.pdf));
  });

  router.get('/credit-notes/:id/pdf', allow(...readers), async (req, res) => {
    const { id } = parse(idParams, req.params, 'path');
    const note = await prisma.creditNote.findUnique({ where: { id }, select: { number: true, pdf: true } });
    if (!note?.pdf) throw notFound('Credit note PDF');
    res.type('application/pdf').set('Content-Disposition', `attachment; filename="${note.number}.pdf"`).send(Buffer.from(note.pdf));
  });

  return router;
}
