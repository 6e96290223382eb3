import { renderFieldReportPdf } from '../../activities/documents/field-report-pdf';
import type { FieldReportDocument } from '../../domain/field-report';
import { readPdf } from '../helpers/pdf';

const ID = '3f2a9c1e-7b4d-4e2a-9f61-0c8d5e7a1b23';

/** A charged breakdown with parts, closed on a winter morning (Paris is UTC+1). */
function report(overrides: Partial<FieldReportDocument> = {}): FieldReportDocument {
  return {
    interventionId: ID,
    type: 'breakdown',
    priority: 'high',
    company: { name: 'Thermo Services SAS', addressLines: ['12 rue de la République', '69002 Lyon'], siret: '12345678900012' },
    customer: { name: 'Boulangerie Martin SARL' },
    site: { name: 'Boulangerie Martin - fournil', addressLines: ['3 place du Marché', '38000 Grenoble'] },
    equipment: { label: 'Pompe à chaleur air/eau 8 kW', serialNumber: 'PAC-8K-00042' },
    technician: { name: 'Karim Benali' },
    description: 'Plus de chauffage depuis ce matin, code erreur E21.',
    appointment: { start: '2026-11-22T08:00:00.000Z', end: '2026-11-22T10:00:00.000Z' },
    checkedInAt: '2026-11-22T08:05:00.000Z',
    completedAt: '2026-11-22T10:35:00.000Z',
    workDone: 'Remplacement du filtre encrassé.\nPurge du circuit et contrôle de la pression.',
    labourMinutes: 90,
    travelMinutes: 45,
    parts: [
      { sku: 'FLT-200', description: 'Filtre à tamis', quantity: 2 },
      { sku: 'JNT-12', description: 'Joint torique 12 mm', quantity: 1 },
    ],
    slaDeadline: '2026-11-22T12:00:00.000Z',
    slaBreached: false,
    signedBy: 'Paul Martin',
    signedAt: '2026-11-22T10:40:00.000Z',
    billing: 'charged',
    coverage: null,
    ...overrides,
  };
}

const read = async (doc: FieldReportDocument) => readPdf(await renderFieldReportPdf(doc));

describe('field intervention report PDF', () => {
  it('shows a charged breakdown with its parties, dates in Paris time, work, time spent, parts, SLA, billing and sign-off', async () => {
    const { text, pages } = await read(report());
    expect(pages).toBe(1);
    for (const mention of [
      "RAPPORT D'INTERVENTION",
      `Intervention n° ${ID}`,
      'Type : Dépannage',
      'Priorité : Haute',
      'Thermo Services SAS',
      '12 rue de la République',
      'SIRET : 12345678900012',
      'Boulangerie Martin SARL',
      'Boulangerie Martin - fournil',
      '38000 Grenoble',
      'Équipement : Pompe à chaleur air/eau 8 kW - N° de série : PAC-8K-00042',
      'Technicien : Karim Benali',
      'Demande',
      'Plus de chauffage depuis ce matin, code erreur E21.',
      'Rendez-vous : 22/11/2026 09:00 - 22/11/2026 11:00',
      'Arrivée : 22/11/2026 09:05',
      "Fin d'intervention : 22/11/2026 11:35",
      'Travaux réalisés',
      'Remplacement du filtre encrassé.',
      'Purge du circuit et contrôle de la pression.',
      "Main d'œuvre : 1 h 30",
      'Déplacement : 0 h 45',
      'Référence Désignation Qté',
      'FLT-200 Filtre à tamis 2',
      'JNT-12 Joint torique 12 mm 1',
      'Délai contractuel respecté (échéance : 22/11/2026 13:00)',
      'Intervention facturée : la facture suit par email',
      'Validé par Paul Martin le 22/11/2026 à 11:40',
    ]) {
      expect(text).toContain(mention);
    }
    expect(text).not.toContain('Aucune pièce utilisée');
    expect(text).not.toContain('aucun montant à payer');
    // No page footer on a one-page report.
    expect(text).not.toContain('Page 1 / 1');
  });

  it('tells the customer a contract-covered preventive visit without parts costs nothing', async () => {
    const { text } = await read(
      report({
        type: 'preventive_visit',
        priority: 'low',
        equipment: null,
        appointment: null,
        checkedInAt: null,
        // Summer time: Paris is UTC+2.
        completedAt: '2026-06-15T07:30:00.000Z',
        signedAt: '2026-06-15T07:32:00.000Z',
        parts: [],
        slaDeadline: null,
        billing: 'covered',
        coverage: { kind: 'contract', reference: 'CTR-2026-0012' },
      }),
    );
    expect(text).toContain('Type : Visite préventive');
    expect(text).toContain('Priorité : Basse');
    expect(text).toContain('Aucune pièce utilisée');
    expect(text).toContain('Intervention couverte par contrat CTR-2026-0012 : aucun montant à payer');
    expect(text).toContain("Fin d'intervention : 15/06/2026 09:30");
    expect(text).toContain('Validé par Paul Martin le 15/06/2026 à 09:32');
    for (const absent of ['Équipement', 'Rendez-vous', 'Arrivée', 'Délai contractuel', 'Désignation', 'facture']) {
      expect(text).not.toContain(absent);
    }
  });

  it('names the warranty covering a repair and the monthly invoice for a monthly-billed customer', async () => {
    const warranty = await read(report({ billing: 'covered', coverage: { kind: 'warranty', reference: 'GAR-2025-0420' } }));
    expect(warranty.text).toContain('Intervention couverte par la garantie GAR-2025-0420 : aucun montant à payer');
    const monthly = await read(report({ billing: 'monthly', type: 'installation', priority: 'normal' }));
    expect(monthly.text).toContain('Intervention facturée sur la facture mensuelle');
    expect(monthly.text).toContain('Type : Installation');
    expect(monthly.text).toContain('Priorité : Normale');
    const inspection = await read(report({ type: 'inspection', priority: 'critical' }));
    expect(inspection.text).toContain('Type : Inspection');
    expect(inspection.text).toContain('Priorité : Critique');
  });

  it('states when the contractual deadline was missed, with the deadline', async () => {
    const { text } = await read(report({ slaBreached: true, slaDeadline: '2026-11-22T09:00:00.000Z' }));
    expect(text).toContain('Délai contractuel dépassé (échéance : 22/11/2026 10:00)');
    expect(text).not.toContain('Délai contractuel respecté');
  });

  it('flows a long work description and 40 parts over numbered pages, repeating the table headings', async () => {
    const workDone = Array.from({ length: 60 }, (_, i) => `Étape ${i + 1} : contrôle et réglage du circuit`).join('\r\n');
    const parts = Array.from({ length: 40 }, (_, i) => ({
      sku: `PCE-${String(i + 1).padStart(3, '0')}`,
      description: `Pièce détachée ${i + 1}`,
      quantity: i + 1,
    }));
    const { text, pages } = await read(report({ workDone, parts }));
    expect(pages).toBeGreaterThan(2);
    for (let i = 1; i <= 60; i++) expect(text).toContain(`Étape ${i} : contrôle et réglage du circuit`);
    for (let i = 1; i <= 40; i++) expect(text).toContain(`PCE-${String(i).padStart(3, '0')} Pièce détachée ${i} ${i}`);
    expect(text.split('Référence Désignation Qté').length - 1).toBeGreaterThan(1);
    for (let page = 1; page <= pages; page++) expect(text).toContain(`Intervention ${ID} - Page ${page} / ${pages}`);
    // The sign-off still closes the report, on its last page.
    expect(
      text
        .split('\f')
        .filter((p) => p.trim())
        .at(-1),
    ).toContain('Validé par Paul Martin');
  });

  it('renders the same report to identical bytes', async () => {
    const doc = report();
    const [a, b] = await Promise.all([renderFieldReportPdf(doc), renderFieldReportPdf(doc)]);
    expect(a.subarray(0, 5).toString()).toBe('%PDF-');
    expect(a.equals(b)).toBe(true);
  });

  it('carries the intervention as title, the company as author and the completion time as creation date', async () => {
    const { info } = await read(report());
    expect(info.title).toBe(`Rapport d'intervention ${ID}`);
    expect(info.author).toBe('Thermo Services SAS');
    expect(info.creationDate).toMatch(/^2026-11-22T10:35:00/);
  });
});
