import { addMonths, isoDate } from '../domain/dates';
import type { FieldRates, PricedPart } from '../domain/field-pricing';
import type { Config } from '../infra/config';
import type { Db } from '../infra/db';
import { typeLabel } from './emails/dispatch';

type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

/** A serialised unit swapped on a job: a component, or the equipment itself when `removedSerial` is its serial. */
export interface Replacement {
  sku: string;
  removedSerial?: string;
  installedSerial: string;
}

/** A component of an equipment's configuration (as sold, as maintained). */
export interface Component {
  label: string;
  sku?: string;
  serial?: string;
}

const day = (d: Date) => new Date(`${isoDate(d.getTime())}T00:00:00Z`);

/** Field work pricing from the configuration. */
export const fieldRates = (config: Config): FieldRates => ({
  labourRateCentsPerHour: config.LABOUR_RATE_CENTS_PER_HOUR,
  travelFlatCents: config.TRAVEL_FLAT_CENTS,
  serviceVatBp: config.SERVICE_VAT_BP,
});

/** The catalogue data of the parts of a job, in the job's order. */
export async function pricedParts(db: Db | Tx, parts: { productId: string; quantity: number }[]): Promise<PricedPart[]> {
  const products = await db.product.findMany({ where: { id: { in: parts.map((p) => p.productId) } } });
  return parts.map((p) => {
    const product = products.find((x) => x.id === p.productId)!;
    return {
      productId: product.id,
      sku: product.sku,
      name: product.name,
      quantity: p.quantity,
      unitPriceCents: product.unitPriceCents,
      vatRateBp: product.vatRateBp,
      purchaseCostCents: product.purchaseCostCents,
      wearPart: product.wearPart,
    };
  });
}

/** The manufacturer warranty end of a unit installed on `installedOn` (the model's months, else the default). */
export function warrantyEndFor(installedOn: Date, warrantyMonths: number | null | undefined, config: Config): Date {
  const months = warrantyMonths ?? config.WARRANTY_DEFAULT_MONTHS;
  return new Date(`${addMonths(isoDate(installedOn.getTime()), months)}T00:00:00Z`);
}

/**
 * Writes a closed job into its equipment's history, inside the closing transaction: the
 * intervention, each part swapped (the configuration as maintained follows), and a replacement
 * of the equipment itself (the old serial retired, the new one registered with its own warranty).
 * Keyed by the job: a retried close adds nothing.
 */
export async function recordJobOnInstalledBase(tx: Tx, config: Config, interventionId: string): Promise<void> {
  const job = await tx.intervention.findUniqueOrThrow({ where: { id: interventionId }, include: { parts: true, equipment: true } });
  const equipment = job.equipment;
  if (!equipment) return;
  const key = `intervention:${job.id}`;
  if (await tx.equipmentEvent.findUnique({ where: { idempotencyKey: key } })) return;
  const at = job.signedAt ?? new Date();
  const parts = await pricedParts(tx, job.parts);
  await tx.equipmentEvent.create({
    data: {
      idempotencyKey: key,
      equipmentId: equipment.id,
      kind: 'intervention',
      occurredAt: at,
      interventionId: job.id,
      detail: {
        summary: `${typeLabel[job.type]} : ${job.workDone ?? job.description}`,
        parts: parts.map((p) => ({ sku: p.sku, name: p.name, quantity: p.quantity })),
      },
    },
  });

  let configuration = equipment.configurationAsMaintained as unknown as Component[];
  for (const [i, r] of ((job.replacements ?? []) as unknown as Replacement[]).entries()) {
    const product = await tx.product.findUnique({ where: { sku: r.sku } });
    const common = { occurredAt: at, interventionId: job.id };
    if (r.removedSerial === equipment.serialNumber) {
      const installedOn = day(at);
      const manufacturerEnd = warrantyEndFor(installedOn, product?.warrantyMonths, config);
      const unit = await tx.equipment.create({
        data: {
          serialNumber: r.installedSerial,
          model: product?.name ?? equipment.model,
          productId: product?.id ?? equipment.productId,
          customerId: equipment.customerId,
          siteId: equipment.siteId,
          supplierId: equipment.supplierId,
          installedOn,
          manufacturerWarrantyEnd: manufacturerEnd,
          supplierWarrantyEnd: equipment.supplierId ? manufacturerEnd : null,
          configurationAsSold: [],
          configurationAsMaintained: [],
        },
      });
      await tx.equipment.update({
        where: { id: equipment.id },
        data: { status: 'retired', retiredOn: installedOn, replacedById: unit.id },
      });
      await tx.equipmentEvent.createMany({
        data: [
          {
            ...common,
            idempotencyKey: `${key}:replaced`,
            equipmentId: equipment.id,
            kind: 'replaced',
            detail: { summary: `Remplacé par ${r.installedSerial}`, by: r.installedSerial },
          },
          {
            ...common,
            idempotencyKey: `${key}:installed`,
            equipmentId: unit.id,
            kind: 'installed',
            detail: { summary: `Installé en remplacement de ${equipment.serialNumber}`, replaces: equipment.serialNumber },
          },
        ],
      });
      continue;
    }
    const label = product?.name ?? r.sku;
    const index = configuration.findIndex((c) => r.removedSerial !== undefined && c.serial === r.removedSerial);
    configuration =
      index >= 0
        ? configuration.map((c, j) => (j === index ? { ...c, sku: r.sku, serial: r.installedSerial } : c))
        : [...configuration, { label, sku: r.sku, serial: r.installedSerial }];
    await tx.equipmentEvent.create({
      data: {
        ...common,
        idempotencyKey: `${key}:part-${i}`,
        equipmentId: equipment.id,
        kind: 'part_replaced',
        detail: {
          summary: `${label} remplacé${r.removedSerial ? ` (n° ${r.removedSerial} → ${r.installedSerial})` : ` (nouveau n° ${r.installedSerial})`}`,
          ...r,
        },
      },
    });
  }
  if (job.replacements)
    await tx.equipment.update({ where: { id: equipment.id }, data: { configurationAsMaintained: configuration as object[] } });
}
