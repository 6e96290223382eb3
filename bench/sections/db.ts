// The database path of an invoice: rows per second written by the invoicing activity's code
// (createInvoice in one transaction per batch), by Prisma alone (createMany), and by raw
// multi-row INSERTs with pg, for the same rows in batches of 1, 50 and 200.
import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { computeInvoiceTotals, addDays } from '../../domain/invoice';
import * as invoicing from '../../activities/invoicing';
import { renderBillingPdf } from '../../activities/documents/billing-pdf';
import { fmt, median, type BenchContext } from '../context';

type Method = 'activity' | 'prisma' | 'raw';

const lineInputs = (n: number) => [
  { description: `Contrat de maintenance ${n} : mars 2026`, quantity: 1, unitPriceCents: 12_000 + (n % 100), vatRateBp: 2000 },
  { description: 'Déplacement', quantity: 1, unitPriceCents: 4500, vatRateBp: 2000 },
];

let year = 3000; // each method and batch writes its own number series year: no shared counter row

export async function dbPath(ctx: BenchContext): Promise<void> {
  const { quick } = ctx.options;
  const batches = [1, 50, 200];
  const reps = quick ? 1 : 3;
  const rowsPerRun = (batch: number) => (quick ? (batch === 1 ? 150 : 600) : batch === 1 ? 500 : 2000);
  console.log(`\n== database path: ${reps} x batches ${batches.join('/')} x (activity, prisma, raw)`);
  const pg = new PgClient({ connectionString: ctx.options.databaseUrl });
  await pg.connect();
  const customer = await ctx.prisma.customer.findUniqueOrThrow({ where: { id: ctx.customers[0].id } });
  const deps = { config: ctx.config, now: () => new Date() };
  // The batched issue proposed with the benchmark (createInvoices), measured once it exists.
  const createInvoices = (invoicing as Record<string, unknown>).createInvoices as
    | ((tx: unknown, d: typeof deps, inputs: Parameters<typeof invoicing.createInvoice>[2][]) => Promise<{ id: string }[]>)
    | undefined;
  const activityLabel = createInvoices ? 'createInvoices per batch' : 'createInvoice per row';

  let sampleInvoiceId = '';
  const write = async (method: Method, batch: number, total: number): Promise<number> => {
    const y = year++;
    const t = performance.now();
    for (let done = 0; done < total; done += batch) {
      const ns = Array.from({ length: batch }, (_, i) => done + i);
      if (method === 'activity') {
        await ctx.prisma.$transaction(
          async (tx) => {
            const inputs = ns.map((n) => ({
              sourceKey: `bench-db:${ctx.tag}:${y}:${n}`,
              sourceKind: 'contract',
              customer,
              lines: lineInputs(n),
              customerRef: 'BENCH',
            }));
            if (createInvoices) sampleInvoiceId = (await createInvoices(tx, deps, inputs))[0].id;
            else for (const input of inputs) sampleInvoiceId = (await invoicing.createInvoice(tx, deps, input)).id;
          },
          { timeout: 120_000 },
        );
      } else {
        const rows = ns.map((n) => invoiceRow(ctx, customer, y, n));
        if (method === 'prisma') {
          await ctx.prisma.$transaction([
            ctx.prisma
              .$executeRaw`INSERT INTO "NumberSequence" (series, year, next) VALUES ('FA', ${y}, ${batch + 1}) ON CONFLICT (series, year) DO UPDATE SET next = "NumberSequence".next + ${batch}`,
            ctx.prisma.invoice.createMany({ data: rows.map((r) => r.invoice) }),
            ctx.prisma.invoiceLine.createMany({ data: rows.flatMap((r) => r.lines) }),
          ]);
        } else {
          await rawInsert(pg, rows, y, batch);
        }
      }
    }
    return total / ((performance.now() - t) / 1000);
  };

  // Warm-up of each path.
  for (const m of ['activity', 'prisma', 'raw'] as const) await write(m, 50, 100);
  const rates = new Map<string, number[]>();
  for (let rep = 0; rep < reps; rep++) {
    for (const batch of batches) {
      for (const m of ['activity', 'prisma', 'raw'] as const) {
        const r = await write(m, batch, rowsPerRun(batch));
        rates.set(`${m}:${batch}`, [...(rates.get(`${m}:${batch}`) ?? []), r]);
      }
    }
  }
  for (const batch of batches) {
    const [a, p, r] = (['activity', 'prisma', 'raw'] as const).map((m) => median(rates.get(`${m}:${batch}`)!));
    ctx.row(
      'database path',
      `invoices (2 lines) at batch ${batch}: activity code (${activityLabel}) / raw, Prisma / raw`,
      `${fmt(a / r)}, ${fmt(p / r)}`,
      `activity ${fmt(a, 0)}/s, Prisma createMany ${fmt(p, 0)}/s, raw pg ${fmt(r, 0)}/s`,
    );
  }
  // The activity renders each invoice's PDF after the transaction: its cost beside the rows.
  const sample = await ctx.prisma.invoice.findUniqueOrThrow({ where: { id: sampleInvoiceId }, include: { lines: true } });
  const t = performance.now();
  const pdfs = quick ? 10 : 40;
  for (let i = 0; i < pdfs; i++) {
    await renderBillingPdf({
      kind: 'invoice',
      number: sample.number,
      issuedAt: sample.issuedAt.toISOString(),
      dueDate: sample.dueDate.toISOString(),
      seller: (sample.parties as any).seller,
      buyer: (sample.parties as any).buyer,
      buyerIsBusiness: true,
      lines: sample.lines,
      vatBreakdown: sample.vatBreakdown as any,
      totalHtCents: sample.totalHtCents,
      totalVatCents: sample.totalVatCents,
      totalTtcCents: sample.totalTtcCents,
      references: {},
      paymentTermsDays: 30,
    });
  }
  const pdfPerSecond = pdfs / ((performance.now() - t) / 1000);
  ctx.row(
    'database path',
    'invoice PDF render / activity code rows at batch 50',
    fmt(pdfPerSecond / median(rates.get('activity:50')!)),
    `${fmt(pdfPerSecond, 0)} PDFs/s in one process (issueInvoice and issueBillingDrafts render one per invoice)`,
  );
  await pg.end();
}

function invoiceRow(ctx: BenchContext, customer: { id: string }, y: number, n: number) {
  const totals = computeInvoiceTotals(lineInputs(n));
  const id = randomUUID();
  const issuedAt = new Date();
  return {
    invoice: {
      id,
      sourceKey: `bench-db:${ctx.tag}:${y}:${n}`,
      sourceKind: 'contract',
      number: `FA-${y}-${String(n + 1).padStart(6, '0')}`,
      series: 'FA',
      year: y,
      sequence: n + 1,
      customerId: customer.id,
      issuedAt,
      dueDate: addDays(issuedAt, 30),
      totalHtCents: totals.totalHtCents,
      totalVatCents: totals.totalVatCents,
      totalTtcCents: totals.totalTtcCents,
      parties: { seller: { name: ctx.config.SELLER_NAME }, buyer: { name: 'Client' } },
      vatBreakdown: totals.vatBreakdown as object[],
    },
    lines: totals.lines.map((l) => ({ id: randomUUID(), invoiceId: id, ...l })),
  };
}

/** One transaction: the number counter, one multi-row INSERT of invoices, one of their lines. */
async function rawInsert(pg: PgClient, rows: ReturnType<typeof invoiceRow>[], y: number, batch: number): Promise<void> {
  const invCols = [
    'id',
    'sourceKey',
    'sourceKind',
    'number',
    'series',
    'year',
    'sequence',
    'customerId',
    'issuedAt',
    'dueDate',
    'totalHtCents',
    'totalVatCents',
    'totalTtcCents',
    'parties',
    'vatBreakdown',
  ] as const;
  const lineCols = ['id', 'invoiceId', 'position', 'description', 'quantity', 'unitPriceCents', 'vatRateBp', 'totalHtCents'] as const;
  const values = (count: number, width: number) =>
    Array.from({ length: count }, (_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`).join(', ');
  const invParams = rows.flatMap((r) =>
    invCols.map((c) => (c === 'parties' || c === 'vatBreakdown' ? JSON.stringify(r.invoice[c]) : r.invoice[c])),
  );
  const lines = rows.flatMap((r) => r.lines);
  const lineParams = lines.flatMap((l) => lineCols.map((c) => l[c]));
  await pg.query('BEGIN');
  try {
    await pg.query(
      `INSERT INTO "NumberSequence" (series, year, next) VALUES ('FA', $1, $2) ON CONFLICT (series, year) DO UPDATE SET next = "NumberSequence".next + $3`,
      [y, batch + 1, batch],
    );
    await pg.query(
      `INSERT INTO "Invoice" (${invCols.map((c) => `"${c}"`).join(', ')}) VALUES ${values(rows.length, invCols.length)}`,
      invParams,
    );
    await pg.query(
      `INSERT INTO "InvoiceLine" (${lineCols.map((c) => `"${c}"`).join(', ')}) VALUES ${values(lines.length, lineCols.length)}`,
      lineParams,
    );
    await pg.query('COMMIT');
  } catch (err) {
    await pg.query('ROLLBACK');
    throw err;
  }
}
