import PDFDocument from 'pdfkit';
import type { BillingDocument, PartyIdentity } from '../../domain/documents';
import { formatEuros, formatRate } from '../../domain/money';

type Pdf = PDFKit.PDFDocument;

/** Page layout shared by every document the system prints (A4, points). */
export const MARGIN = 50;
export const PAGE_WIDTH = 595.28; // A4 in points
export const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
export const FOOTER_HEIGHT = 30;
export const ACCENT = '#1f3a5f';
export const MUTED = '#555555';
export const RULE = '#c8ced6';

const COLUMNS = [
  { title: 'Désignation', width: 235, align: 'left' },
  { title: 'Qté', width: 50, align: 'right' },
  { title: 'PU HT', width: 80, align: 'right' },
  { title: 'TVA', width: 45, align: 'right' },
  { title: 'Total HT', width: CONTENT_WIDTH - 410, align: 'right' },
] as const;

// Characters of the 0x80-0x9F block of WinAnsi (CP1252); with Latin-1 they are all the standard fonts can draw.
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ“”•–—˜™š›œžŸ');
const REPLACEMENTS: Record<string, string> = {
  '\u202f': ' ',
  '\u00a0': ' ',
  '\u2009': ' ',
  '\u2007': ' ',
  '\u2019': "'",
  '\u2018': "'",
  '\u2011': '-',
  '\u2010': '-',
};

/** Maps text to what pdfkit's WinAnsi-encoded standard fonts can draw and a reader can extract cleanly. */
export function safe(text: string): string {
  return [...text]
    .map((ch) => {
      if (ch in REPLACEMENTS) return REPLACEMENTS[ch];
      const code = ch.codePointAt(0)!;
      const latin1 = (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || ch === '\n';
      return latin1 || WIN_ANSI_EXTRA.has(ch) ? ch : '?';
    })
    .join('');
}

const money = (cents: number): string => safe(formatEuros(cents));

/** ISO date -> dd/mm/yyyy; date-times are read in French time so the printed day is the French calendar day. */
function frenchDate(iso: string): string {
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (dateOnly) return `${dateOnly[3]}/${dateOnly[2]}/${dateOnly[1]}`;
  return new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric' }).format(
    new Date(iso),
  );
}

const bottomLimit = (pdf: Pdf): number => pdf.page.height - MARGIN - FOOTER_HEIGHT;

/** Starts a new page when `height` points would not fit above the footer. */
function ensureSpace(pdf: Pdf, height: number): void {
  if (pdf.y + height > bottomLimit(pdf)) pdf.addPage();
}

function partyLines(party: PartyIdentity): string[] {
  return [
    ...party.addressLines,
    ...(party.siren ? [`SIREN : ${party.siren}`] : []),
    ...(party.siret ? [`SIRET : ${party.siret}`] : []),
    ...(party.vatNumber ? [`N° TVA intracommunautaire : ${party.vatNumber}`] : []),
    ...(party.email ? [party.email] : []),
  ];
}

function drawParty(pdf: Pdf, label: string, party: PartyIdentity, x: number, y: number, width: number): number {
  pdf.font('Helvetica-Bold').fontSize(8).fillColor(MUTED).text(safe(label.toUpperCase()), x, y, { width });
  pdf
    .font('Helvetica-Bold')
    .fontSize(11)
    .fillColor('black')
    .text(safe(party.name), x, pdf.y + 3, { width });
  pdf
    .font('Helvetica')
    .fontSize(9)
    .text(safe(partyLines(party).join('\n')), x, pdf.y + 2, { width, lineGap: 1.5 });
  return pdf.y;
}

const TITLES: Record<BillingDocument['kind'], { title: string; label: string; buyer: string }> = {
  invoice: { title: 'FACTURE', label: 'Facture', buyer: 'Client' },
  credit_note: { title: 'AVOIR', label: 'Avoir', buyer: 'Client' },
  quote: { title: 'DEVIS', label: 'Devis', buyer: 'Client' },
  supplier_claim: { title: 'RÉCLAMATION GARANTIE', label: 'Réclamation', buyer: 'Fournisseur' },
};

function drawHeader(pdf: Pdf, doc: BillingDocument): void {
  const { title, label, buyer } = TITLES[doc.kind];
  pdf.font('Helvetica-Bold').fontSize(16).fillColor(ACCENT).text(safe(doc.seller.name), MARGIN, MARGIN, { width: 260 });
  const right = MARGIN + 270;
  const rightWidth = CONTENT_WIDTH - 270;
  pdf
    .font('Helvetica-Bold')
    .fontSize(24)
    .fontSize(title.length > 10 ? 16 : 24)
    .text(safe(title), right, MARGIN - 4, { width: rightWidth, align: 'right' });
  const meta = [
    `${label} n° ${doc.number}`,
    `Date d'émission : ${frenchDate(doc.issuedAt)}`,
    ...(doc.kind === 'invoice' && doc.dueDate ? [`Date d'échéance : ${frenchDate(doc.dueDate)}`] : []),
    ...(doc.validUntil ? [`Valable jusqu'au : ${frenchDate(doc.validUntil)}`] : []),
  ];
  pdf
    .font('Helvetica')
    .fontSize(10)
    .fillColor('black')
    .text(safe(meta.join('\n')), right, pdf.y + 4, { width: rightWidth, align: 'right', lineGap: 2 });

  const top = Math.max(pdf.y, MARGIN + 40) + 20;
  const sellerBottom = drawParty(pdf, 'Émetteur', doc.seller, MARGIN, top, 230);
  const boxX = MARGIN + 260;
  const buyerBottom = drawParty(pdf, buyer, doc.buyer, boxX + 10, top + 8, CONTENT_WIDTH - 280);
  pdf
    .lineWidth(0.8)
    .strokeColor(RULE)
    .roundedRect(boxX, top, CONTENT_WIDTH - 260, buyerBottom - top + 10, 4)
    .stroke();
  pdf.y = Math.max(sellerBottom, buyerBottom + 10) + 18;

  const refs = [
    ...(doc.kind === 'credit_note' && doc.references.invoiceNumber
      ? [`Avoir se rapportant à la facture n° ${doc.references.invoiceNumber}`]
      : []),
    ...(doc.kind === 'credit_note' && doc.reason ? [`Motif : ${doc.reason}`] : []),
    ...(doc.references.orderId ? [`Référence commande : ${doc.references.orderId}`] : []),
    ...(doc.references.customerRef ? [`Votre référence : ${doc.references.customerRef}`] : []),
    ...(doc.details ?? []).map(([k, v]) => `${k} : ${v}`),
  ];
  if (refs.length) {
    pdf
      .font('Helvetica')
      .fontSize(9.5)
      .fillColor('black')
      .text(safe(refs.join('\n')), MARGIN, pdf.y, { width: CONTENT_WIDTH, lineGap: 2 });
    pdf.y += 12;
  }
}

export type TableColumns = readonly { width: number; align: 'left' | 'right' }[];

export const rowHeight = (pdf: Pdf, cells: string[], bold = false, columns: TableColumns = COLUMNS): number => {
  pdf.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
  return Math.max(...cells.map((c, i) => pdf.heightOfString(safe(c), { width: columns[i].width - 8 }))) + 8;
};

/** Draws one table row laid out like `columns` (the invoice lines' by default) at pdf.y and leaves pdf.y below it. */
export function drawRow(
  pdf: Pdf,
  cells: string[],
  opts: { bold?: boolean; fill?: string; color?: string } = {},
  columns: TableColumns = COLUMNS,
): void {
  const height = rowHeight(pdf, cells, opts.bold, columns);
  const y = pdf.y;
  if (opts.fill) pdf.rect(MARGIN, y, CONTENT_WIDTH, height).fill(opts.fill);
  let x = MARGIN;
  cells.forEach((cell, i) => {
    pdf.fillColor(opts.color ?? 'black').text(safe(cell), x + 4, y + 4, { width: columns[i].width - 8, align: columns[i].align });
    x += columns[i].width;
  });
  pdf
    .moveTo(MARGIN, y + height)
    .lineTo(MARGIN + CONTENT_WIDTH, y + height)
    .lineWidth(0.5)
    .strokeColor(RULE)
    .stroke();
  pdf.y = y + height;
}

function drawLines(pdf: Pdf, doc: BillingDocument): void {
  const titles = COLUMNS.map((c) => c.title);
  const header = () => drawRow(pdf, titles, { bold: true, fill: ACCENT, color: 'white' });
  ensureSpace(pdf, 2 * rowHeight(pdf, titles, true));
  header();
  for (const line of doc.lines) {
    const cells = [
      line.description,
      String(line.quantity).replace('.', ','),
      formatEuros(line.unitPriceCents),
      formatRate(line.vatRateBp),
      formatEuros(line.totalHtCents),
    ];
    if (pdf.y + rowHeight(pdf, cells) > bottomLimit(pdf)) {
      pdf.addPage();
      // The column headings are repeated on every page the table flows onto.
      header();
    }
    drawRow(pdf, cells);
  }
}

function drawSummary(pdf: Pdf, doc: BillingDocument): void {
  const rows = doc.vatBreakdown.length;
  ensureSpace(pdf, 20 + 16 * Math.max(rows + 1, 5) + 20);
  const top = pdf.y + 16;
  const vatCols = [
    { x: MARGIN, w: 80 },
    { x: MARGIN + 80, w: 90 },
    { x: MARGIN + 170, w: 80 },
  ];
  pdf.font('Helvetica-Bold').fontSize(10).fillColor(ACCENT).text('Récapitulatif TVA', MARGIN, top);
  const cell = (text: string, col: number, y: number, bold = false) =>
    pdf
      .font(bold ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(9)
      .fillColor('black')
      .text(safe(text), vatCols[col].x, y, { width: vatCols[col].w, align: col === 0 ? 'left' : 'right' });
  let y = top + 16;
  ['Taux', 'Base HT', 'Montant TVA'].forEach((t, i) => cell(t, i, y, true));
  for (const entry of doc.vatBreakdown) {
    y += 15;
    pdf
      .moveTo(MARGIN, y - 3)
      .lineTo(MARGIN + 250, y - 3)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    cell(`TVA ${formatRate(entry.vatRateBp)}`, 0, y);
    cell(formatEuros(entry.baseHtCents), 1, y);
    cell(formatEuros(entry.vatCents), 2, y);
  }

  const totals: [string, number][] = [
    ['Total HT', doc.totalHtCents],
    ['Total TVA', doc.totalVatCents],
    ['Total TTC', doc.totalTtcCents],
  ];
  const boxX = MARGIN + CONTENT_WIDTH - 200;
  let ty = top;
  for (const [label, cents] of totals) {
    const bold = label === 'Total TTC';
    pdf
      .font(bold ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(10)
      .fillColor('black')
      .text(label, boxX + 8, ty, { width: 100 });
    pdf.text(money(cents), boxX + 100, ty, { width: 92, align: 'right' });
    ty += 17;
  }
  if (doc.kind === 'invoice') {
    pdf.rect(boxX, ty - 2, 200, 22).fill(ACCENT);
    pdf
      .font('Helvetica-Bold')
      .fontSize(11)
      .fillColor('white')
      .text('Net à payer', boxX + 8, ty + 4, { width: 100 });
    pdf.text(money(doc.totalTtcCents), boxX + 100, ty + 4, { width: 92, align: 'right' });
    ty += 22;
  }
  pdf.y = Math.max(y + 15, ty) + 20;
}

/** What the reader of a quote or a supplier claim is asked to do. */
const CLOSING_MENTIONS: Partial<Record<BillingDocument['kind'], (doc: BillingDocument) => string[]>> = {
  quote: (doc) => [
    `Devis gratuit, valable jusqu'au ${doc.validUntil ? frenchDate(doc.validUntil) : '-'}.`,
    "Bon pour accord : acceptez ou refusez ce devis par le lien reçu par e-mail. Les travaux commencent après votre accord ; la facture suivra l'intervention.",
  ],
  supplier_claim: () => [
    "Demande de prise en charge au titre de votre garantie fournisseur : pièces au prix d'achat et main-d'œuvre au coût horaire, montants HT.",
    'Merci de nous indiquer votre décision (acceptation totale, partielle ou refus motivé) et le montant accepté, en rappelant le numéro de réclamation.',
  ],
};

function drawPaymentMentions(pdf: Pdf, doc: BillingDocument): void {
  const closing = CLOSING_MENTIONS[doc.kind];
  if (closing) {
    const text = safe(closing(doc).join('\n'));
    pdf.font('Helvetica').fontSize(8.5);
    ensureSpace(pdf, pdf.heightOfString(text, { width: CONTENT_WIDTH, lineGap: 2 }) + 20);
    pdf.font('Helvetica').fontSize(8.5).fillColor(MUTED).text(text, MARGIN, pdf.y, { width: CONTENT_WIDTH, lineGap: 2 });
    return;
  }
  if (doc.kind !== 'invoice') return;
  const days = doc.paymentTermsDays;
  const mentions = [
    days === undefined ? null : days === 0 ? 'Paiement à réception de la facture.' : `Paiement à ${days} jours.`,
    doc.dueDate ? `Date limite de paiement : ${frenchDate(doc.dueDate)}` : null,
    doc.seller.iban ? `IBAN : ${doc.seller.iban}` : null,
    "Pas d'escompte pour paiement anticipé.",
    // Code de commerce L441-10: both mentions are mandatory on invoices to business customers.
    ...(doc.buyerIsBusiness
      ? [
          "Pénalités de retard : trois fois le taux d'intérêt légal, exigibles dès le lendemain de la date d'échéance.",
          'Indemnité forfaitaire pour frais de recouvrement : 40 € (en cas de retard de paiement).',
        ]
      : []),
  ].filter((m): m is string => m !== null);
  const text = safe(mentions.join('\n'));
  pdf.font('Helvetica').fontSize(8.5);
  ensureSpace(pdf, pdf.heightOfString(text, { width: CONTENT_WIDTH, lineGap: 2 }) + 20);
  pdf.font('Helvetica-Bold').fontSize(10).fillColor(ACCENT).text('Conditions de paiement', MARGIN, pdf.y);
  pdf
    .font('Helvetica')
    .fontSize(8.5)
    .fillColor(MUTED)
    .text(text, MARGIN, pdf.y + 4, { width: CONTENT_WIDTH, lineGap: 2 });
}

/** Writes "<label> - Page n / total" at the foot of every page of a multi-page document (bufferPages: true). */
export function drawPageNumbers(pdf: Pdf, label: string): void {
  const { start, count } = pdf.bufferedPageRange();
  if (count < 2) return;
  for (let i = start; i < start + count; i++) {
    pdf.switchToPage(i);
    // Writing inside the bottom margin would make pdfkit add a page, so the margin is lifted while drawing the footer.
    const bottom = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0;
    pdf
      .font('Helvetica')
      .fontSize(8)
      .fillColor(MUTED)
      .text(safe(`${label} - Page ${i - start + 1} / ${count}`), MARGIN, pdf.page.height - MARGIN - 10, {
        width: CONTENT_WIDTH,
        align: 'right',
      });
    pdf.page.margins.bottom = bottom;
  }
}

/** Renders an invoice or credit note as an A4 PDF carrying the French mandatory mentions. */
export function renderBillingPdf(doc: BillingDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pdf = new PDFDocument({
      size: 'A4',
      margin: MARGIN,
      bufferPages: true,
      lang: 'fr-FR',
      // A fixed creation date (and so a fixed file ID) makes the same document render to the same bytes.
      info: { Title: safe(doc.number), Author: safe(doc.seller.name), CreationDate: new Date(doc.issuedAt) },
    });
    const chunks: Buffer[] = [];
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
    try {
      drawHeader(pdf, doc);
      drawLines(pdf, doc);
      drawSummary(pdf, doc);
      drawPaymentMentions(pdf, doc);
      drawPageNumbers(pdf, doc.number);
      pdf.end();
    } catch (err) {
      reject(err);
    }
  });
}
