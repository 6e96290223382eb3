import { heartbeat } from '@temporalio/activity';
import { contractLinesForMonth, monthBounds, type DraftLine } from '../domain/contracts';
import { computeInvoiceTotals } from '../domain/invoice';
import { invoiceCollectionWorkflowId } from '../workflows/invoice-collection.definitions';
import type { CollectionPolicy } from '../workflows/shared/collection';
import { BusinessKey, CustomerId } from '../workflows/shared/search-attributes';
import { day, dayOf } from './contracts';
import type { ActivityDeps } from './deps';
import { startOnce } from '../infra/temporal';
import { createInvoices, withPdf } from './invoicing';
import { createMailActivities } from './mail';

/** The key of a contract's invoice for a run: the same contract and month is invoiced once. */
const invoiceKey = (contractId: string, period: string) => `contract:${contractId}:${period}`;

/** Invoices of a batch emailed (and their collections started) at the same time. */
const SEND_CONCURRENCY = 10;

/**
 * Billing run activities: draft a page of contracts (one transaction, once per contract and
 * month), summarise, discard, issue in batches (gapless numbers) and email with collection.
 */
export function createBillingRunActivities(deps: ActivityDeps) {
  const { prisma, config } = deps;
  const { sendEmail } = createMailActivities(deps);

  return {
    /** Drafts the invoices of the next page of contracts after `cursor` (by id) that may be due in the month. */
    async draftBillingPage({ period, cursor, pageSize }: { period: string; cursor?: string; pageSize: number }) {
      const { start, end } = monthBounds(period);
      const contracts = await prisma.contract.findMany({
        where: {
          id: cursor ? { gt: cursor } : undefined,
          billingRhythm: { not: 'per_intervention' },
          OR: [{ endDate: null }, { endDate: { gte: day(start) } }],
          terms: { some: { start: { lt: day(end) } } },
        },
        include: {
          terms: { orderBy: { number: 'asc' } },
          versions: { orderBy: { version: 'asc' } },
          drafts: { select: { period: true, lines: true } },
        },
        orderBy: { id: 'asc' },
        take: pageSize,
      });
      const exceptions: { contractId: string; problem: string }[] = [];
      const drafts = contracts.flatMap((c) => {
        if (c.drafts.some((d) => d.period === period)) return []; // drafted by an earlier attempt
        const billed: Record<string, number> = {};
        for (const line of c.drafts.flatMap((d) => d.lines as unknown as DraftLine[])) {
          billed[line.periodStart] = (billed[line.periodStart] ?? 0) + line.quantity * line.unitPriceCents;
        }
        const lines = contractLinesForMonth(
          {
            title: c.title,
            rhythm: c.billingRhythm,
            timing: c.billingTiming,
            vatRateBp: c.vatRateBp,
            endDate: c.endDate && dayOf(c.endDate),
            terms: c.terms.map((t) => ({ number: t.number, start: dayOf(t.start), end: dayOf(t.end) })),
            versions: c.versions.map((v) => ({ effectiveFrom: dayOf(v.effectiveFrom), priceCents: v.priceCents })),
            billed,
          },
          period,
        );
        if (lines.length === 0) return [];
        const totalHtCents = lines.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0);
        if (totalHtCents <= 0) {
          exceptions.push({ contractId: c.id, problem: `Total ${totalHtCents} cents HT: needs a credit note, not an invoice` });
          return [];
        }
        return [{ period, contractId: c.id, customerId: c.customerId, lines: lines as object[], totalHtCents }];
      });
      await prisma.$transaction([prisma.billingDraft.createMany({ data: drafts, skipDuplicates: true })]);
      return { scanned: contracts.length, drafted: drafts.length, exceptions, cursor: contracts.at(-1)?.id };
    },

    /** Counts and totals of the month's drafts, as the billing manager reviews them. */
    async billingRunSummary({ period }: { period: string }) {
      const drafts = await prisma.billingDraft.findMany({ where: { period }, select: { lines: true, invoiceId: true, emailedAt: true } });
      let totalHtCents = 0;
      let totalTtcCents = 0;
      for (const d of drafts) {
        const totals = computeInvoiceTotals(d.lines as unknown as DraftLine[]);
        totalHtCents += totals.totalHtCents;
        totalTtcCents += totals.totalTtcCents;
      }
      return {
        drafted: drafts.length,
        totalHtCents,
        totalTtcCents,
        issued: drafts.filter((d) => d.invoiceId).length,
        sent: drafts.filter((d) => d.emailedAt).length,
      };
    },

    /** The billing manager rejected the run: the drafts (never invoices) are dropped. */
    async discardBillingDrafts({ period }: { period: string }) {
      const { count } = await prisma.billingDraft.deleteMany({ where: { period, invoiceId: null } });
      return count;
    },

    /** Issues the next batch of approved drafts as invoices (gapless numbers, in contract order), then their PDFs. */
    async issueBillingDrafts({ period, batchSize }: { period: string; batchSize: number }) {
      const drafts = await prisma.billingDraft.findMany({
        where: { period, invoiceId: null },
        include: { contract: { include: { customer: true } } },
        orderBy: { contractId: 'asc' },
        take: batchSize,
      });
      const keys = drafts.map((d) => invoiceKey(d.contractId, period));
      // The whole batch in a few statements: issued invoices found at once, the rest created
      // together (numbers in contract order), the drafts linked by one update.
      const invoices = await prisma.$transaction(
        async (tx) => {
          const found = await tx.invoice.findMany({
            where: { sourceKey: { in: keys } },
            include: { lines: { orderBy: { position: 'asc' } } },
          });
          const bySourceKey = new Map(found.map((i) => [i.sourceKey, i]));
          const missing = drafts.filter((d, i) => !bySourceKey.has(keys[i]));
          const created = await createInvoices(
            tx,
            deps,
            missing.map((d) => ({
              sourceKey: invoiceKey(d.contractId, period),
              sourceKind: 'contract',
              customer: d.contract.customer,
              lines: d.lines as unknown as DraftLine[],
              customerRef: d.contract.title,
            })),
          );
          for (const invoice of created) bySourceKey.set(invoice.sourceKey, invoice);
          const issued = keys.map((k) => bySourceKey.get(k)!);
          await tx.$executeRaw`
            UPDATE "BillingDraft" AS d SET "invoiceId" = v.invoice_id
            FROM unnest(${drafts.map((d) => d.id)}::text[], ${issued.map((i) => i.id)}::text[]) AS v(draft_id, invoice_id)
            WHERE d.id = v.draft_id`;
          return issued;
        },
        { timeout: 60_000 },
      );
      for (const invoice of invoices) {
        await withPdf(prisma, invoice);
        heartbeat();
      }
      return { issued: invoices.length };
    },

    /** Emails the next batch of issued invoices and starts each one's collection (dunning) process. */
    async sendBillingInvoices({ period, batchSize, collection }: { period: string; batchSize: number; collection: CollectionPolicy }) {
      const drafts = await prisma.billingDraft.findMany({
        where: { period, invoiceId: { not: null }, emailedAt: null },
        include: { contract: { include: { customer: true } } },
        orderBy: { contractId: 'asc' },
        take: batchSize,
      });
      // One query for the batch's invoices, then a few invoices at a time: each waits on SMTP
      // and on Temporal, not on this process, so one at a time leaves both idle.
      const invoices = new Map(
        (await prisma.invoice.findMany({ where: { id: { in: drafts.map((d) => d.invoiceId!) } }, omit: { pdf: true } })).map((i) => [
          i.id,
          i,
        ]),
      );
      const sendOne = async (d: (typeof drafts)[number]) => {
        const invoice = invoices.get(d.invoiceId!)!;
        const customer = d.contract.customer;
        await sendEmail({
          key: `${invoiceKey(d.contractId, period)}:email`,
          template: 'invoice',
          to: customer.billingEmail,
          payload: { invoiceId: invoice.id },
        });
        await startOnce(deps.temporal, 'invoiceCollection', {
          workflowId: invoiceCollectionWorkflowId(invoice.id),
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          args: [
            {
              invoiceId: invoice.id,
              invoiceNumber: invoice.number,
              customerId: customer.id,
              billingEmail: customer.billingEmail,
              paymentTermsDays: customer.paymentTermsDays,
              invoicedCents: invoice.totalTtcCents,
              policy: collection,
            },
          ],
          typedSearchAttributes: [
            { key: CustomerId, value: customer.id },
            { key: BusinessKey, value: invoice.number },
          ],
        });
        await prisma.billingDraft.update({ where: { id: d.id }, data: { emailedAt: deps.now() } });
      };
      for (let i = 0; i < drafts.length; i += SEND_CONCURRENCY) {
        await Promise.all(drafts.slice(i, i + SEND_CONCURRENCY).map(sendOne));
        heartbeat();
      }
      return { sent: drafts.length };
    },
  };
}
