import { addMonths, dateMs, isoDate, renewalPrice, visitSchedule, type IsoDate } from '../domain/contracts';
import { formatEuros } from '../domain/money';
import { dispatchPolicy } from '../infra/policies';
import type { Amendment, RenewalOutcome, VisitView } from '../workflows/service-contract.definitions';
import type { ActivityDeps } from './deps';
import { createMailActivities } from './mail';

export const day = (date: IsoDate): Date => new Date(dateMs(date));
export const dayOf = (date: Date): IsoDate => isoDate(date.getTime());

/** Service contract activities: the term, the visits of the plan, amendments, renewal and the end. */
export function createContractActivities(deps: ActivityDeps) {
  const { prisma } = deps;
  const { sendEmail } = createMailActivities(deps);

  const visitView = (v: {
    id: string;
    dueDate: Date;
    windowEnd: Date;
    status: VisitView['status'];
    interventionId: string | null;
  }): VisitView => ({
    id: v.id,
    dueDate: dayOf(v.dueDate),
    windowEnd: dayOf(v.windowEnd),
    status: v.status,
    interventionId: v.interventionId ?? undefined,
  });

  return {
    /** The contract as its process needs it for the current term. */
    async loadContract({ contractId }: { contractId: string }) {
      const c = await prisma.contract.findUniqueOrThrow({ where: { id: contractId }, include: { customer: true } });
      return {
        contractId: c.id,
        customerId: c.customerId,
        customerEmail: c.customer.billingEmail,
        customerName: c.customer.legalName,
        consumer: !c.customer.isBusiness,
        title: c.title,
        accountManagerEmail: c.accountManagerEmail,
        status: c.status,
        termNumber: c.termNumber,
        termStart: dayOf(c.termStart),
        termEnd: dayOf(c.termEnd),
        termMonths: c.termMonths,
        endDate: c.endDate ? dayOf(c.endDate) : undefined,
        tacitRenewal: c.tacitRenewal,
        noticeDays: c.noticeDays,
        priceCents: c.priceCents,
        billingRhythm: c.billingRhythm,
        billingTiming: c.billingTiming,
        /** Versions of the price so far (amendments and renewals). */
        versions: await prisma.contractVersion.count({ where: { contractId } }),
      };
    },

    /** Writes the term's visit schedule from the plan (once per visit) and cancels visits of plan items closed by an amendment. */
    async planContractVisits({ contractId, termNumber }: { contractId: string; termNumber: number }): Promise<VisitView[]> {
      const contract = await prisma.contract.findUniqueOrThrow({ where: { id: contractId }, include: { plan: true } });
      const term = {
        start: dayOf(contract.termStart),
        end: dayOf(contract.endDate && contract.endDate < contract.termEnd ? contract.endDate : contract.termEnd),
      };
      const rows = contract.plan.flatMap((item) =>
        visitSchedule(
          { visitsPerYear: item.visitsPerYear, validFrom: dayOf(item.validFrom), validTo: item.validTo && dayOf(item.validTo) },
          term,
        ).map((v) => ({
          contractId,
          termNumber,
          planItemId: item.id,
          sequence: v.sequence,
          dueDate: day(v.dueDate),
          windowEnd: day(v.windowEnd),
        })),
      );
      await prisma.$transaction([
        prisma.contractVisit.createMany({ data: rows, skipDuplicates: true }),
        // Visits no longer in the plan (an amendment closed the item, or the contract ends sooner).
        prisma.contractVisit.updateMany({
          where: {
            contractId,
            termNumber,
            status: 'planned',
            NOT: { OR: rows.map((r) => ({ planItemId: r.planItemId, sequence: r.sequence })) },
          },
          data: { status: 'cancelled' },
        }),
      ]);
      const visits = await prisma.contractVisit.findMany({
        where: { contractId, termNumber, status: { not: 'cancelled' } },
        orderBy: [{ dueDate: 'asc' }, { sequence: 'asc' }],
      });
      return visits.map(visitView);
    },

    /** Creates the preventive visit's field job (once), covered by the contract, to be done by the end of its window. */
    async startContractVisit({ visitId, deadline }: { visitId: string; deadline: string }) {
      const visit = await prisma.contractVisit.findUniqueOrThrow({
        where: { id: visitId },
        include: { planItem: true, contract: true },
      });
      const idempotencyKey = `contract-visit:${visitId}`;
      const job =
        (await prisma.intervention.findUnique({ where: { idempotencyKey } })) ??
        (await prisma.intervention.create({
          data: {
            idempotencyKey,
            customerId: visit.contract.customerId,
            siteId: visit.planItem.siteId,
            type: 'preventive_visit',
            priority: 'low',
            description: `Visite préventive ${visit.sequence} : ${visit.planItem.label}${visit.planItem.equipment ? ` (${visit.planItem.equipment})` : ''} — contrat ${visit.contract.title}`,
            requiredSkills: visit.planItem.skills,
            durationMinutes: visit.planItem.durationMinutes,
            slaDeadline: new Date(deadline),
            coverageKind: 'contract',
            coverageRef: visit.contractId,
          },
        }));
      await prisma.contractVisit.update({ where: { id: visitId }, data: { status: 'started', interventionId: job.id } });
      return { interventionId: job.id, policy: dispatchPolicy(deps.config) };
    },

    /** At the end of its window: done, or overdue (the account manager is told). */
    async checkContractVisit({ visitId }: { visitId: string }): Promise<'done' | 'overdue' | 'cancelled'> {
      const visit = await prisma.contractVisit.findUniqueOrThrow({ where: { id: visitId }, include: { contract: true } });
      if (visit.status === 'done' || visit.status === 'cancelled') return visit.status;
      const job = visit.interventionId ? await prisma.intervention.findUnique({ where: { id: visit.interventionId } }) : null;
      if (job?.status === 'closed' || job?.status === 'completed') {
        await prisma.contractVisit.update({ where: { id: visitId }, data: { status: 'done' } });
        return 'done';
      }
      await prisma.contractVisit.update({ where: { id: visitId }, data: { status: 'overdue' } });
      await sendEmail({
        key: `contract-visit:${visitId}:overdue`,
        template: 'contractVisitOverdue',
        to: visit.contract.accountManagerEmail,
        payload: { visitId },
      });
      return 'overdue';
    },

    /** Records an amendment as the contract's next version: price from a date, sites, equipment and plan. */
    async recordAmendment({ contractId, version, amendment }: { contractId: string; version: number; amendment: Amendment }) {
      await prisma.$transaction(async (tx) => {
        if (await tx.contractVersion.findUnique({ where: { contractId_version: { contractId, version } } })) return;
        const contract = await tx.contract.findUniqueOrThrow({ where: { id: contractId } });
        const from = day(amendment.effectiveFrom);
        const priceCents = amendment.priceCents ?? contract.priceCents;
        const { reason, by, effectiveFrom: _from, ...changes } = amendment;
        await tx.contractVersion.create({
          data: { contractId, version, effectiveFrom: from, priceCents, changes: changes as object, reason, createdBy: by },
        });
        if (amendment.siteIds) {
          await tx.contractSite.deleteMany({ where: { contractId } });
          await tx.contractSite.createMany({ data: amendment.siteIds.map((siteId) => ({ contractId, siteId })) });
        }
        if (amendment.plan) {
          await tx.contractPlanItem.updateMany({ where: { contractId, validTo: null }, data: { validTo: from } });
          await tx.contractPlanItem.createMany({
            data: amendment.plan.map((p) => ({ ...p, equipment: p.equipment ?? null, contractId, validFrom: from })),
          });
        }
        await tx.contract.update({
          where: { id: contractId },
          data: { priceCents, ...(amendment.equipment ? { equipment: amendment.equipment } : {}) },
        });
      });
    },

    /** The renewal proposal: the next term's price by the contract's rule (uplift or index). */
    async prepareRenewal({ contractId, today }: { contractId: string; today: IsoDate }) {
      const c = await prisma.contract.findUniqueOrThrow({ where: { id: contractId } });
      let proposedPriceCents = renewalPrice(c.priceCents, { kind: 'uplift', upliftBp: c.renewalUpliftBp });
      let rule = c.renewalUpliftBp ? `+${(c.renewalUpliftBp / 100).toLocaleString('fr-FR')} %` : 'prix inchangé';
      if (c.renewalRule === 'index' && c.renewalIndex) {
        const at = (date: Date) =>
          prisma.priceIndexValue.findFirst({
            where: { name: c.renewalIndex!, publishedOn: { lte: date } },
            orderBy: { publishedOn: 'desc' },
          });
        const [start, latest] = await Promise.all([at(c.termStart), at(day(today))]);
        if (start && latest) {
          proposedPriceCents = renewalPrice(c.priceCents, { kind: 'index', startValue: start.valueMilli, latestValue: latest.valueMilli });
          rule = `indice ${c.renewalIndex} ${(start.valueMilli / 1000).toLocaleString('fr-FR')} → ${(latest.valueMilli / 1000).toLocaleString('fr-FR')}`;
        } else {
          rule = `indice ${c.renewalIndex} non publié : prix inchangé`;
          proposedPriceCents = c.priceCents;
        }
      }
      await prisma.contract.update({ where: { id: contractId }, data: { renewalStatus: 'proposed', proposedPriceCents } });
      return { proposedPriceCents, rule, currentPrice: formatEuros(c.priceCents), proposedPrice: formatEuros(proposedPriceCents) };
    },

    /** Where the renewal stands, on the record (for lists of contracts expiring soon). */
    async setRenewalStatus({ contractId, renewalStatus }: { contractId: string; renewalStatus: string }) {
      await prisma.contract.update({ where: { id: contractId }, data: { renewalStatus } });
    },

    /** The legal reminder (loi Chatel) went out with the proposal: kept on the term as proof. */
    async recordLegalNotice({ contractId, termNumber }: { contractId: string; termNumber: number }) {
      await prisma.contractTerm.updateMany({
        where: { contractId, number: termNumber, legalNoticeSentAt: null },
        data: { legalNoticeSentAt: deps.now() },
      });
    },

    /**
     * Closes the term with its outcome. Renewed: the next term starts where this one ends, at the
     * new price (a version from that day). Otherwise the contract ends at the term's end.
     */
    async recordRenewalOutcome({
      contractId,
      termNumber,
      outcome,
      priceCents,
    }: {
      contractId: string;
      termNumber: number;
      outcome: RenewalOutcome;
      priceCents: number;
    }) {
      await prisma.$transaction(async (tx) => {
        const c = await tx.contract.findUniqueOrThrow({ where: { id: contractId } });
        if (c.termNumber !== termNumber) return; // already recorded
        await tx.contractTerm.update({ where: { contractId_number: { contractId, number: termNumber } }, data: { outcome } });
        if (outcome === 'renewed' || outcome === 'tacitly_renewed') {
          const start = dayOf(c.termEnd);
          const end = addMonths(start, c.termMonths);
          const version = (await tx.contractVersion.count({ where: { contractId } })) + 1;
          await tx.contractTerm.create({ data: { contractId, number: termNumber + 1, start: day(start), end: day(end), priceCents } });
          await tx.contractVersion.create({
            data: {
              contractId,
              version,
              effectiveFrom: day(start),
              priceCents,
              changes: { renewal: outcome },
              reason: outcome === 'renewed' ? 'Renouvellement accepté' : 'Reconduction tacite',
              createdBy: 'serviceContract',
            },
          });
          await tx.contract.update({
            where: { id: contractId },
            data: {
              termNumber: termNumber + 1,
              termStart: day(start),
              termEnd: day(end),
              priceCents,
              renewalStatus: outcome,
              proposedPriceCents: null,
            },
          });
        } else {
          await tx.contract.update({
            where: { id: contractId },
            data: { status: 'ending', endDate: c.endDate ?? c.termEnd, endReason: c.endReason ?? outcome, renewalStatus: outcome },
          });
        }
      });
    },

    /** Notice given: the contract ends on `endDate` (its visits after that are cancelled at the end). */
    async recordTermination({ contractId, endDate, reason }: { contractId: string; endDate: IsoDate; reason: string }) {
      await prisma.contract.update({
        where: { id: contractId },
        data: { status: 'ending', endDate: day(endDate), endReason: reason, renewalStatus: 'not_renewed' },
      });
    },

    /** The contract has ended: terminated, visits not started are cancelled. */
    async closeContract({ contractId, termNumber }: { contractId: string; termNumber: number }) {
      await prisma.$transaction([
        prisma.contract.update({ where: { id: contractId }, data: { status: 'terminated' } }),
        prisma.contractVisit.updateMany({ where: { contractId, status: 'planned' }, data: { status: 'cancelled' } }),
        prisma.contractTerm.updateMany({ where: { contractId, number: termNumber, outcome: null }, data: { outcome: 'terminated' } }),
      ]);
    },
  };
}
