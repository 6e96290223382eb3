import { createHash } from 'node:crypto';
import { chooseTechnician, type TechnicianCandidate } from '../domain/assignment';
import { costOf, fieldJobLines } from '../domain/field-pricing';
import type { FieldReportDocument } from '../domain/field-report';
import type { InterventionStatus as DbStatus } from '../generated/prisma/enums';
import type { Appointment, FieldReport, InterventionPriority, PartUse } from '../workflows/intervention-dispatch.definitions';
import type { ActivityDeps } from './deps';
import { renderFieldReportPdf } from './documents/field-report-pdf';
import { fieldRates, pricedParts, recordJobOnInstalledBase } from './installed-base';
import { createInvoice, withPdf } from './invoicing';
import { createMailActivities } from './mail';

/** Jobs that hold a technician's time. */
const BOOKED: DbStatus[] = ['assigned', 'accepted', 'in_progress', 'on_hold_parts'];

/** Intervention dispatch activities: triage, assignment, appointments, escalations, the field report, billing. */
export function createDispatchActivities(deps: ActivityDeps) {
  const { prisma, config, now } = deps;
  const { sendEmail } = createMailActivities(deps);
  const load = (id: string) =>
    prisma.intervention.findUniqueOrThrow({
      where: { id },
      include: { site: { include: { customer: true } }, technician: true, parts: { orderBy: { id: 'asc' } }, equipment: true },
    });

  /** The response time a live contract covering the job's site promises for its priority, if any. */
  async function contractSlaMs(job: { siteId: string; priority: InterventionPriority }): Promise<number | undefined> {
    const contracts = await prisma.contract.findMany({
      where: { status: { in: ['active', 'ending'] }, sites: { some: { siteId: job.siteId } } },
      orderBy: { createdAt: 'desc' },
    });
    const hours = contracts
      .map((c) => (c.slaHours as Record<InterventionPriority, number> | null)?.[job.priority])
      .find((h) => h !== undefined);
    return hours === undefined ? undefined : (hours * config.DAY_MS) / 24;
  }

  return {
    /** Sets the SLA deadline once (a covering contract's response time, else the default by priority) and returns who the customer is. */
    async triageIntervention({
      interventionId,
      slaMsByPriority,
    }: {
      interventionId: string;
      slaMsByPriority: Record<InterventionPriority, number>;
    }) {
      const job = await load(interventionId);
      const slaMs = job.slaDeadline ? 0 : ((await contractSlaMs(job)) ?? slaMsByPriority[job.priority]);
      const slaDeadline = job.slaDeadline ?? new Date(job.createdAt.getTime() + slaMs);
      if (!job.slaDeadline) {
        await prisma.intervention.update({ where: { id: interventionId }, data: { slaDeadline, status: 'awaiting_assignment' } });
      }
      const customer = job.site.customer;
      return {
        customerId: customer.id,
        billingEmail: customer.billingEmail,
        paymentTermsDays: customer.paymentTermsDays,
        slaDeadline: slaDeadline.toISOString(),
      };
    },

    /** Runs the assignment rules over the technicians as they are now (skills, sector, free slots, load). */
    async proposeAssignment({ interventionId, exclude, horizonDays }: { interventionId: string; exclude: string[]; horizonDays: number }) {
      const job = await load(interventionId);
      const technicians = await prisma.technician.findMany({
        include: { interventions: { where: { status: { in: BOOKED }, id: { not: interventionId } } } },
      });
      const candidates: TechnicianCandidate[] = technicians.map((t) => ({
        id: t.id,
        name: t.name,
        skills: t.skills,
        sector: t.sector,
        active: t.active,
        workingHours: { days: t.workingDays, start: t.workStart, end: t.workEnd, timeZone: t.timeZone },
        appointments: t.interventions
          .filter((i) => i.appointmentStart && i.appointmentEnd)
          .map((i) => ({ start: i.appointmentStart!.toISOString(), end: i.appointmentEnd!.toISOString() })),
        openJobs: t.interventions.length,
      }));
      const choice = chooseTechnician(
        {
          requiredSkills: job.requiredSkills,
          sector: job.site.sector,
          durationMinutes: job.durationMinutes,
          earliestStart: now().toISOString(),
          deadline: job.slaDeadline?.toISOString(),
          horizonDays,
          excludeTechnicianIds: exclude,
        },
        candidates,
      );
      if (choice.proposal) {
        const { technicianId, start, end } = choice.proposal;
        return { found: true as const, slot: { technicianId, start, end } };
      }
      const why = choice.rejections.map((r) => `${candidates.find((c) => c.id === r.technicianId)?.name}: ${r.detail}`).join('\n');
      return { found: false as const, why: why || 'No technician is registered' };
    },

    /** Books the technician's slot for the job. */
    async bookAppointment({
      interventionId,
      technicianId,
      start,
      end,
      onlyIfFree = false,
    }: {
      interventionId: string;
      technicianId: string;
      start: string;
      end: string;
      /** Proposals check again under the technician's row lock: two jobs never get the same slot. */
      onlyIfFree?: boolean;
    }): Promise<Appointment | undefined> {
      return prisma.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT id FROM "Technician" WHERE id = ${technicianId} FOR UPDATE`;
        const clash = await tx.intervention.count({
          where: {
            technicianId,
            id: { not: interventionId },
            status: { in: BOOKED },
            appointmentStart: { lt: new Date(end) },
            appointmentEnd: { gt: new Date(start) },
          },
        });
        if (clash > 0 && onlyIfFree) return undefined;
        const job = await tx.intervention.update({
          where: { id: interventionId },
          data: { technicianId, appointmentStart: new Date(start), appointmentEnd: new Date(end), status: 'assigned' },
          include: { technician: true },
        });
        return { technicianId, technicianName: job.technician!.name, start, end };
      });
    },

    /** Frees the technician's slot (declined or cancelled). */
    async releaseAppointment({ interventionId }: { interventionId: string }): Promise<void> {
      await prisma.intervention.update({
        where: { id: interventionId },
        data: { technicianId: null, appointmentStart: null, appointmentEnd: null, status: 'awaiting_assignment' },
      });
    },

    /** Emails the appointment (or its cancellation) with an .ics to the technician and the customer. */
    async notifyAppointment({
      interventionId,
      method,
      sequence,
      key,
    }: {
      interventionId: string;
      method: 'REQUEST' | 'CANCEL';
      sequence: number;
      key: string;
    }): Promise<void> {
      const job = await load(interventionId);
      if (!job.technician) return;
      const payload = { interventionId, method, sequence, technicianId: job.technician.id };
      await sendEmail({
        key: `${key}:technician`,
        template: 'appointment',
        to: job.technician.email,
        payload: { ...payload, audience: 'technician' as const },
      });
      await sendEmail({
        key: `${key}:customer`,
        template: 'appointment',
        to: job.site.customer.billingEmail,
        payload: { ...payload, audience: 'customer' as const },
      });
    },

    /** Tells the dispatcher what needs a person: nobody fits, the SLA is missed (the job is flagged), parts are needed. */
    async escalateToDispatcher(input: {
      interventionId: string;
      kind: 'no_technician' | 'sla_breach' | 'parts_request';
      detail?: string;
      parts?: PartUse[];
      key: string;
    }): Promise<void> {
      if (input.kind === 'sla_breach') {
        await prisma.intervention.update({ where: { id: input.interventionId }, data: { slaBreached: true } });
      }
      const { key, ...payload } = input;
      await sendEmail({ key, template: 'dispatchEscalation', to: config.DISPATCHER_EMAIL, payload });
    },

    /** Records the job's status (and check-in time or cancellation reason) in the read model. */
    async setInterventionStatus({
      interventionId,
      status,
      checkedInAt,
      cancelReason,
    }: {
      interventionId: string;
      status: DbStatus;
      checkedInAt?: string;
      cancelReason?: string;
    }): Promise<void> {
      await prisma.intervention.update({
        where: { id: interventionId },
        data: { status, ...(checkedInAt ? { checkedInAt: new Date(checkedInAt) } : {}), ...(cancelReason ? { cancelReason } : {}) },
      });
    },

    /** Saves the technician's report; the parts list replaces the previous one. */
    async recordFieldReport({ interventionId, report }: { interventionId: string; report: FieldReport }): Promise<void> {
      const products = await prisma.product.findMany({ where: { sku: { in: report.parts.map((p) => p.sku) } } });
      await prisma.$transaction([
        prisma.intervention.update({
          where: { id: interventionId },
          data: {
            workDone: report.workDone,
            labourMinutes: report.labourMinutes,
            travelMinutes: report.travelMinutes,
            replacements: report.replacements?.length ? report.replacements : undefined,
          },
        }),
        prisma.interventionPart.deleteMany({ where: { interventionId } }),
        prisma.interventionPart.createMany({
          data: report.parts.map((p) => ({ interventionId, productId: products.find((x) => x.sku === p.sku)!.id, quantity: p.quantity })),
        }),
      ]);
    },

    /** Signs the job off: parts leave the van stock (once), the field report PDF is rendered and kept. */
    async closeIntervention({
      interventionId,
      signedBy,
      signedAt,
      key,
    }: {
      interventionId: string;
      signedBy: string;
      signedAt: string;
      key: string;
    }): Promise<void> {
      await prisma.$transaction(async (tx) => {
        const job = await tx.intervention.findUniqueOrThrow({ where: { id: interventionId }, include: { parts: true, technician: true } });
        for (const part of job.parts) {
          const movementKey = `${key}:${part.productId}`;
          if (await tx.stockMovement.findUnique({ where: { idempotencyKey: movementKey } })) continue;
          const warehouseId = job.technician!.vanWarehouseId;
          const taken = await tx.$executeRaw`
            UPDATE "StockLevel" SET "onHand" = "onHand" - ${part.quantity}
            WHERE "productId" = ${part.productId} AND "warehouseId" = ${warehouseId} AND "onHand" - reserved >= ${part.quantity}`;
          // Retried until the van's stock record is corrected: stock never goes negative.
          if (taken !== 1)
            throw new Error(`The van stock of ${job.technician!.name} does not hold ${part.quantity} of product ${part.productId}`);
          await tx.stockMovement.create({
            data: {
              idempotencyKey: movementKey,
              productId: part.productId,
              warehouseId,
              kind: 'consumption',
              onHandDelta: -part.quantity,
              interventionId,
            },
          });
        }
        await tx.intervention.update({
          where: { id: interventionId },
          data: { status: 'completed', signedBy, signedAt: new Date(signedAt) },
        });
        await recordJobOnInstalledBase(tx, config, interventionId);
      });
      const job = await load(interventionId);
      if (!job.reportPdf) {
        const pdf = await renderFieldReportPdf(await fieldReportOf(job));
        await prisma.intervention.update({ where: { id: interventionId }, data: { reportPdf: new Uint8Array(pdf) } });
      }
    },

    /** Covered by a contract or warranty (cost recorded, nothing to pay), on the monthly invoice, or charged now. */
    async decideInterventionBilling({ interventionId }: { interventionId: string }) {
      const job = await load(interventionId);
      const costCents = costOf(await linesOf(job));
      const billing = job.coverageKind
        ? ('covered' as const)
        : job.site.customer.interventionBilling === 'monthly'
          ? ('monthly' as const)
          : ('charged' as const);
      await prisma.intervention.update({ where: { id: interventionId }, data: { billing, costCents } });
      return { billing, costCents };
    },

    /** Customers billed monthly with closed jobs of the period (`YYYY-MM`, UTC) not invoiced yet. */
    async listMonthlyBillables({ period }: { period: string }) {
      const [year, month] = period.split('-').map(Number);
      const jobs = await prisma.intervention.findMany({
        where: {
          billing: 'monthly',
          invoiceId: null,
          signedAt: { gte: new Date(Date.UTC(year, month - 1, 1)), lt: new Date(Date.UTC(year, month, 1)) },
        },
        include: { site: { include: { customer: true } } },
        orderBy: { signedAt: 'asc' },
      });
      const byCustomer = new Map<
        string,
        { customerId: string; billingEmail: string; paymentTermsDays: number; interventionIds: string[] }
      >();
      for (const job of jobs) {
        const c = job.site.customer;
        const entry = byCustomer.get(c.id) ?? {
          customerId: c.id,
          billingEmail: c.billingEmail,
          paymentTermsDays: c.paymentTermsDays,
          interventionIds: [],
        };
        entry.interventionIds.push(job.id);
        byCustomer.set(c.id, entry);
      }
      // The invoice's source key names its jobs: a later run of the same period bills only jobs signed off since.
      return [...byCustomer.values()].map((entry) => ({
        ...entry,
        batchKey: createHash('sha256')
          .update([...entry.interventionIds].sort().join(','))
          .digest('hex')
          .slice(0, 16),
      }));
    },

    /** Invoices labour, travel and parts of one or more closed jobs of one customer, once per source key. */
    async issueInterventionInvoice({
      interventionIds,
      sourceKey,
      sourceKind,
    }: {
      interventionIds: string[];
      sourceKey: string;
      sourceKind: string;
    }) {
      const invoice =
        (await prisma.invoice.findUnique({ where: { sourceKey }, include: { lines: { orderBy: { position: 'asc' } } } })) ??
        (await prisma.$transaction(async (tx) => {
          const jobs = await tx.intervention.findMany({
            where: { id: { in: interventionIds } },
            include: { site: { include: { customer: true } }, parts: { orderBy: { id: 'asc' } }, technician: true },
            orderBy: { createdAt: 'asc' },
          });
          const lines = (await Promise.all(jobs.map((job) => linesOf(job, tx)))).flat();
          const created = await createInvoice(tx, deps, { sourceKey, sourceKind, customer: jobs[0].site.customer, lines });
          await tx.intervention.updateMany({ where: { id: { in: interventionIds } }, data: { invoiceId: created.id } });
          return created;
        }));
      return withPdf(prisma, invoice);
    },
  };

  /** The priced lines of a job (labour, travel, parts), their descriptions naming the job. */
  async function linesOf(
    job: {
      id: string;
      signedAt: Date | null;
      createdAt: Date;
      labourMinutes: number | null;
      travelMinutes: number | null;
      parts: { productId: string; quantity: number }[];
      technician: { hourlyCostCents: number } | null;
    },
    db: Parameters<typeof pricedParts>[0] = prisma,
  ) {
    const ref = `Intervention ${job.id.slice(0, 8)} du ${(job.signedAt ?? job.createdAt).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' })}`;
    const work = {
      labourMinutes: job.labourMinutes ?? 0,
      travelMinutes: job.travelMinutes ?? 0,
      hourlyCostCents: job.technician?.hourlyCostCents ?? 0,
      parts: await pricedParts(db, job.parts),
    };
    return fieldJobLines(work, fieldRates(config), `${ref} : `);
  }

  /** The field report document of a completed job. */
  async function fieldReportOf(job: Awaited<ReturnType<typeof load>>): Promise<FieldReportDocument> {
    const products = await prisma.product.findMany({ where: { id: { in: job.parts.map((p) => p.productId) } } });
    const billing = job.coverageKind ? 'covered' : job.site.customer.interventionBilling === 'monthly' ? 'monthly' : 'charged';
    return {
      interventionId: job.id,
      type: job.type,
      priority: job.priority,
      company: {
        name: config.SELLER_NAME,
        addressLines: config.SELLER_ADDRESS.split(',').map((s) => s.trim()),
        siret: config.SELLER_SIRET,
      },
      customer: { name: job.site.customer.legalName },
      site: { name: job.site.name, addressLines: [job.site.addressLine, `${job.site.postalCode} ${job.site.city}`] },
      equipment: job.equipment ? { label: job.equipment.model, serialNumber: job.equipment.serialNumber } : null,
      technician: { name: job.technician?.name ?? '' },
      description: job.description,
      appointment:
        job.appointmentStart && job.appointmentEnd
          ? { start: job.appointmentStart.toISOString(), end: job.appointmentEnd.toISOString() }
          : null,
      checkedInAt: job.checkedInAt?.toISOString() ?? null,
      completedAt: (job.signedAt ?? now()).toISOString(),
      workDone: job.workDone ?? '',
      labourMinutes: job.labourMinutes ?? 0,
      travelMinutes: job.travelMinutes ?? 0,
      parts: job.parts.map((p) => {
        const product = products.find((x) => x.id === p.productId)!;
        return { sku: product.sku, description: product.name, quantity: p.quantity };
      }),
      slaDeadline: job.slaDeadline?.toISOString() ?? null,
      slaBreached: job.slaBreached,
      signedBy: job.signedBy ?? '',
      signedAt: (job.signedAt ?? now()).toISOString(),
      billing,
      coverage: job.coverageKind ? { kind: job.coverageKind as 'contract' | 'warranty', reference: job.coverageRef ?? '' } : null,
    };
  }
}
