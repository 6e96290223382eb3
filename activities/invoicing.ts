import { ApplicationFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import type { Config } from '../infra/config';
import type { Db } from '../infra/db';
import type { Prisma } from '../generated/prisma/client';
import { creditNotesIssued, invoicesIssued, paymentsRecorded } from '../infra/metrics';
import type { BillingDocument, PartyIdentity } from '../domain/documents';
import type { DunningLevel } from '../domain/dunning';
import { addDays, computeInvoiceTotals, type ComputedLine, type LineInput, type VatBreakdownEntry } from '../domain/invoice';
import type { PaymentNotice } from '../workflows/shared/collection.definitions';
import { ErrorType } from '../workflows/shared/errors';
import type { ActivityDeps } from './deps';
import { renderBillingPdf } from './documents/billing-pdf';
import { createMailActivities } from './mail';
import { faultPoint } from '../infra/faults';

type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

export const INVOICE_SERIES = 'FA';
export const CREDIT_NOTE_SERIES = 'AV';

/** Amounts of an invoice after a change, as the workflow tracks them. */
export interface InvoiceAmounts {
  invoicedCents: number;
  paidCents: number;
  creditedCents: number;
}

/**
 * Takes the next `count` numbers of a series for a year (returns the first). The counter row
 * stays locked until the transaction that issues the documents commits, so numbers are gapless
 * and in issue order.
 */
async function takeNumbers(tx: Tx, series: string, year: number, count: number): Promise<{ sequence: number }> {
  await tx.$executeRaw`INSERT INTO "NumberSequence" (series, year, next) VALUES (${series}, ${year}, 1) ON CONFLICT DO NOTHING`;
  const [row] = await tx.$queryRaw<{ sequence: number }[]>`
    UPDATE "NumberSequence" SET next = next + ${count} WHERE series = ${series} AND year = ${year} RETURNING next - ${count} AS sequence`;
  return { sequence: Number(row.sequence) };
}

/** Takes the next number of a series for a year (see takeNumbers). */
export async function takeNumber(tx: Tx, series: string, year: number): Promise<{ sequence: number; number: string }> {
  const { sequence } = await takeNumbers(tx, series, year, 1);
  return { sequence, number: `${series}-${year}-${String(sequence).padStart(6, '0')}` };
}

export function sellerOf(config: Config): PartyIdentity & { iban: string } {
  return {
    name: config.SELLER_NAME,
    addressLines: config.SELLER_ADDRESS.split(',').map((s) => s.trim()),
    siren: config.SELLER_SIREN,
    siret: config.SELLER_SIRET,
    vatNumber: config.SELLER_VAT,
    iban: config.SELLER_IBAN,
  };
}

interface Parties {
  seller: PartyIdentity & { iban?: string };
  buyer: PartyIdentity;
  buyerIsBusiness: boolean;
  paymentTermsDays: number;
  customerRef?: string | null;
}

/** The document an invoice row renders to. */
function invoiceDocument(invoice: {
  number: string;
  issuedAt: Date;
  dueDate: Date;
  parties: unknown;
  vatBreakdown: unknown;
  totalHtCents: number;
  totalVatCents: number;
  totalTtcCents: number;
  orderId: string | null;
  lines: ComputedLine[];
}): BillingDocument {
  const parties = invoice.parties as Parties;
  return {
    kind: 'invoice',
    number: invoice.number,
    issuedAt: invoice.issuedAt.toISOString(),
    dueDate: invoice.dueDate.toISOString(),
    seller: parties.seller,
    buyer: parties.buyer,
    buyerIsBusiness: parties.buyerIsBusiness,
    lines: invoice.lines,
    vatBreakdown: invoice.vatBreakdown as VatBreakdownEntry[],
    totalHtCents: invoice.totalHtCents,
    totalVatCents: invoice.totalVatCents,
    totalTtcCents: invoice.totalTtcCents,
    references: { orderId: invoice.orderId ?? undefined, customerRef: parties.customerRef },
    paymentTermsDays: parties.paymentTermsDays,
  };
}

const linesOf = (lines: (ComputedLine & { id?: string; invoiceId?: string })[]): ComputedLine[] =>
  lines.map(({ position, description, quantity, unitPriceCents, vatRateBp, totalHtCents }) => ({
    position,
    description,
    quantity,
    unitPriceCents,
    vatRateBp,
    totalHtCents,
  }));

type CustomerRow = Awaited<ReturnType<Tx['customer']['findUniqueOrThrow']>>;
/** An invoice as stored, with its lines. */
type IssuedInvoice = Prisma.InvoiceGetPayload<{ include: { lines: true } }>;

export interface InvoiceInput {
  sourceKey: string;
  sourceKind: string;
  customer: CustomerRow;
  lines: LineInput[];
  orderId?: string;
  customerRef?: string | null;
}

/**
 * Issues an invoice inside the caller's transaction: gapless number, totals with VAT per rate,
 * due date from the customer's payment terms, and a snapshot of both parties.
 */
export async function createInvoice(tx: Tx, deps: Pick<ActivityDeps, 'config' | 'now'>, input: InvoiceInput) {
  const [invoice] = await createInvoices(tx, deps, [input]);
  return invoice;
}

/**
 * Issues several invoices inside the caller's transaction, numbered in the order given: one
 * reservation of numbers and one insert per table, whatever their count (a billing batch).
 */
export async function createInvoices(tx: Tx, { config, now }: Pick<ActivityDeps, 'config' | 'now'>, inputs: InvoiceInput[]) {
  if (inputs.length === 0) return [];
  const issuedAt = now();
  const year = issuedAt.getUTCFullYear();
  const { sequence: first } = await takeNumbers(tx, INVOICE_SERIES, year, inputs.length);
  const rows = inputs.map((input, i) => {
    const totals = computeInvoiceTotals(input.lines);
    const sequence = first + i;
    const c = input.customer;
    const parties: Parties = {
      seller: sellerOf(config),
      buyer: {
        name: c.legalName,
        addressLines: [c.addressLine, `${c.postalCode} ${c.city}`, c.country],
        siren: c.siren,
        siret: c.siret,
        vatNumber: c.vatNumber,
        email: c.billingEmail,
      },
      buyerIsBusiness: c.isBusiness,
      paymentTermsDays: c.paymentTermsDays,
      customerRef: input.customerRef,
    };
    const id = randomUUID();
    return {
      invoice: {
        id,
        sourceKey: input.sourceKey,
        sourceKind: input.sourceKind,
        number: `${INVOICE_SERIES}-${year}-${String(sequence).padStart(6, '0')}`,
        series: INVOICE_SERIES,
        year,
        sequence,
        customerId: c.id,
        orderId: input.orderId,
        issuedAt,
        dueDate: addDays(issuedAt, c.paymentTermsDays),
        totalHtCents: totals.totalHtCents,
        totalVatCents: totals.totalVatCents,
        totalTtcCents: totals.totalTtcCents,
        parties: parties as object,
        vatBreakdown: totals.vatBreakdown as object[],
      },
      lines: linesOf(totals.lines).map((line) => ({ ...line, id: randomUUID(), invoiceId: id })),
    };
  });
  // Two statements whatever the batch (one array per column, unnested), and the rows returned as
  // written: Prisma's createMany and a read back cost several times the database's own work.
  const inv = rows.map((r) => r.invoice);
  const lines = rows.flatMap((r) => r.lines);
  const col = <T>(pick: (i: (typeof inv)[number]) => T) => inv.map(pick);
  await tx.$executeRaw`
    INSERT INTO "Invoice" (id, "sourceKey", "sourceKind", number, series, year, sequence, "customerId", "orderId",
      "issuedAt", "dueDate", "totalHtCents", "totalVatCents", "totalTtcCents", parties, "vatBreakdown")
    SELECT * FROM unnest(
      ${col((i) => i.id)}::text[], ${col((i) => i.sourceKey)}::text[], ${col((i) => i.sourceKind)}::text[],
      ${col((i) => i.number)}::text[], ${col((i) => i.series)}::text[], ${col((i) => i.year)}::int[], ${col((i) => i.sequence)}::int[],
      ${col((i) => i.customerId)}::text[], ${col((i) => i.orderId ?? null)}::text[],
      ${col((i) => i.issuedAt.toISOString())}::timestamp(3)[], ${col((i) => i.dueDate.toISOString())}::timestamp(3)[],
      ${col((i) => i.totalHtCents)}::int[], ${col((i) => i.totalVatCents)}::int[], ${col((i) => i.totalTtcCents)}::int[],
      ${col((i) => JSON.stringify(i.parties))}::jsonb[], ${col((i) => JSON.stringify(i.vatBreakdown))}::jsonb[])`;
  await tx.$executeRaw`
    INSERT INTO "InvoiceLine" (id, "invoiceId", position, description, quantity, "unitPriceCents", "vatRateBp", "totalHtCents")
    SELECT * FROM unnest(
      ${lines.map((l) => l.id)}::text[], ${lines.map((l) => l.invoiceId)}::text[], ${lines.map((l) => l.position)}::int[],
      ${lines.map((l) => l.description)}::text[], ${lines.map((l) => l.quantity)}::int[], ${lines.map((l) => l.unitPriceCents)}::int[],
      ${lines.map((l) => l.vatRateBp)}::int[], ${lines.map((l) => l.totalHtCents)}::int[])`;
  invoicesIssued.inc(inputs.length);
  return rows.map(
    ({ invoice, lines }): IssuedInvoice => ({
      ...invoice,
      orderId: invoice.orderId ?? null,
      status: 'issued',
      paidCents: 0,
      creditedCents: 0,
      pdf: null,
      createdAt: issuedAt,
      lines,
    }),
  );
}

/** Renders and stores the PDF of a freshly issued invoice (once), and returns what processes track. */
export async function withPdf(prisma: Db, invoice: Awaited<ReturnType<typeof createInvoice>>) {
  if (!invoice.pdf) {
    const pdf = await renderBillingPdf(invoiceDocument({ ...invoice, lines: linesOf(invoice.lines) }));
    await prisma.invoice.update({ where: { id: invoice.id }, data: { pdf: new Uint8Array(pdf) } });
  }
  return {
    id: invoice.id,
    number: invoice.number,
    customerId: invoice.customerId,
    totalHtCents: invoice.totalHtCents,
    totalTtcCents: invoice.totalTtcCents,
    paidCents: invoice.paidCents,
    creditedCents: invoice.creditedCents,
    dueDate: invoice.dueDate.toISOString(),
  };
}

/** Invoicing activities: issue (gapless numbers, PDF), credit notes, payments and dunning notices. */
export function createInvoicingActivities(deps: ActivityDeps) {
  const { prisma, config, now } = deps;
  const { sendEmail } = createMailActivities(deps);

  return {
    /** Issues the order's invoice once: number, lines, VAT per rate, due date, party snapshot and PDF. */
    async issueInvoice({ orderId, sourceKey }: { orderId: string; sourceKey: string }) {
      const invoice =
        (await prisma.invoice.findUnique({ where: { sourceKey }, include: { lines: { orderBy: { position: 'asc' } } } })) ??
        (await prisma.$transaction(async (tx) => {
          const order = await tx.order.findUniqueOrThrow({
            where: { id: orderId },
            include: { customer: true, lines: { orderBy: { position: 'asc' } } },
          });
          const created = await createInvoice(tx, deps, {
            sourceKey,
            sourceKind: 'order',
            customer: order.customer,
            lines: order.lines,
            orderId,
            customerRef: order.customerRef,
          });
          await tx.order.update({ where: { id: orderId }, data: { status: 'invoiced', statusReason: null } });
          return created;
        }));
      faultPoint('issueInvoice:committed'); // reliability run: numbered and committed, PDF not yet rendered
      return withPdf(prisma, invoice);
    },

    /**
     * Cancels an invoice, or the given lines of it, with a credit note (avoir) that references it;
     * money paid beyond what is left to pay becomes customer credit.
     */
    async issueCreditNote({
      invoiceId,
      reason,
      sourceKey,
      lines,
    }: {
      invoiceId: string;
      reason: string;
      sourceKey: string;
      lines?: LineInput[];
    }) {
      const note =
        (await prisma.creditNote.findUnique({ where: { sourceKey } })) ??
        (await prisma.$transaction(async (tx) => {
          const invoice = await tx.invoice.findUniqueOrThrow({
            where: { id: invoiceId },
            include: { lines: { orderBy: { position: 'asc' } } },
          });
          const issuedAt = now();
          const { sequence, number } = await takeNumber(tx, CREDIT_NOTE_SERIES, issuedAt.getUTCFullYear());
          const totals = computeInvoiceTotals(lines ?? invoice.lines);
          const creditedCents = invoice.creditedCents + totals.totalTtcCents;
          if (creditedCents > invoice.totalTtcCents) {
            throw ApplicationFailure.nonRetryable(`Credit notes would exceed invoice ${invoice.number}`, ErrorType.InvalidState);
          }
          const created = await tx.creditNote.create({
            data: {
              sourceKey,
              number,
              series: CREDIT_NOTE_SERIES,
              year: issuedAt.getUTCFullYear(),
              sequence,
              invoiceId,
              customerId: invoice.customerId,
              reason,
              issuedAt,
              totalHtCents: totals.totalHtCents,
              totalVatCents: totals.totalVatCents,
              totalTtcCents: totals.totalTtcCents,
              vatBreakdown: totals.vatBreakdown as object[],
              lines: lines ? (totals.lines as object[]) : undefined,
            },
          });
          const owed = invoice.totalTtcCents - creditedCents;
          await tx.invoice.update({
            where: { id: invoiceId },
            data: {
              creditedCents,
              status: owed === 0 ? 'cancelled' : invoice.paidCents >= owed ? 'paid' : invoice.status,
            },
          });
          // Paid beyond what is now owed (and not already given back by an earlier credit note): the customer's money.
          const excess =
            Math.max(0, invoice.paidCents - owed) - Math.max(0, invoice.paidCents - (invoice.totalTtcCents - invoice.creditedCents));
          if (excess > 0) {
            await tx.customerCredit.create({
              data: {
                sourceKey: `${sourceKey}:refund`,
                customerId: invoice.customerId,
                amountCents: excess,
                reason: `Paid on ${invoice.number}, ${owed === 0 ? 'cancelled' : 'reduced'} by ${number}`,
              },
            });
          }
          creditNotesIssued.inc();
          return created;
        }));
      const invoice = await prisma.invoice.findUniqueOrThrow({
        where: { id: invoiceId },
        include: { lines: { orderBy: { position: 'asc' } } },
      });
      if (!note.pdf) {
        const doc: BillingDocument = {
          ...invoiceDocument({ ...invoice, lines: linesOf(invoice.lines) }),
          // The note's own lines and totals: the whole invoice, or the part credited.
          lines: (note.lines as unknown as ComputedLine[] | null) ?? linesOf(invoice.lines),
          vatBreakdown: note.vatBreakdown as unknown as VatBreakdownEntry[],
          totalHtCents: note.totalHtCents,
          totalVatCents: note.totalVatCents,
          totalTtcCents: note.totalTtcCents,
          kind: 'credit_note',
          number: note.number,
          issuedAt: note.issuedAt.toISOString(),
          dueDate: undefined,
          reason: note.reason,
          references: { orderId: invoice.orderId ?? undefined, invoiceNumber: invoice.number },
        };
        await prisma.creditNote.update({ where: { id: note.id }, data: { pdf: new Uint8Array(await renderBillingPdf(doc)) } });
      }
      return {
        id: note.id,
        number: note.number,
        invoicedCents: invoice.totalTtcCents,
        paidCents: invoice.paidCents,
        creditedCents: invoice.creditedCents,
      };
    },

    /** Applies a payment to the invoice once per reference; anything beyond what is due becomes customer credit. */
    async recordPayment({
      invoiceId,
      reference,
      amountCents,
      receivedOn,
      method,
    }: PaymentNotice & { invoiceId: string }): Promise<InvoiceAmounts & { applied: boolean; overpaidCents: number }> {
      const result = await prisma.$transaction(async (tx) => {
        const invoice = await tx.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
        const amounts = (i: typeof invoice, applied: boolean, overpaidCents = 0) => ({
          invoicedCents: i.totalTtcCents,
          paidCents: i.paidCents,
          creditedCents: i.creditedCents,
          applied,
          overpaidCents,
        });
        if (await tx.payment.findUnique({ where: { reference } })) return amounts(invoice, false);
        const due = Math.max(0, invoice.totalTtcCents - invoice.creditedCents - invoice.paidCents);
        const allocated = Math.min(due, amountCents);
        await tx.payment.create({
          data: {
            reference,
            customerId: invoice.customerId,
            amountCents,
            receivedOn: new Date(receivedOn),
            method,
            allocations: allocated > 0 ? { create: { invoiceId, amountCents: allocated } } : undefined,
          },
        });
        if (amountCents > allocated) {
          await tx.customerCredit.create({
            data: {
              sourceKey: `payment:${reference}`,
              customerId: invoice.customerId,
              amountCents: amountCents - allocated,
              reason: `Overpayment ${reference} on ${invoice.number}`,
            },
          });
        }
        const paidCents = invoice.paidCents + allocated;
        const updated = await tx.invoice.update({
          where: { id: invoiceId },
          data: {
            paidCents,
            // A cancelled (credited) invoice stays cancelled: money received on it is customer credit.
            status:
              invoice.status === 'cancelled'
                ? 'cancelled'
                : paidCents >= invoice.totalTtcCents - invoice.creditedCents
                  ? 'paid'
                  : 'partially_paid',
          },
        });
        paymentsRecorded.inc();
        return amounts(updated, true, amountCents - allocated);
      });
      faultPoint('recordPayment:committed'); // reliability run: committed, not yet returned
      return result;
    },

    /** Records a dunning level once and emails the customer the statement of what is due. */
    async sendDunningNotice({ invoiceId, level, emailKey }: { invoiceId: string; level: DunningLevel; emailKey: string }): Promise<void> {
      const invoice = await prisma.invoice.findUniqueOrThrow({ where: { id: invoiceId }, include: { customer: true } });
      const dueCents = Math.max(0, invoice.totalTtcCents - invoice.creditedCents - invoice.paidCents);
      await prisma.dunningNotice.upsert({
        where: { invoiceId_level: { invoiceId, level: level.level } },
        create: { invoiceId, level: level.level, kind: level.kind, dueCents },
        update: {},
      });
      await sendEmail({ key: emailKey, template: 'dunning', to: invoice.customer.billingEmail, payload: { invoiceId, level } });
      if (level.kind === 'collection') {
        await sendEmail({
          key: `${emailKey}:finance`,
          template: 'collectionHandoff',
          to: config.CREDIT_CONTROLLER_EMAIL,
          payload: { invoiceId },
        });
      }
    },
  };
}
