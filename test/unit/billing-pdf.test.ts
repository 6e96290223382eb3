import { renderBillingPdf } from '../../activities/documents/billing-pdf';
import type { BillingDocument } from '../../domain/documents';
import { computeInvoiceTotals, type LineInput } from '../../domain/invoice';
import { formatEuros } from '../../domain/money';
import { readPdf } from '../helpers/pdf';

/** Amounts as the PDF prints them: the narrow no-break space is drawn as a plain space. */
const euros = (cents: number): string => formatEuros(cents).replace(/\u202f/g, ' ');

const LINES: LineInput[] = [
  { description: 'Pompe à chaleur air/eau 8 kW', quantity: 1, unitPriceCents: 450000, vatRateBp: 550 },
  { description: 'Filtre', quantity: 3, unitPriceCents: 1999, vatRateBp: 2000 },
  { description: 'Main d’œuvre', quantity: 2, unitPriceCents: 6500, vatRateBp: 1000 },
  { description: 'Joint', quantity: 1, unitPriceCents: 333, vatRateBp: 2000 },
];

function invoice(overrides: Partial<BillingDocument> = {}, lines: LineInput[] = LINES): BillingDocument {
  return {
    kind: 'invoice',
    number: 'FA-2026-000001',
    issuedAt: '2026-11-22T10:00:00.000Z',
    dueDate: '2026-12-22',
    seller: {
      name: 'Thermo Services SAS',
      addressLines: ['12 rue de la République', '69002 Lyon'],
      siren: '123456789',
      siret: '12345678900012',
      vatNumber: 'FR12123456789',
      iban: 'FR76 3000 6000 0112 3456 7890 189',
    },
    buyer: {
      name: 'Boulangerie Martin SARL',
      addressLines: ['3 place du Marché', '38000 Grenoble'],
      siren: '987654321',
      siret: '98765432100021',
      vatNumber: 'FR45987654321',
    },
    buyerIsBusiness: true,
    ...computeInvoiceTotals(lines),
    references: { orderId: 'CMD-2026-0042', customerRef: 'PO-7781' },
    paymentTermsDays: 30,
    ...overrides,
  };
}

const textOf = async (doc: BillingDocument) => readPdf(await renderBillingPdf(doc));

describe('billing PDF', () => {
  it('shows the number, dates and the identity of both parties', async () => {
    const { text } = await textOf(invoice());
    for (const mention of [
      'FACTURE',
      'Facture n° FA-2026-000001',
      "Date d'émission : 22/11/2026",
      "Date d'échéance : 22/12/2026",
      'Thermo Services SAS',
      'SIREN : 123456789',
      'SIRET : 12345678900012',
      'N° TVA intracommunautaire : FR12123456789',
      'Boulangerie Martin SARL',
      'SIREN : 987654321',
      'SIRET : 98765432100021',
      'N° TVA intracommunautaire : FR45987654321',
      'Référence commande : CMD-2026-0042',
      'Votre référence : PO-7781',
    ]) {
      expect(text).toContain(mention);
    }
  });

  it('lists every line and draws typographic characters as extractable text', async () => {
    const { text } = await textOf(invoice());
    for (const heading of ['Désignation', 'Qté', 'PU HT', 'TVA', 'Total HT']) expect(text).toContain(heading);
    expect(text).toContain("Main d'œuvre");
    expect(text).toContain(euros(450000));
    expect(text).toContain('5,5 %');
    expect(text).not.toMatch(/[\u202f\u2019]/);
  });

  it('shows the VAT per rate with its base and amount, and totals that agree', async () => {
    const doc = invoice();
    const { text } = await textOf(doc);
    expect(text).toContain('Récapitulatif TVA');
    expect(doc.vatBreakdown).toHaveLength(3);
    for (const [rate, entry] of [
      ['20 %', doc.vatBreakdown[0]],
      ['10 %', doc.vatBreakdown[1]],
      ['5,5 %', doc.vatBreakdown[2]],
    ] as const) {
      // One printed row reads rate, base, then VAT.
      expect(text).toContain(`TVA ${rate} ${euros(entry.baseHtCents)} ${euros(entry.vatCents)}`);
    }
    expect(text).toContain(`Total HT ${euros(469330)}`);
    expect(text).toContain(`Total TVA ${euros(27316)}`);
    expect(text).toContain(`Total TTC ${euros(496646)}`);
    expect(text).toContain(`Net à payer ${euros(496646)}`);
  });

  it('gives a business buyer the payment terms, late-payment penalty and 40 € recovery indemnity', async () => {
    const { text } = await textOf(invoice());
    expect(text).toContain('Paiement à 30 jours');
    expect(text).toContain('IBAN : FR76 3000 6000 0112 3456 7890 189');
    expect(text).toContain("Pas d'escompte pour paiement anticipé.");
    expect(text).toContain("Pénalités de retard : trois fois le taux d'intérêt légal");
    expect(text).toContain('Indemnité forfaitaire pour frais de recouvrement : 40 €');
  });

  it('leaves the business-only penalty and indemnity mentions off a consumer invoice', async () => {
    const doc = invoice({
      buyerIsBusiness: false,
      buyer: { name: 'Jeanne Dupont', addressLines: ['8 allée des Tilleuls', '38100 Grenoble'] },
    });
    const { text } = await textOf(doc);
    expect(text).toContain('Jeanne Dupont');
    expect(text).toContain("Pas d'escompte pour paiement anticipé.");
    expect(text).not.toContain('Pénalités de retard');
    expect(text).not.toContain('Indemnité forfaitaire');
  });

  it('renders a credit note that references the invoice it corrects, without payment mentions', async () => {
    const credit = invoice(
      {
        kind: 'credit_note',
        number: 'AV-2026-000001',
        dueDate: undefined,
        references: { invoiceNumber: 'FA-2026-000001' },
        reason: 'Filtre facturé en double',
      },
      [LINES[1]],
    );
    const { text } = await textOf(credit);
    expect(text).toContain('AVOIR');
    expect(text).toContain('Avoir n° AV-2026-000001');
    expect(text).toContain('Avoir se rapportant à la facture n° FA-2026-000001');
    expect(text).toContain('Filtre facturé en double');
    expect(text).toContain(`Total TTC ${euros(credit.totalTtcCents)}`);
    expect(text).not.toContain('FACTURE');
    expect(text).not.toContain("Date d'échéance");
    expect(text).not.toContain('Net à payer');
    expect(text).not.toContain('Pénalités de retard');
  });

  it('flows a long line table onto numbered extra pages', async () => {
    const lines = Array.from({ length: 80 }, (_, i) => ({ ...LINES[i % LINES.length], description: `Prestation ${i + 1} - forfait` }));
    const result = await textOf(invoice({}, lines));
    expect(result.pages).toBeGreaterThan(1);
    for (let i = 1; i <= 80; i++) expect(result.text).toContain(`Prestation ${i} - forfait`);
    expect(result.text).toContain(`Page 1 / ${result.pages}`);
    expect(result.text).toContain(`Page ${result.pages} / ${result.pages}`);
    expect(result.text).toContain(`Total TTC ${euros(computeInvoiceTotals(lines).totalTtcCents)}`);
  });

  it('renders the same document to identical bytes with its number, seller and issue date as metadata', async () => {
    const doc = invoice();
    const [a, b] = await Promise.all([renderBillingPdf(doc), renderBillingPdf(doc)]);
    expect(a.subarray(0, 5).toString()).toBe('%PDF-');
    expect(a.equals(b)).toBe(true);
    const { info } = await readPdf(a);
    expect(info.title).toBe('FA-2026-000001');
    expect(info.author).toBe('Thermo Services SAS');
    expect(info.creationDate).toMatch(/^2026-11-22T10:00:00/);
  });
});
