import PDFDocument from 'pdfkit';
import type { FieldReportDocument } from '../../domain/field-report';
import { ACCENT, CONTENT_WIDTH, FOOTER_HEIGHT, MARGIN, MUTED, RULE, drawPageNumbers, drawRow, rowHeight, safe } from './billing-pdf';

type Pdf = PDFKit.PDFDocument;

const TYPES: Record<FieldReportDocument['type'], string> = {
  breakdown: 'Dépannage',
  installation: 'Installation',
  preventive_visit: 'Visite préventive',
  inspection: 'Inspection',
};
const PRIORITIES: Record<FieldReportDocument['priority'], string> = {
  critical: 'Critique',
  high: 'Haute',
  normal: 'Normale',
  low: 'Basse',
};

const PART_COLUMNS = [
  { title: 'Référence', width: 130, align: 'left' },
  { title: 'Désignation', width: CONTENT_WIDTH - 190, align: 'left' },
  { title: 'Qté', width: 60, align: 'right' },
] as const;

const PARIS = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' });

/** ISO instant -> "dd/mm/yyyy HH:MM" in French time, assembled from parts so the ICU version cannot change the layout. */
function frenchDateTime(iso: string, separator = ' '): string {
  const part = Object.fromEntries(PARIS.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${part.day}/${part.month}/${part.year}${separator}${part.hour}:${part.minute}`;
}

/** 90 -> "1 h 30". */
function duration(minutes: number): string {
  const total = Math.max(0, Math.round(minutes));
  return `${Math.floor(total / 60)} h ${String(total % 60).padStart(2, '0')}`;
}

/** Free text typed on a phone: normalised line breaks and tabs, then made drawable. */
const freeText = (text: string): string => safe(text.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').trimEnd());

const bottomLimit = (pdf: Pdf): number => pdf.page.height - pdf.page.margins.bottom;

/** Starts a new page when `height` points would not fit above the footer. */
function ensureSpace(pdf: Pdf, height: number): void {
  if (pdf.y + height > bottomLimit(pdf)) pdf.addPage();
}

/** A section title, kept on the same page as at least `following` points of its content. */
function heading(pdf: Pdf, title: string, following = 30): void {
  ensureSpace(pdf, 24 + following);
  pdf
    .font('Helvetica-Bold')
    .fontSize(11)
    .fillColor(ACCENT)
    .text(safe(title), MARGIN, pdf.y + 12, { width: CONTENT_WIDTH });
  const y = pdf.y + 1;
  pdf
    .moveTo(MARGIN, y)
    .lineTo(MARGIN + CONTENT_WIDTH, y)
    .lineWidth(0.5)
    .strokeColor(RULE)
    .stroke();
  pdf.y = y + 5;
}

/** Body text across the full width; long text flows onto new pages by itself. */
function paragraph(pdf: Pdf, text: string, bold = false): void {
  pdf
    .font(bold ? 'Helvetica-Bold' : 'Helvetica')
    .fontSize(9.5)
    .fillColor('black')
    .text(text, MARGIN, pdf.y, { width: CONTENT_WIDTH, lineGap: 2 });
}

function drawBlock(pdf: Pdf, label: string, name: string, lines: string[], x: number, y: number, width: number): number {
  pdf.font('Helvetica-Bold').fontSize(8).fillColor(MUTED).text(safe(label.toUpperCase()), x, y, { width });
  pdf
    .font('Helvetica-Bold')
    .fontSize(11)
    .fillColor('black')
    .text(safe(name), x, pdf.y + 3, { width });
  if (lines.length)
    pdf
      .font('Helvetica')
      .fontSize(9)
      .text(safe(lines.join('\n')), x, pdf.y + 2, { width, lineGap: 1.5 });
  return pdf.y;
}

function drawHeader(pdf: Pdf, doc: FieldReportDocument): void {
  const company = [...doc.company.addressLines, ...(doc.company.siret ? [`SIRET : ${doc.company.siret}`] : [])];
  const companyBottom = drawBlock(pdf, 'Intervenant', doc.company.name, company, MARGIN, MARGIN, 220);
  const right = MARGIN + 230;
  const rightWidth = CONTENT_WIDTH - 230;
  pdf
    .font('Helvetica-Bold')
    .fontSize(16)
    .fillColor(ACCENT)
    .text("RAPPORT D'INTERVENTION", right, MARGIN, { width: rightWidth, align: 'right' });
  const meta = [`Intervention n° ${doc.interventionId}`, `Type : ${TYPES[doc.type]}`, `Priorité : ${PRIORITIES[doc.priority]}`];
  pdf
    .font('Helvetica')
    .fontSize(9.5)
    .fillColor('black')
    .text(safe(meta.join('\n')), right, pdf.y + 4, { width: rightWidth, align: 'right', lineGap: 2 });

  const top = Math.max(companyBottom, pdf.y) + 20;
  const customerBottom = drawBlock(pdf, 'Client', doc.customer.name, [], MARGIN, top, 230);
  const boxX = MARGIN + 260;
  const siteBottom = drawBlock(pdf, "Site d'intervention", doc.site.name, doc.site.addressLines, boxX + 10, top + 8, CONTENT_WIDTH - 280);
  pdf
    .lineWidth(0.8)
    .strokeColor(RULE)
    .roundedRect(boxX, top, CONTENT_WIDTH - 260, siteBottom - top + 10, 4)
    .stroke();
  pdf.y = Math.max(customerBottom, siteBottom + 10) + 8;

  const serial = doc.equipment?.serialNumber ? ` - N° de série : ${doc.equipment.serialNumber}` : '';
  const details = [...(doc.equipment ? [`Équipement : ${doc.equipment.label}${serial}`] : []), `Technicien : ${doc.technician.name}`];
  paragraph(pdf, safe(details.join('\n')));
}

function drawParts(pdf: Pdf, doc: FieldReportDocument): void {
  const titles = PART_COLUMNS.map((c) => c.title);
  heading(pdf, 'Pièces utilisées', 2 * rowHeight(pdf, titles, true, PART_COLUMNS));
  if (!doc.parts.length) return paragraph(pdf, 'Aucune pièce utilisée');
  const header = () => drawRow(pdf, titles, { bold: true, fill: ACCENT, color: 'white' }, PART_COLUMNS);
  header();
  for (const part of doc.parts) {
    const cells = [part.sku, part.description, String(part.quantity).replace('.', ',')];
    if (pdf.y + rowHeight(pdf, cells, false, PART_COLUMNS) > bottomLimit(pdf)) {
      pdf.addPage();
      // The column headings are repeated on every page the table flows onto.
      header();
    }
    drawRow(pdf, cells, {}, PART_COLUMNS);
  }
}

function billingLine(doc: FieldReportDocument): string {
  if (doc.billing === 'charged') return 'Intervention facturée : la facture suit par email';
  if (doc.billing === 'monthly') return 'Intervention facturée sur la facture mensuelle';
  const coverage = doc.coverage;
  if (!coverage) return 'Intervention couverte par contrat ou garantie : aucun montant à payer';
  return coverage.kind === 'contract'
    ? `Intervention couverte par contrat ${coverage.reference} : aucun montant à payer`
    : `Intervention couverte par la garantie ${coverage.reference} : aucun montant à payer`;
}

function drawBody(pdf: Pdf, doc: FieldReportDocument): void {
  heading(pdf, 'Demande');
  paragraph(pdf, freeText(doc.description));

  const dates = [
    ...(doc.appointment ? [`Rendez-vous : ${frenchDateTime(doc.appointment.start)} - ${frenchDateTime(doc.appointment.end)}`] : []),
    ...(doc.checkedInAt ? [`Arrivée : ${frenchDateTime(doc.checkedInAt)}`] : []),
    `Fin d'intervention : ${frenchDateTime(doc.completedAt)}`,
  ];
  heading(pdf, 'Dates', 14 * dates.length);
  paragraph(pdf, safe(dates.join('\n')));

  heading(pdf, 'Travaux réalisés');
  paragraph(pdf, freeText(doc.workDone));

  heading(pdf, 'Temps passé');
  paragraph(pdf, safe(`Main d'œuvre : ${duration(doc.labourMinutes)}\nDéplacement : ${duration(doc.travelMinutes)}`));

  drawParts(pdf, doc);

  heading(pdf, 'Délai et facturation');
  const deadline = doc.slaDeadline ? ` (échéance : ${frenchDateTime(doc.slaDeadline)})` : '';
  if (doc.slaBreached) paragraph(pdf, safe(`Délai contractuel dépassé${deadline}`), true);
  else if (doc.slaDeadline) paragraph(pdf, safe(`Délai contractuel respecté${deadline}`));
  paragraph(pdf, safe(billingLine(doc)));

  heading(pdf, 'Validation client', 40);
  const top = pdf.y + 4;
  const text = safe(`Validé par ${doc.signedBy} le ${frenchDateTime(doc.signedAt, ' à ')}`);
  pdf
    .font('Helvetica-Bold')
    .fontSize(10)
    .fillColor('black')
    .text(text, MARGIN + 10, top + 10, { width: CONTENT_WIDTH - 20 });
  pdf
    .lineWidth(0.8)
    .strokeColor(RULE)
    .roundedRect(MARGIN, top, CONTENT_WIDTH, pdf.y - top + 10, 4)
    .stroke();
  pdf.y += 10;
}

/** Renders the intervention report the customer receives when a field job closes, as an A4 PDF in French. */
export function renderFieldReportPdf(doc: FieldReportDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pdf = new PDFDocument({
      size: 'A4',
      // The bottom margin keeps text that flows by itself (long work descriptions) clear of the page-number footer.
      margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER_HEIGHT },
      bufferPages: true,
      lang: 'fr-FR',
      // A fixed creation date (and so a fixed file ID) makes the same document render to the same bytes.
      info: {
        Title: safe(`Rapport d'intervention ${doc.interventionId}`),
        Author: safe(doc.company.name),
        CreationDate: new Date(doc.completedAt),
      },
    });
    const chunks: Buffer[] = [];
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
    try {
      drawHeader(pdf, doc);
      drawBody(pdf, doc);
      drawPageNumbers(pdf, `Intervention ${doc.interventionId}`);
      pdf.end();
    } catch (err) {
      reject(err);
    }
  });
}
