import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Stack } from './stack';

const unique = () => randomUUID().slice(0, 8);

/** Creates a customer through the API (business customer, FR identifiers). */
export async function createCustomer(stack: Stack, overrides: Record<string, unknown> = {}) {
  const res = await stack.api('POST', '/customers', {
    legalName: `Chauffage Dupont ${unique()} SARL`,
    siren: '552100554',
    siret: '55210055400013',
    vatNumber: 'FR96552100554',
    billingEmail: `billing-${unique()}@dupont.example`,
    addressLine: '12 avenue des Tilleuls',
    postalCode: '69003',
    city: 'Lyon',
    paymentTermsDays: 30,
    creditLimitCents: 10_000_000,
    ...overrides,
  });
  if (res.status !== 201) throw new Error(`customer: ${res.status} ${res.text}`);
  return res.body as { id: string; billingEmail: string; legalName: string };
}

/** Creates a product through the API, and receives `stock` units into MAIN when stocked. */
export async function createProduct(stack: Stack, { stock = 0, ...overrides }: Record<string, unknown> & { stock?: number } = {}) {
  const res = await stack.api('POST', '/products', {
    sku: `SKU-${unique()}`,
    name: 'Circulateur Grundfos',
    unitPriceCents: 12_500,
    vatRateBp: 2000,
    ...overrides,
  });
  if (res.status !== 201) throw new Error(`product: ${res.status} ${res.text}`);
  if (stock > 0) {
    const r = await stack.api('POST', '/stock/receipts', { sku: res.body.sku, quantity: stock, reference: `REC-${unique()}` });
    if (r.status !== 201) throw new Error(`receipt: ${r.status} ${r.text}`);
  }
  return res.body as { id: string; sku: string; unitPriceCents: number };
}

/** Creates a site of the customer in a sector. */
export async function createSite(stack: Stack, customerId: string, sector: string) {
  const res = await stack.api('POST', '/sites', {
    customerId,
    name: `Chaufferie ${unique()}`,
    addressLine: '5 rue Garibaldi',
    postalCode: '69006',
    city: 'Lyon',
    sector,
  });
  if (res.status !== 201) throw new Error(`site: ${res.status} ${res.text}`);
  return res.body as { id: string };
}

/** Creates a technician (every day, all day, so tests never wait for working hours) and loads the van. */
export async function createTechnician(
  stack: Stack,
  sector: string,
  {
    skills = ['heating'],
    van = {} as Record<string, number>,
    ...overrides
  }: Record<string, unknown> & { skills?: string[]; van?: Record<string, number> } = {},
) {
  const res = await stack.api('POST', '/technicians', {
    name: `Tech ${unique()}`,
    email: `tech-${unique()}@backoffice.example`,
    skills,
    sector,
    workingDays: [1, 2, 3, 4, 5, 6, 7],
    workStart: '00:00',
    workEnd: '23:59',
    ...overrides,
  });
  if (res.status !== 201) throw new Error(`technician: ${res.status} ${res.text}`);
  for (const [sku, quantity] of Object.entries(van)) {
    const r = await stack.api('POST', '/stock/receipts', { sku, quantity, warehouseCode: res.body.van.code, reference: `VAN-${unique()}` });
    if (r.status !== 201) throw new Error(`van stock: ${r.status} ${r.text}`);
  }
  return res.body as { id: string; name: string; email: string; van: { id: string; code: string } };
}

/** Writes the workflow's history so far under test/replay/histories when RECORD_HISTORIES=1 (then commit it). */
export async function recordHistory(stack: Stack, workflowId: string, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  // The CLI writes the same JSON as the Temporal UI's history download.
  const json = execFileSync(process.env.TEMPORAL_CLI_PATH ?? 'temporal', [
    'workflow',
    'show',
    '--workflow-id',
    workflowId,
    '--address',
    stack.config.TEMPORAL_ADDRESS,
    '--output',
    'json',
  ]);
  fs.writeFileSync(path.resolve(__dirname, '../replay/histories', `${name}.json`), json);
}

/** Creates a service contract through the API (monthly in advance, 1 200 € a year, tacit renewal) on the given sites. */
export async function createContract(stack: Stack, customerId: string, siteIds: string[], overrides: Record<string, unknown> = {}) {
  const res = await stack.api('POST', '/contracts', {
    customerId,
    title: `Contrat d'entretien ${unique()}`,
    accountManagerEmail: `am-${unique()}@backoffice.example`,
    termStart: '2031-01-01',
    priceCents: 120_000,
    billingRhythm: 'monthly',
    siteIds,
    ...overrides,
  });
  if (res.status !== 201) throw new Error(`contract: ${res.status} ${res.text}`);
  return res.body as { contractId: string; workflowId: string };
}
