import { approvalToken } from '../../infra/approval-tokens';
import { frenchDate, isoDate } from '../../domain/contracts';
import { formatEuros } from '../../domain/money';
import type { ApprovalSummary } from '../../workflows/shared/approval.definitions';
import type { RenewalOutcome } from '../../workflows/service-contract.definitions';
import type { ActivityDeps } from '../deps';
import type { Render } from './index';

const day = (d: Date) => frenchDate(isoDate(d.getTime()));
const contractOf = (contractId: string, { prisma }: ActivityDeps) =>
  prisma.contract.findUniqueOrThrow({ where: { id: contractId }, include: { customer: true } });

/** The renewal proposal as the customer reads it, with the link to accept or refuse. */
async function proposalText(approvalId: string, deps: ActivityDeps) {
  const approval = await deps.prisma.approval.findUniqueOrThrow({ where: { id: approvalId } });
  const contract = await contractOf(approval.workflowId.replace(/^contract-/, ''), deps);
  const summary = approval.summary as unknown as ApprovalSummary;
  const rows = summary.rows.map(([label, value]) => `  ${label} : ${value}`).join('\n');
  const link = `${deps.config.PUBLIC_URL}/approvals/${approvalToken(deps.config.APPROVAL_SECRET, approval)}`;
  const deadline = summary.rows.find(([k]) => k === 'Date limite de refus')?.[1];
  // Loi Chatel (Code de la consommation, art. L215-1): a consumer is told in writing of the
  // right to refuse tacit renewal, and of the deadline, 3 to 1 months before it.
  const legal =
    contract.tacitRenewal && !contract.customer.isBusiness
      ? `\nConformément à l'article L215-1 du Code de la consommation, nous vous rappelons que votre contrat se renouvellera ` +
        `tacitement à son échéance. Vous pouvez refuser cette reconduction jusqu'au ${deadline}, par le lien ci-dessous ` +
        `ou par écrit. Sans réponse de votre part, le contrat sera reconduit aux conditions ci-dessus.\n`
      : '';
  return {
    contract,
    body:
      `Bonjour,\n\nVotre contrat « ${contract.title} » arrive à échéance. Nous vous proposons de le renouveler :\n\n${rows}\n${legal}\n` +
      `Pour accepter ou refuser le renouvellement (lien valable jusqu'au ${day(approval.expiresAt)}) :\n${link}\n\n` +
      `Ouvrir le lien ne change rien ; seuls les boutons de la page enregistrent votre réponse.\n\nCordialement,\n${deps.config.SELLER_NAME}\n`,
  };
}

const outcomeText: Record<RenewalOutcome, string> = {
  renewed: 'Nous vous confirmons le renouvellement de votre contrat',
  tacitly_renewed: 'Sans refus de votre part dans le délai prévu, votre contrat est reconduit tacitement',
  refused: 'Nous prenons acte de votre refus : votre contrat ne sera pas renouvelé et prendra fin à son échéance',
  not_renewed: 'Votre contrat ne sera pas renouvelé et prendra fin à son échéance',
  terminated: 'Votre contrat est résilié',
};

/** Emails of service contracts: renewal proposals (loi Chatel), outcomes, amendments, notice, missed visits. */
export const contractEmails = {
  renewalProposal: (async ({ approvalId }, deps) => {
    const { contract, body } = await proposalText(approvalId, deps);
    return { subject: `Renouvellement de votre contrat ${contract.title}`, text: body };
  }) as Render<{ approvalId: string }>,

  renewalProposalReminder: (async ({ approvalId }, deps) => {
    const { contract, body } = await proposalText(approvalId, deps);
    return {
      subject: `Rappel : renouvellement de votre contrat ${contract.title}`,
      text: `Nous attendons toujours votre réponse.\n\n${body}`,
    };
  }) as Render<{ approvalId: string }>,

  contractRenewalOutcome: (async ({ contractId, outcome, priceCents }, deps) => {
    const c = await contractOf(contractId, deps);
    const renewed = outcome === 'renewed' || outcome === 'tacitly_renewed';
    return {
      subject: `Votre contrat ${c.title} : ${renewed ? 'renouvellement' : 'fin à échéance'}`,
      text:
        `Bonjour,\n\n${outcomeText[outcome]} (échéance du ${day(c.termEnd)}).\n` +
        (renewed ? `Nouveau prix annuel HT : ${formatEuros(priceCents)}.\n` : '') +
        `\nCordialement,\n${deps.config.SELLER_NAME}\n`,
    };
  }) as Render<{ contractId: string; outcome: RenewalOutcome; priceCents: number }>,

  contractNotRenewed: (async ({ contractId }, deps) => {
    const c = await contractOf(contractId, deps);
    return {
      subject: `Votre contrat ${c.title} : fin à échéance`,
      text: `Bonjour,\n\nNous vous informons que votre contrat « ${c.title} » ne sera pas renouvelé ; il prend fin le ${day(c.termEnd)}.\n\nCordialement,\n${deps.config.SELLER_NAME}\n`,
    };
  }) as Render<{ contractId: string; outcome: RenewalOutcome; priceCents: number }>,

  contractAmended: (async ({ contractId, effectiveFrom, reason }, deps) => {
    const c = await contractOf(contractId, deps);
    return {
      subject: `Avenant à votre contrat ${c.title}`,
      text: `Bonjour,\n\nUn avenant à votre contrat « ${c.title} » prend effet le ${frenchDate(effectiveFrom)} : ${reason}.\nPrix annuel HT en vigueur : ${formatEuros(c.priceCents)}. Un éventuel prorata figurera sur votre prochaine facture.\n\nCordialement,\n${deps.config.SELLER_NAME}\n`,
    };
  }) as Render<{ contractId: string; effectiveFrom: string; reason: string }>,

  contractNotice: (async ({ contractId, endDate, reason }, deps) => {
    const c = await contractOf(contractId, deps);
    return {
      subject: `Résiliation du contrat ${c.title}`,
      text: `Bonjour,\n\nLa résiliation du contrat « ${c.title} » (${c.customer.legalName}) est enregistrée.\n${reason}\nFin du contrat : ${frenchDate(endDate)} (dernier jour : la veille).\n\nCordialement,\n${deps.config.SELLER_NAME}\n`,
    };
  }) as Render<{ contractId: string; endDate: string; reason: string }>,

  contractEnded: (async ({ contractId }, deps) => {
    const c = await contractOf(contractId, deps);
    return {
      subject: `Fin du contrat ${c.title}`,
      text: `Bonjour,\n\nLe contrat « ${c.title} » (${c.customer.legalName}) a pris fin le ${day(c.endDate ?? c.termEnd)}. Les visites non réalisées sont annulées ; une facture de clôture suit si le contrat était facturé à terme échu.\n\nCordialement,\n${deps.config.SELLER_NAME}\n`,
    };
  }) as Render<{ contractId: string }>,

  contractVisitOverdue: (async ({ visitId }, { prisma, config }) => {
    const visit = await prisma.contractVisit.findUniqueOrThrow({
      where: { id: visitId },
      include: { contract: { include: { customer: true } }, planItem: true },
    });
    return {
      subject: `Overdue preventive visit: ${visit.contract.title} (${visit.contract.customer.legalName})`,
      text:
        `Preventive visit ${visit.sequence} of "${visit.planItem.label}" was due between ${day(visit.dueDate)} and ${day(visit.windowEnd)} and is not done.\n` +
        `Contract: ${config.PUBLIC_URL}/contracts/${visit.contractId}\n` +
        (visit.interventionId ? `Intervention: ${config.PUBLIC_URL}/interventions/${visit.interventionId}\n` : ''),
    };
  }) as Render<{ visitId: string }>,
};
