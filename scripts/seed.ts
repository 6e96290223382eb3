// Loads a French demo data set through the HTTP API of a running system, then starts a few
// processes of each kind, so the Temporal UI and the inbox show a living back office.
// Usage: npm run seed (API at PUBLIC_URL, else http://127.0.0.1:API_PORT; admin key from
// BACKOFFICE_API_KEY, else data/admin-api-key). Running it again creates no duplicates.
import fs from 'node:fs';
import path from 'node:path';

export interface SeedOptions {
  baseUrl: string;
  apiKey: string;
}

interface DemoCustomer extends Record<string, unknown> {
  key: string;
  legalName: string;
  billingEmail: string;
  addressLine: string;
  postalCode: string;
  city: string;
  /** Where field jobs happen; its sector is where the dispatch looks for a technician. */
  site?: { name: string; sector: string };
}

const customers: DemoCustomer[] = [
  {
    key: 'martin',
    legalName: 'Boulangerie Martin SARL',
    siren: '552100554',
    siret: '55210055400013',
    vatNumber: 'FR96552100554',
    billingEmail: 'compta@boulangerie-martin.example',
    addressLine: '3 place du Marché',
    postalCode: '38000',
    city: 'Grenoble',
    creditLimitCents: 5_000_000,
    site: { name: 'Fournil Martin', sector: 'grenoble' },
  },
  {
    key: 'alpes-habitat',
    legalName: 'Syndic Alpes Habitat SAS',
    siren: '418526173',
    siret: '41852617300027',
    vatNumber: 'FR55418526173',
    billingEmail: 'factures@alpes-habitat.example',
    addressLine: '12 avenue des Tilleuls',
    postalCode: '69003',
    city: 'Lyon',
    creditLimitCents: 8_000_000,
    paymentTermsDays: 45,
    // The month's field jobs on one invoice.
    interventionBilling: 'monthly',
    site: { name: 'Résidence Les Tilleuls, chaufferie', sector: 'lyon' },
  },
  {
    key: 'hotel-du-lac',
    legalName: 'Hôtel du Lac SAS',
    siren: '803621947',
    siret: '80362194700019',
    vatNumber: 'FR14803621947',
    billingEmail: 'direction@hoteldulac.example',
    addressLine: '1 quai Napoléon III',
    postalCode: '74000',
    city: 'Annecy',
    creditLimitCents: 3_000_000,
    site: { name: 'Hôtel du Lac, local technique', sector: 'annecy' },
  },
  {
    key: 'pharmacie',
    legalName: 'Pharmacie Centrale SELARL',
    siren: '519842630',
    siret: '51984263000015',
    vatNumber: 'FR23519842630',
    billingEmail: 'pharmacie.centrale@officine.example',
    addressLine: '8 rue de la République',
    postalCode: '73000',
    city: 'Chambéry',
    // Small on purpose: its order waits for the credit controller.
    creditLimitCents: 100_000,
  },
  {
    key: 'dupuis',
    legalName: 'M. Jean Dupuis',
    billingEmail: 'jean.dupuis@particulier.example',
    addressLine: '27 chemin des Vignes',
    postalCode: '38240',
    city: 'Meylan',
    isBusiness: false,
    paymentTermsDays: 0,
    creditLimitCents: 300_000,
  },
];

const products = [
  {
    sku: 'PAC-8KW',
    name: 'Pompe à chaleur air/eau 8 kW',
    unitPriceCents: 450_000,
    vatRateBp: 550,
    purchaseCostCents: 310_000,
    warrantyMonths: 36,
    stock: 6,
  },
  {
    sku: 'CHAUD-GAZ-24',
    name: 'Chaudière gaz à condensation 24 kW',
    unitPriceCents: 289_000,
    vatRateBp: 1000,
    purchaseCostCents: 190_000,
    warrantyMonths: 24,
    stock: 1,
  },
  {
    sku: 'CIRC-25-60',
    name: 'Circulateur Grundfos Alpha2 25-60',
    unitPriceCents: 18_900,
    vatRateBp: 2000,
    purchaseCostCents: 11_500,
    stock: 20,
  },
  { sku: 'VANNE-3V', name: 'Vanne 3 voies motorisée', unitPriceCents: 8_900, vatRateBp: 2000, purchaseCostCents: 5_200, stock: 15 },
  { sku: 'FILTRE-CLIM', name: 'Filtre de climatisation', unitPriceCents: 2_450, vatRateBp: 2000, wearPart: true, stock: 40 },
  { sku: 'MES-PAC', name: 'Mise en service pompe à chaleur', unitPriceCents: 18_000, vatRateBp: 1000, stocked: false },
  { sku: 'ENTRETIEN-CHAUD', name: 'Entretien annuel chaudière', unitPriceCents: 12_000, vatRateBp: 1000, stocked: false },
  { sku: 'DEPLACEMENT', name: 'Forfait déplacement', unitPriceCents: 4_500, vatRateBp: 2000, stocked: false },
];

const vanStock = { 'CIRC-25-60': 2, 'VANNE-3V': 3, 'FILTRE-CLIM': 6 };
const technicians = [
  { name: 'Karim Benali', email: 'karim.benali@backoffice.local', skills: ['heating', 'heat_pump'], sector: 'grenoble' },
  { name: 'Sophie Marchand', email: 'sophie.marchand@backoffice.local', skills: ['heating', 'plumbing'], sector: 'lyon' },
  { name: 'Lucas Fontaine', email: 'lucas.fontaine@backoffice.local', skills: ['air_conditioning', 'heat_pump'], sector: 'annecy' },
];

const orders: { key: string; customer: string; what: string; customerRef?: string; lines: { sku: string; quantity: number }[] }[] = [
  {
    key: 'seed-order-martin-pac',
    customer: 'martin',
    what: 'heat pump and commissioning: awaits shipment',
    customerRef: 'BC-2026-114',
    lines: [
      { sku: 'PAC-8KW', quantity: 1 },
      { sku: 'MES-PAC', quantity: 1 },
    ],
  },
  {
    key: 'seed-order-dupuis-entretien',
    customer: 'dupuis',
    what: 'services only: invoiced and emailed at once',
    lines: [
      { sku: 'ENTRETIEN-CHAUD', quantity: 1 },
      { sku: 'DEPLACEMENT', quantity: 1 },
    ],
  },
  {
    key: 'seed-order-pharmacie-pac',
    customer: 'pharmacie',
    what: 'over the credit limit: waits for the credit controller',
    customerRef: 'CMD-0457',
    lines: [{ sku: 'PAC-8KW', quantity: 1 }],
  },
  {
    key: 'seed-order-alpes-chaudieres',
    customer: 'alpes-habitat',
    what: 'two boilers, one in stock: waits for stock',
    customerRef: 'OS-2026-031',
    lines: [{ sku: 'CHAUD-GAZ-24', quantity: 2 }],
  },
];

const interventions: { key: string; customer: string; what: string; body: Record<string, unknown> }[] = [
  {
    key: 'seed-intervention-tilleuls-panne',
    customer: 'alpes-habitat',
    what: 'breakdown: dispatched to the Lyon technician',
    body: {
      type: 'breakdown',
      priority: 'high',
      description: 'Plus de chauffage ni d’eau chaude dans le bâtiment B depuis ce matin.',
      requiredSkills: ['heating'],
      durationMinutes: 120,
    },
  },
  {
    key: 'seed-intervention-hotel-visite',
    customer: 'hotel-du-lac',
    what: 'preventive visit covered by contract CT-2026-0042: not charged',
    body: {
      type: 'preventive_visit',
      priority: 'low',
      description: 'Visite préventive annuelle de la climatisation (filtres, fluide, contrôle étanchéité).',
      requiredSkills: ['air_conditioning'],
      durationMinutes: 90,
      coverage: { kind: 'contract', reference: 'CT-2026-0042' },
    },
  },
];

const supplier = { name: 'Thermatec Distribution', claimsEmail: 'garantie@thermatec.example', city: 'Vénissieux', postalCode: '69200' };

/** The installed base: a heat pump under warranty (bought from the supplier) and a boiler long out of it. */
const equipment = [
  {
    customer: 'hotel-du-lac',
    serialNumber: 'PAC8-2026-001873',
    model: 'Pompe à chaleur air/eau 8 kW',
    sku: 'PAC-8KW',
    fromSupplier: true,
    installedMonthsAgo: 10,
    configuration: [
      { label: 'Circulateur', sku: 'CIRC-25-60', serial: 'CIRC-77120' },
      { label: 'Vanne 3 voies', sku: 'VANNE-3V', serial: 'V3V-2291' },
    ],
  },
  {
    customer: 'martin',
    serialNumber: 'CHG24-2017-000412',
    model: 'Chaudière gaz à condensation 24 kW',
    sku: 'CHAUD-GAZ-24',
    fromSupplier: false,
    installedMonthsAgo: 110,
    configuration: [{ label: 'Vanne 3 voies', sku: 'VANNE-3V' }],
  },
];

const claims: { key: string; customer: string; serialNumber: string; what: string; body: Record<string, unknown> }[] = [
  {
    key: 'seed-claim-hotel-pac',
    customer: 'hotel-du-lac',
    serialNumber: 'PAC8-2026-001873',
    what: 'under the manufacturer warranty: repair dispatched at no charge, then claimed back from the supplier',
    body: {
      fault: 'La pompe à chaleur se met en sécurité haute pression plusieurs fois par jour.',
      requiredSkills: ['heat_pump'],
      estimate: { labourMinutes: 60, parts: [{ sku: 'CIRC-25-60', quantity: 1 }] },
    },
  },
  {
    key: 'seed-claim-martin-chaudiere',
    customer: 'martin',
    serialNumber: 'CHG24-2017-000412',
    what: 'out of warranty: the warranty manager may grant goodwill, else the customer gets a quote',
    body: {
      fault: 'Chaudière en sécurité, la vanne 3 voies reste bloquée.',
      requiredSkills: ['heating'],
      estimate: { labourMinutes: 90, parts: [{ sku: 'VANNE-3V', quantity: 1 }] },
    },
  },
];

/** Creates the demo data set and its processes; returns what was created or already there. */
export async function seed({ baseUrl, apiKey }: SeedOptions) {
  async function call<T = any>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const res = await fetch(baseUrl + url, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json().catch(() => ({}))) as any;
    if (!res.ok)
      throw new Error(
        `${method} ${url}: ${res.status} ${json.detail ?? res.statusText}${json.errors ? ` ${JSON.stringify(json.errors)}` : ''}`,
      );
    return json as T;
  }
  async function listAll<T>(url: string): Promise<T[]> {
    const items: T[] = [];
    for (let cursor: string | null = null; ; ) {
      const page: { items: T[]; nextCursor: string | null } = await call('GET', `${url}?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      items.push(...page.items);
      if (!(cursor = page.nextCursor)) return items;
    }
  }

  const health = await fetch(`${baseUrl}/health`).catch(() => undefined);
  if (!health?.ok) throw new Error(`The API at ${baseUrl} is not up and healthy: start it with npm run dev`);

  const summary = {
    customers: [] as { name: string; id: string; created: boolean }[],
    products: [] as { sku: string; id: string; created: boolean }[],
    technicians: [] as { name: string; id: string; created: boolean }[],
    sites: [] as { name: string; id: string }[],
    orders: [] as { orderId: string; workflowId: string; what: string }[],
    interventions: [] as { interventionId: string; workflowId: string; what: string }[],
    equipment: [] as { serialNumber: string; id: string; created: boolean }[],
    contracts: [] as { contractId: string; workflowId: string; what: string }[],
    claims: [] as { claimId: string; workflowId: string; what: string }[],
  };

  // Customers (by billing email) and their site.
  const customerIds = new Map<string, string>();
  const siteIds = new Map<string, string>();
  for (const { key, site, ...customer } of customers) {
    const found = (
      await call<{ items: { id: string; billingEmail: string }[] }>(
        'GET',
        `/customers?limit=200&q=${encodeURIComponent(customer.legalName)}`,
      )
    ).items.find((c) => c.billingEmail === customer.billingEmail);
    const id = found?.id ?? (await call('POST', '/customers', customer)).id;
    customerIds.set(key, id);
    summary.customers.push({ name: customer.legalName, id, created: !found });
    if (!site) continue;
    const existing = (await call<{ items: { id: string; name: string }[] }>('GET', `/sites?customerId=${id}`)).items.find(
      (x) => x.name === site.name,
    );
    const siteId =
      existing?.id ??
      (
        await call('POST', '/sites', {
          customerId: id,
          addressLine: customer.addressLine,
          postalCode: customer.postalCode,
          city: customer.city,
          ...site,
        })
      ).id;
    siteIds.set(key, siteId);
    if (!existing) summary.sites.push({ name: site.name, id: siteId });
  }

  // Products (by SKU) and goods received in the main warehouse (a receipt reference applies once).
  const existingProducts = new Map((await listAll<{ id: string; sku: string }>('/products')).map((p) => [p.sku, p.id]));
  for (const { stock, ...product } of products) {
    const id = existingProducts.get(product.sku) ?? (await call('POST', '/products', product)).id;
    summary.products.push({ sku: product.sku, id, created: !existingProducts.has(product.sku) });
    if (stock) await call('POST', '/stock/receipts', { sku: product.sku, quantity: stock, reference: `SEED-BL-${product.sku}` });
  }

  // Technicians (by email), each with a few parts in the van.
  const existingTechnicians = new Map(
    (await listAll<{ id: string; email: string; van: { code: string } }>('/technicians')).map((t) => [t.email, t]),
  );
  for (const technician of technicians) {
    const found = existingTechnicians.get(technician.email);
    const { id, van } = found ?? (await call<{ id: string; van: { code: string } }>('POST', '/technicians', technician));
    summary.technicians.push({ name: technician.name, id, created: !found });
    for (const [sku, quantity] of Object.entries(vanStock)) {
      await call('POST', '/stock/receipts', { sku, quantity, warehouseCode: van.code, reference: `SEED-${van.code}-${sku}` });
    }
  }

  // The processes: a replayed Idempotency-Key returns the process started by an earlier run.
  for (const { key, customer, what, ...order } of orders) {
    const created = await call('POST', '/orders', { customerId: customerIds.get(customer), ...order }, { 'Idempotency-Key': key });
    summary.orders.push({ orderId: created.orderId, workflowId: created.workflowId, what });
  }
  for (const { key, customer, what, body } of interventions) {
    const created = await call('POST', '/interventions', { siteId: siteIds.get(customer), ...body }, { 'Idempotency-Key': key });
    summary.interventions.push({ interventionId: created.interventionId, workflowId: created.workflowId, what });
  }

  // The installed base (by serial number), from the supplier (by name).
  const supplierId =
    (await listAll<{ id: string; name: string }>('/suppliers')).find((x) => x.name === supplier.name)?.id ??
    (await call('POST', '/suppliers', supplier)).id;
  const monthsAgo = (n: number) => {
    const d = new Date();
    d.setUTCMonth(d.getUTCMonth() - n);
    return d.toISOString().slice(0, 10);
  };
  for (const { customer, fromSupplier, installedMonthsAgo, ...unit } of equipment) {
    const found = (await call<{ items: { id: string }[] }>('GET', `/equipment?serialNumber=${unit.serialNumber}`)).items[0];
    const id =
      found?.id ??
      (
        await call('POST', '/equipment', {
          ...unit,
          customerId: customerIds.get(customer),
          siteId: siteIds.get(customer),
          installedOn: monthsAgo(installedMonthsAgo),
          ...(fromSupplier ? { supplierId } : {}),
        })
      ).id;
    summary.equipment.push({ serialNumber: unit.serialNumber, id, created: !found });
  }

  // A maintenance contract on the hotel's heat pump: two visits a year, billed quarterly.
  const contract = await call(
    'POST',
    '/contracts',
    {
      customerId: customerIds.get('hotel-du-lac'),
      title: 'Maintenance PAC - formule Sérénité',
      accountManagerEmail: 'claire.morel@backoffice.local',
      termStart: `${monthsAgo(2).slice(0, 7)}-01`,
      priceCents: 180_000,
      billingRhythm: 'quarterly',
      siteIds: [siteIds.get('hotel-du-lac')],
      equipment: ['PAC8-2026-001873'],
      slaHours: { critical: 4, high: 8, normal: 24, low: 72 },
      plan: [{ siteId: siteIds.get('hotel-du-lac'), label: 'Entretien pompe à chaleur', visitsPerYear: 2, skills: ['heat_pump'] }],
    },
    { 'Idempotency-Key': 'seed-contract-hotel-pac' },
  );
  summary.contracts.push({ contractId: contract.contractId, workflowId: contract.workflowId, what: 'visits, quarterly billing, renewal' });

  for (const { key, customer, serialNumber, what, body } of claims) {
    const created = await call(
      'POST',
      '/warranty-claims',
      { customerId: customerIds.get(customer), serialNumber, ...body },
      { 'Idempotency-Key': key },
    );
    summary.claims.push({ claimId: created.claimId, workflowId: created.workflowId, what });
  }
  return summary;
}

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const baseUrl = (process.env.PUBLIC_URL ?? `http://127.0.0.1:${process.env.API_PORT ?? 3000}`).replace(/\/$/, '');
  const keyFile = path.join(root, 'data/admin-api-key');
  const apiKey = process.env.BACKOFFICE_API_KEY ?? (fs.existsSync(keyFile) ? fs.readFileSync(keyFile, 'utf8').trim() : '');
  if (!apiKey) throw new Error('No API key: set BACKOFFICE_API_KEY or run `npm run dev` once (it writes data/admin-api-key)');

  const s = await seed({ baseUrl, apiKey });
  const count = (rows: { created: boolean }[]) =>
    `${rows.filter((r) => r.created).length} created, ${rows.filter((r) => !r.created).length} already there`;
  const lines = [
    `Demo data on ${baseUrl}:`,
    `  customers    ${count(s.customers)}`,
    `  products     ${count(s.products)} (stock received in MAIN and the vans)`,
    `  technicians  ${count(s.technicians)}`,
    `  sites        ${s.sites.length} created`,
    `  equipment    ${count(s.equipment)}`,
    'Processes:',
    ...[...s.orders, ...s.interventions, ...s.contracts, ...s.claims].map((p) => `  ${p.workflowId}  ${p.what}`),
    'Where to look:',
    `  Temporal UI  http://localhost:${process.env.TEMPORAL_UI_PORT ?? 8233}  (each workflow's current step, history and queries)`,
    `  Mail inbox   http://localhost:${process.env.INBOX_PORT ?? 1080}  (invoice, credit approval request, appointments, warranty claims)`,
    `  API          ${baseUrl}/orders/<id>, ${baseUrl}/dispatch/board (Authorization: Bearer <key>)`,
  ];
  console.log(lines.join('\n'));
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
