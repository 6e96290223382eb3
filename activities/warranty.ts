import { isoDate, type IsoDate } from '../domain/dates';
import { fieldJobLines, type FieldLine } from '../domain/field-pricing';
import { computeInvoiceTotals } from '../domain/invoice';
import {
  claimDecision,
  claimTotals,
  coverLine,
  decideLine,
  extendedEnd,
  supplierOutcome,
  type CoverageContext,
  type DecisionOverride,
  type FaultCause,
  type LineCoverage,
} from '../domain/warranty';
import type { Prisma } from '../generated/prisma/client';
import type { ClaimStatus } from '../generated/prisma/enums';
import { supplierRecoveredCents, warrantyClaimsClosed } from '../infra/metrics';
import { invoiceCollectionWorkflowId, invoiceCreditedSignal } from '../workflows/invoice-collection.definitions';
import type { ClaimLineView, Diagnosis, SupplierAnswer, WorkEstimate } from '../workflows/warranty-claim.definitions';
import type { ActivityDeps } from './deps';
import { renderBillingPdf } from './documents/billing-pdf';
import { fieldRates, pricedParts, type Replacement } from './installed-base';
import { createInvoice, createInvoicingActivities, sellerOf, takeNumber, withPdf } from './invoicing';
import { createMailActivities } from './mail';

const QUOTE_SERIES = 'DV';
const SUPPLIER_CLAIM_SERIES = 'RG';

type Stage = 'estimate' | 'actual';
type ClaimLineRow = Prisma.WarrantyClaimLineGetPayload<object>;

const day = (d: Date | null): IsoDate | null => (d ? isoDate(d.getTime()) : null);

/** A claim line as the process and the API show it. */
const viewOf = (l: ClaimLineRow): ClaimLineView => ({
  kind: l.kind as ClaimLineView['kind'],
  description: l.description,
  sku: l.sku ?? undefined,
  quantity: l.quantity,
  unitPriceCents: l.unitPriceCents,
  unitCostCents: l.unitCostCents,
  coverage: l.coverage as ClaimLineView['coverage'],
  basis: l.basis as ClaimLineView['basis'],
  reason: l.reason,
  supplierRecoverable: l.supplierRecoverable,
  removedSerial: l.removedSerial ?? undefined,
  installedSerial: l.installedSerial ?? undefined,
});

/** Warranty claim activities: intake, coverage, decision, quote, settlement, credit, supplier claim, close. */
export function createWarrantyActivities(deps: ActivityDeps) {
  const { prisma, config, now, temporal } = deps;
  const { sendEmail } = createMailActivities(deps);
  const { issueCreditNote } = createInvoicingActivities(deps);

  const loadClaim = (claimId: string) =>
    prisma.warrantyClaim.findUniqueOrThrow({
      where: { id: claimId },
      include: { equipment: { include: { supplier: true } }, customer: true },
      omit: { quotePdf: true },
    });
  type Claim = Awaited<ReturnType<typeof loadClaim>>;

  /** A live service contract covering the serial on the fault day. */
  async function coveringContract(serialNumber: string, faultOn: Date) {
    return prisma.contract.findFirst({
      where: {
        equipment: { has: serialNumber },
        status: { in: ['active', 'ending'] },
        termStart: { lte: faultOn },
        termEnd: { gt: faultOn },
      },
      orderBy: { createdAt: 'desc' },
    });
  }

  async function coverageContext(claim: Claim): Promise<CoverageContext> {
    const contract = await coveringContract(claim.equipment.serialNumber, claim.faultOn);
    return {
      faultOn: isoDate(claim.faultOn.getTime()),
      cause: claim.cause as FaultCause,
      manufacturerWarrantyEnd: day(claim.equipment.manufacturerWarrantyEnd),
      extendedWarrantyEnd: day(claim.equipment.extendedWarrantyEnd),
      supplierWarrantyEnd: day(claim.equipment.supplierWarrantyEnd),
      contract: contract && { id: contract.id, title: contract.title },
    };
  }

  /** The work of a job (the repair, or the job already invoiced) as priced lines with the serials swapped. */
  async function jobWork(interventionId: string, prefix: string) {
    const job = await prisma.intervention.findUniqueOrThrow({
      where: { id: interventionId },
      include: { parts: { orderBy: { id: 'asc' } }, technician: true },
    });
    const lines = fieldJobLines(
      {
        labourMinutes: job.labourMinutes ?? 0,
        travelMinutes: job.travelMinutes ?? 0,
        hourlyCostCents: job.technician?.hourlyCostCents ?? 0,
        parts: await pricedParts(prisma, job.parts),
      },
      fieldRates(config),
      prefix,
    );
    return { job, lines, replacements: (job.replacements ?? []) as unknown as Replacement[] };
  }

  /** The work expected before the repair: the estimate's labour, a trip, and the parts. */
  async function estimatedWork(claim: Claim, prefix: string) {
    const estimate = claim.estimate as unknown as WorkEstimate;
    const products = await prisma.product.findMany({ where: { sku: { in: estimate.parts.map((p) => p.sku) } } });
    const parts = await pricedParts(
      prisma,
      estimate.parts.map((p) => ({ productId: products.find((x) => x.sku === p.sku)!.id, quantity: p.quantity })),
    );
    // Cost of the technician's time at the average hourly cost of the technicians.
    const avg = await prisma.technician.aggregate({ _avg: { hourlyCostCents: true }, where: { active: true } });
    const hourlyCostCents = Math.round(avg._avg.hourlyCostCents ?? 4500);
    return fieldJobLines({ ...estimate, hourlyCostCents, parts }, fieldRates(config), prefix);
  }

  /** Writes the lines of a stage with their coverage (replacing any earlier version) and returns what the process shows. */
  async function saveLines(
    claim: Claim,
    stage: Stage,
    lines: (FieldLine & LineCoverage & { removedSerial?: string; installedSerial?: string })[],
  ) {
    const totals = claimTotals(lines);
    await prisma.$transaction([
      prisma.warrantyClaimLine.deleteMany({ where: { claimId: claim.id, stage } }),
      prisma.warrantyClaimLine.createMany({
        data: lines.map((l, i) => ({
          claimId: claim.id,
          stage,
          position: i + 1,
          kind: l.kind,
          description: l.description,
          productId: l.productId,
          sku: l.sku,
          quantity: l.quantity,
          unitPriceCents: l.unitPriceCents,
          unitCostCents: l.unitCostCents,
          vatRateBp: l.vatRateBp,
          coverage: l.coverage,
          basis: l.basis,
          reason: l.reason,
          supplierRecoverable: l.supplierRecoverable,
          removedSerial: l.removedSerial,
          installedSerial: l.installedSerial,
        })),
      }),
      prisma.warrantyClaim.update({
        where: { id: claim.id },
        data: { decision: claimDecision(lines), customerCents: totals.customerCents, costCents: totals.costCents },
      }),
    ]);
    const rows = await prisma.warrantyClaimLine.findMany({ where: { claimId: claim.id, stage }, orderBy: { position: 'asc' } });
    return { stage, lines: rows.map(viewOf), decision: claimDecision(lines), totals };
  }

  /** The lines of a stage, covered by the rules and then by the claim's decision. */
  async function coveredLines(claim: Claim, stage: Stage) {
    const ctx = await coverageContext(claim);
    const prefix = `Dossier SAV ${claim.id.slice(0, 8)} : `;
    const work =
      stage === 'estimate' ? { lines: await estimatedWork(claim, prefix), replacements: [] } : await jobWork(jobOf(claim), prefix);
    return work.lines.map((line) => {
      const swapped = work.replacements.find((r) => r.sku === line.sku);
      return {
        ...line,
        ...decideLine(coverLine(line, ctx), claim.decisionOverride as DecisionOverride, claim.decisionReason ?? ''),
        removedSerial: swapped?.removedSerial,
        installedSerial: swapped?.installedSerial,
      };
    });
  }

  /** The job whose actual work the claim settles: the repair, or the job invoiced before the claim. */
  const jobOf = (claim: Claim) => (claim.repairInterventionId ?? claim.priorInterventionId)!;
  const stageOf = (claim: Claim): Stage => (claim.priorInterventionId ? 'actual' : 'estimate');

  return {
    /** The claim's equipment, customer and supplier; fixes what a supplier's refusal leads to (the covering contract's terms, else the default). */
    async loadWarrantyClaim({ claimId }: { claimId: string }) {
      const claim = await loadClaim(claimId);
      const c = claim.customer;
      const supplierRejection =
        claim.supplierRejection ??
        (await coveringContract(claim.equipment.serialNumber, claim.faultOn))?.supplierRejection ??
        config.SUPPLIER_REJECTION_DEFAULT;
      if (!claim.supplierRejection) await prisma.warrantyClaim.update({ where: { id: claimId }, data: { supplierRejection } });
      return {
        serialNumber: claim.equipment.serialNumber,
        model: claim.equipment.model,
        reportedFault: claim.reportedFault,
        customerId: c.id,
        customerName: c.legalName,
        billingEmail: c.billingEmail,
        paymentTermsDays: c.paymentTermsDays,
        supplierId: claim.equipment.supplierId,
        needsInspection: claim.needsInspection,
        priorInterventionId: claim.priorInterventionId,
        supplierRejection,
      };
    },

    /** Records the claim's step in the read model. */
    async setClaimStatus({ claimId, status }: { claimId: string; status: ClaimStatus }): Promise<void> {
      await prisma.warrantyClaim.update({ where: { id: claimId }, data: { status } });
    },

    /** Creates the claim's inspection or repair job (once), covered by the warranty: the claim does the billing. */
    async startClaimIntervention({ claimId, purpose }: { claimId: string; purpose: 'inspection' | 'repair' }) {
      const claim = await loadClaim(claimId);
      const idempotencyKey = `claim:${claimId}:${purpose}`;
      const estimate = claim.estimate as unknown as WorkEstimate | null;
      const job =
        (await prisma.intervention.findUnique({ where: { idempotencyKey } })) ??
        (await prisma.intervention.create({
          data: {
            idempotencyKey,
            customerId: claim.customerId,
            siteId: claim.equipment.siteId,
            equipmentId: claim.equipmentId,
            type: purpose === 'inspection' ? 'inspection' : 'breakdown',
            priority: 'normal',
            description: `${purpose === 'inspection' ? 'Diagnostic SAV' : 'Réparation SAV'} (dossier ${claimId.slice(0, 8)}) : ${claim.equipment.model} n° ${claim.equipment.serialNumber}\n${claim.reportedFault}${claim.findings ? `\nDiagnostic : ${claim.findings}` : ''}`,
            requiredSkills: claim.requiredSkills,
            durationMinutes:
              purpose === 'repair' && estimate ? Math.min(480, Math.max(60, Math.ceil(estimate.labourMinutes / 15) * 15)) : 60,
            coverageKind: 'warranty',
            coverageRef: claimId,
          },
        }));
      await prisma.warrantyClaim.update({
        where: { id: claimId },
        data: purpose === 'inspection' ? { inspectionInterventionId: job.id } : { repairInterventionId: job.id },
      });
      return { interventionId: job.id };
    },

    /** The technician's diagnosis: cause, findings and the work needed. */
    async recordDiagnosis({ claimId, diagnosis }: { claimId: string; diagnosis: Diagnosis }): Promise<void> {
      await prisma.warrantyClaim.update({
        where: { id: claimId },
        data: { cause: diagnosis.cause, findings: diagnosis.findings, estimate: diagnosis.estimate as object },
      });
    },

    /** Coverage by the rules, line by line: the estimate, or the work already done and invoiced. */
    async assessCoverage({ claimId }: { claimId: string }) {
      const claim = await loadClaim(claimId);
      const stage = stageOf(claim);
      return saveLines(claim, stage, await coveredLines({ ...claim, decisionOverride: 'none' }, stage));
    },

    /** Applies the decision (the rules, goodwill, or refused coverage) to the claim's lines. */
    async recordClaimDecision({ claimId, override, reason }: { claimId: string; override: DecisionOverride; reason: string }) {
      await prisma.warrantyClaim.update({ where: { id: claimId }, data: { decisionOverride: override, decisionReason: reason } });
      const claim = await loadClaim(claimId);
      const stage = stageOf(claim);
      return saveLines(claim, stage, await coveredLines(claim, stage));
    },

    /** Numbers and renders the quote of what is not covered (devis), once. */
    async prepareQuote({ claimId }: { claimId: string }): Promise<{ quoteNumber: string }> {
      const claim = await loadClaim(claimId);
      if (claim.quoteNumber) return { quoteNumber: claim.quoteNumber };
      const lines = await prisma.warrantyClaimLine.findMany({
        where: { claimId, stage: 'estimate', coverage: 'not_covered' },
        orderBy: { position: 'asc' },
      });
      const issuedAt = now();
      const quoteNumber = await prisma.$transaction(async (tx) => {
        const { number } = await takeNumber(tx, QUOTE_SERIES, issuedAt.getUTCFullYear());
        const validUntil = new Date(issuedAt.getTime() + config.WARRANTY_QUOTE_DAYS * config.DAY_MS);
        const pdf = await renderBillingPdf({
          ...documentFor(claim, lines, 'quote', number, issuedAt),
          validUntil: validUntil.toISOString(),
        });
        await tx.warrantyClaim.update({ where: { id: claimId }, data: { quoteNumber: number, quotePdf: new Uint8Array(pdf) } });
        return number;
      });
      return { quoteNumber };
    },

    /** The actual work of the repair, covered like the decision said: cost recorded, what the customer pays. */
    async settleClaim({ claimId }: { claimId: string }) {
      const claim = await loadClaim(claimId);
      const settled = await saveLines(claim, 'actual', await coveredLines(claim, 'actual'));
      const { replacements } = await jobWork(jobOf(claim), '');
      const outcome = replacements.some((r) => r.removedSerial === claim.equipment.serialNumber) ? 'replaced' : 'repaired';
      return { ...settled, outcome };
    },

    /** Invoices what the customer pays (lines not covered, or what the supplier refused), once per purpose. */
    async invoiceClaim({ claimId, purpose, sourceKey }: { claimId: string; purpose: 'repair' | 'supplier_rejection'; sourceKey: string }) {
      const existing = await prisma.invoice.findUnique({ where: { sourceKey }, include: { lines: { orderBy: { position: 'asc' } } } });
      const invoice =
        existing ??
        (await prisma.$transaction(async (tx) => {
          const claim = await tx.warrantyClaim.findUniqueOrThrow({
            where: { id: claimId },
            include: { customer: true, supplierClaim: { include: { supplier: true } } },
          });
          const lines =
            purpose === 'repair'
              ? await tx.warrantyClaimLine.findMany({
                  where: { claimId, stage: 'actual', coverage: 'not_covered' },
                  orderBy: { position: 'asc' },
                })
              : [rejectedLine(claim.supplierClaim!, config.SERVICE_VAT_BP)];
          const created = await createInvoice(tx, deps, {
            sourceKey,
            sourceKind: 'warranty',
            customer: claim.customer,
            lines: lines.map(({ description, quantity, unitPriceCents, vatRateBp }) => ({
              description,
              quantity,
              unitPriceCents,
              vatRateBp,
            })),
            customerRef: `Dossier SAV ${claimId.slice(0, 8)}`,
          });
          await tx.warrantyClaim.update({
            where: { id: claimId },
            data:
              purpose === 'repair'
                ? { invoiceId: created.id }
                : { reinvoiceId: created.id, customerCents: { increment: created.totalHtCents } },
          });
          return created;
        }));
      return withPdf(prisma, invoice);
    },

    /**
     * The job was invoiced before it turned out covered: a credit note for the covered (and goodwill)
     * lines, referencing the invoice; the invoice's collection learns the new amount due.
     */
    async creditCoveredWork({ claimId, sourceKey }: { claimId: string; sourceKey: string }) {
      const claim = await loadClaim(claimId);
      const job = await prisma.intervention.findUniqueOrThrow({ where: { id: claim.priorInterventionId! } });
      const invoice = await prisma.invoice.findUniqueOrThrow({
        where: { id: job.invoiceId! },
        include: { lines: { orderBy: { position: 'asc' } } },
      });
      const covered = await prisma.warrantyClaimLine.findMany({
        where: { claimId, stage: 'actual', coverage: { not: 'not_covered' } },
        orderBy: { position: 'asc' },
      });
      // Each covered line is credited at the price invoiced: the invoice line that names the same work
      // ("… : main d'œuvre (60 min)", "… : déplacement", "… : <part> (<SKU>)"), else the same position.
      const lines = covered.map((l) => {
        const work = l.description.slice(l.description.indexOf(' : ') + 3);
        const invoiced = invoice.lines.find((x) => x.description.endsWith(` : ${work}`)) ?? invoice.lines[l.position - 1];
        return {
          description: invoiced.description,
          quantity: invoiced.quantity,
          unitPriceCents: invoiced.unitPriceCents,
          vatRateBp: invoiced.vatRateBp,
        };
      });
      const note = await issueCreditNote({
        invoiceId: invoice.id,
        sourceKey,
        reason: `Prise en charge sous garantie (dossier SAV ${claimId.slice(0, 8)})`,
        lines,
      });
      const credited = await prisma.creditNote.findUniqueOrThrow({ where: { id: note.id } });
      await prisma.warrantyClaim.update({ where: { id: claimId }, data: { creditNoteId: note.id } });
      await temporal.workflow
        .getHandle(invoiceCollectionWorkflowId(invoice.id))
        .signal(invoiceCreditedSignal, { creditedCents: note.creditedCents })
        .catch(() => undefined); // already paid and closed: nothing to collect any more
      return { id: note.id, number: note.number, creditedCents: credited.totalTtcCents };
    },

    /** A repair covered by a warranty extends it (not a replacement: the new unit has its own). */
    async extendRepairWarranty({ claimId, months }: { claimId: string; months: number }) {
      const claim = await loadClaim(claimId);
      const lines = await prisma.warrantyClaimLine.findMany({ where: { claimId, stage: 'actual', coverage: 'covered' } });
      const basis = lines.find((l) => l.basis === 'manufacturer' || l.basis === 'extended')?.basis;
      const e = claim.equipment;
      if (!basis || e.status === 'retired') return { extendedTo: null };
      const field = basis === 'manufacturer' ? 'manufacturerWarrantyEnd' : 'extendedWarrantyEnd';
      const key = `claim:${claimId}:warranty-extension`;
      const done = await prisma.equipmentEvent.findUnique({ where: { idempotencyKey: key } });
      if (done) return { extendedTo: (done.detail as { to: string }).to };
      const to = extendedEnd(day(e[field]), months);
      if (!to) return { extendedTo: null };
      await prisma.$transaction([
        prisma.equipment.update({ where: { id: e.id }, data: { [field]: new Date(`${to}T00:00:00Z`) } }),
        prisma.equipmentEvent.create({
          data: {
            idempotencyKey: key,
            equipmentId: e.id,
            kind: 'warranty_extended',
            occurredAt: now(),
            claimId,
            detail: {
              summary: `Garantie ${basis === 'manufacturer' ? 'constructeur' : 'étendue'} prolongée de ${months} mois après réparation`,
              to,
            },
          },
        }),
      ]);
      return { extendedTo: to };
    },

    /** Opens the claim to the supplier (number, claim document) when covered work is under its warranty; null otherwise. */
    async openSupplierClaim({ claimId }: { claimId: string }) {
      const claim = await loadClaim(claimId);
      const supplier = claim.equipment.supplier;
      const lines = await prisma.warrantyClaimLine.findMany({
        where: { claimId, stage: 'actual', coverage: 'covered', supplierRecoverable: true },
        orderBy: { position: 'asc' },
      });
      if (!supplier || lines.length === 0) return null;
      const existing = await prisma.supplierClaim.findUnique({ where: { claimId } });
      const row =
        existing ??
        (await prisma.$transaction(async (tx) => {
          const sentAt = now();
          const { number } = await takeNumber(tx, SUPPLIER_CLAIM_SERIES, sentAt.getUTCFullYear());
          const atCost = lines.map((l) => ({ ...l, unitPriceCents: l.unitCostCents }));
          const doc = documentFor(claim, atCost, 'supplier_claim', number, sentAt);
          return tx.supplierClaim.create({
            data: {
              number,
              claimId,
              supplierId: supplier.id,
              amountClaimedCents: doc.totalHtCents,
              sentAt,
              pdf: new Uint8Array(await renderBillingPdf(doc)),
            },
          });
        }));
      return { number: row.number, amountClaimedCents: row.amountClaimedCents, to: supplier.claimsEmail };
    },

    /** Reminds the supplier that our claim awaits an answer; returns the reminders sent. */
    async remindSupplier({ claimId, reminder }: { claimId: string; reminder: number }): Promise<number> {
      const row = await prisma.supplierClaim.findUniqueOrThrow({ where: { claimId }, include: { supplier: true } });
      await sendEmail({
        key: `claim-${claimId}:supplier-reminder-${reminder}`,
        template: 'supplierClaimReminder',
        to: row.supplier.claimsEmail,
        payload: { claimId, reminder },
      });
      await prisma.supplierClaim.update({ where: { claimId }, data: { remindersSent: reminder } });
      return reminder;
    },

    /** Records the supplier's answer and the amount recovered; returns what is left unrecovered. */
    async recordSupplierAnswer({ claimId, answer }: { claimId: string; answer: SupplierAnswer }) {
      const row = await prisma.supplierClaim.findUniqueOrThrow({ where: { claimId } });
      const outcome = supplierOutcome(row.amountClaimedCents, answer);
      const recorded = await prisma.supplierClaim.updateMany({
        where: { claimId, status: 'sent' },
        data: {
          status: answer.outcome,
          amountAcceptedCents: outcome.recoveredCents,
          answeredAt: now(),
          supplierReference: answer.reference,
          answerReason: answer.reason,
        },
      });
      if (recorded.count === 1) supplierRecoveredCents.inc(outcome.recoveredCents);
      return outcome;
    },

    /** Closes the claim with its outcome. */
    async closeWarrantyClaim({ claimId, outcome }: { claimId: string; outcome: string }): Promise<void> {
      const closed = await prisma.warrantyClaim.updateMany({ where: { id: claimId, closedAt: null }, data: { outcome, closedAt: now() } });
      if (closed.count === 1) warrantyClaimsClosed.inc({ outcome });
    },
  };

  /** The quote (to the customer) or the supplier claim document of a claim's lines. */
  function documentFor(
    claim: Claim,
    lines: Pick<ClaimLineRow, 'description' | 'quantity' | 'unitPriceCents' | 'vatRateBp' | 'removedSerial' | 'installedSerial'>[],
    kind: 'quote' | 'supplier_claim',
    number: string,
    issuedAt: Date,
  ) {
    const c = claim.customer;
    const supplier = claim.equipment.supplier;
    const e = claim.equipment;
    const buyer =
      kind === 'quote' || !supplier
        ? {
            name: c.legalName,
            addressLines: [c.addressLine, `${c.postalCode} ${c.city}`],
            siren: c.siren,
            vatNumber: c.vatNumber,
            email: c.billingEmail,
          }
        : {
            name: supplier.name,
            addressLines: [supplier.addressLine, [supplier.postalCode, supplier.city].filter(Boolean).join(' ')].filter(
              (x): x is string => !!x,
            ),
            vatNumber: supplier.vatNumber,
            email: supplier.claimsEmail,
          };
    const swaps = lines.filter((l) => l.installedSerial).map((l) => `${l.removedSerial ?? '?'} remplacé par ${l.installedSerial}`);
    const doc = {
      kind,
      number,
      issuedAt: issuedAt.toISOString(),
      seller: sellerOf(config),
      buyer,
      buyerIsBusiness: c.isBusiness,
      references: { customerRef: `Dossier SAV ${claim.id.slice(0, 8)}` },
      details: [
        ['Équipement', `${e.model}, n° de série ${e.serialNumber}`],
        ['Installé le', new Date(e.installedOn).toLocaleDateString('fr-FR', { timeZone: 'UTC' })],
        ...(kind === 'supplier_claim' ? [['Client', `${c.legalName}, ${c.city}`]] : []),
        ['Panne constatée le', claim.faultOn.toLocaleDateString('fr-FR', { timeZone: 'UTC' }) + ` : ${claim.reportedFault}`],
        ...(claim.findings ? [['Diagnostic', claim.findings]] : []),
        ...(swaps.length ? [['Pièces remplacées (n° de série)', swaps.join(', ')]] : []),
      ] as [string, string][],
    };
    return { ...doc, ...computeInvoiceTotals(lines) };
  }
}

/** The line re-invoicing what a supplier refused of our claim. */
function rejectedLine(
  claim: {
    number: string;
    amountClaimedCents: number;
    amountAcceptedCents: number | null;
    answerReason: string | null;
    supplier: { name: string };
  },
  vatRateBp: number,
) {
  const refused = claim.amountClaimedCents - (claim.amountAcceptedCents ?? 0);
  return {
    description: `Part non prise en charge par ${claim.supplier.name} (réclamation ${claim.number}${claim.answerReason ? ` : ${claim.answerReason}` : ''})`,
    quantity: 1,
    unitPriceCents: refused,
    vatRateBp,
  };
}
