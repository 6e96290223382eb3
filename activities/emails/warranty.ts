import { approvalToken } from '../../infra/approval-tokens';
import { formatEuros } from '../../domain/money';
import type { ActivityDeps } from '../deps';
import type { Render } from './index';

const frDate = (d: Date): string => d.toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' });
const pdf = (filename: string, content: Uint8Array) => ({ filename, content: Buffer.from(content), contentType: 'application/pdf' });
const ref = (claimId: string) => `dossier SAV ${claimId.slice(0, 8)}`;

const claimOf = (claimId: string, { prisma }: ActivityDeps) =>
  prisma.warrantyClaim.findUniqueOrThrow({
    where: { id: claimId },
    include: {
      equipment: { include: { supplier: true } },
      customer: true,
      lines: { orderBy: [{ stage: 'asc' }, { position: 'asc' }] },
      supplierClaim: true,
    },
  });

const coverageWord: Record<string, string> = {
  covered: 'pris en charge',
  goodwill: 'offert (geste commercial)',
  not_covered: 'à votre charge',
};

/** The lines of the latest stage, each with its coverage. */
function linesText(claim: Awaited<ReturnType<typeof claimOf>>): string {
  const stage = claim.lines.some((l) => l.stage === 'actual') ? 'actual' : 'estimate';
  return claim.lines
    .filter((l) => l.stage === stage)
    .map(
      (l) =>
        `  - ${l.description.replace(/^Dossier SAV \w+ : /, '')} : ${coverageWord[l.coverage]}` +
        `${l.coverage === 'not_covered' ? ` (${formatEuros(l.quantity * l.unitPriceCents)} HT)` : ''} - ${l.reason}`,
    )
    .join('\n');
}

/** The quote email: what is covered, what is not and its price, and the link to accept or refuse. */
async function quoteText(approvalId: string, deps: ActivityDeps) {
  const approval = await deps.prisma.approval.findUniqueOrThrow({ where: { id: approvalId } });
  const claim = await claimOf(approval.workflowId.replace(/^claim-/, ''), deps);
  const link = `${deps.config.PUBLIC_URL}/approvals/${approvalToken(deps.config.APPROVAL_SECRET, approval)}`;
  return {
    claim,
    subject: `Devis ${claim.quoteNumber} - réparation de votre ${claim.equipment.model}`,
    body:
      `Bonjour,\n\nSuite à votre demande (${ref(claim.id)}) concernant votre ${claim.equipment.model} n° ${claim.equipment.serialNumber}, ` +
      `voici notre devis ${claim.quoteNumber} :\n\n${linesText(claim)}\n\nTotal à votre charge : ${formatEuros(claim.customerCents)} HT\n\n` +
      `Pour accepter ou refuser ce devis (lien valable jusqu'au ${frDate(approval.expiresAt)}) :\n${link}\n\n` +
      `Ouvrir le lien ne change rien ; seuls les boutons de la page enregistrent votre réponse. Sans réponse, le dossier sera clos.\n\n` +
      `Cordialement,\n${deps.config.SELLER_NAME}\n`,
    attachments: claim.quotePdf ? [pdf(`${claim.quoteNumber}.pdf`, claim.quotePdf)] : [],
  };
}

const outcomeText: Record<string, string> = {
  repaired: 'Votre équipement a été réparé.',
  replaced: 'Votre équipement a été remplacé ; le nouvel appareil bénéficie de sa propre garantie.',
  credited: "L'intervention déjà facturée est prise en charge : un avoir vous est adressé.",
  not_covered: "L'intervention déjà facturée n'est pas couverte par la garantie.",
  quote_refused: 'Vous avez refusé notre devis : le dossier est clos sans réparation.',
  quote_expired: 'Sans réponse de votre part dans le délai de validité du devis, le dossier est clos sans réparation.',
  inspection_cancelled: "Le diagnostic n'a pas pu avoir lieu : le dossier est clos. N'hésitez pas à nous recontacter.",
  repair_cancelled: "La réparation a été annulée : le dossier est clos. N'hésitez pas à nous recontacter.",
};

/** Emails of warranty claims: to the customer (receipt, quote, outcome), the warranty manager and the supplier. */
export const warrantyEmails = {
  warrantyClaimReceived: (async ({ claimId }, deps) => {
    const claim = await claimOf(claimId, deps);
    return {
      subject: `Votre demande SAV ${claimId.slice(0, 8)} est enregistrée`,
      text:
        `Bonjour,\n\nNous avons bien reçu votre demande concernant votre ${claim.equipment.model} n° ${claim.equipment.serialNumber} :\n` +
        `« ${claim.reportedFault} »\n\n${claim.needsInspection ? 'Un technicien va passer établir un diagnostic ; vous recevrez son rendez-vous.' : 'Nous étudions la prise en charge et revenons vers vous rapidement.'}\n\nCordialement,\n${deps.config.SELLER_NAME}\n`,
    };
  }) as Render<{ claimId: string }>,

  warrantyDecisionNeeded: (async ({ claimId }, deps) => {
    const claim = await claimOf(claimId, deps);
    return {
      subject: `Warranty claim ${claimId.slice(0, 8)}: not fully covered, quote pending`,
      text:
        `Claim ${claimId} on ${claim.equipment.model} ${claim.equipment.serialNumber} (${claim.customer.legalName}) is ${String(claim.decision).replace(/_/g, ' ')} by the warranty rules:\n\n` +
        `${linesText(claim)}\n\nCustomer share: ${formatEuros(claim.customerCents)} HT. Cost borne: ${formatEuros(claim.costCents)} HT.\n\n` +
        `Unless you decide otherwise within ${deps.config.WARRANTY_DECISION_DAYS} day(s), the quote goes to the customer.\n` +
        `To grant goodwill (approval needed): POST ${deps.config.PUBLIC_URL}/warranty-claims/${claimId}/decision {"decision":"goodwill","reason":"..."}\n` +
        `To send the quote now: the same with {"decision":"as_proposed","reason":"..."}\n`,
    };
  }) as Render<{ claimId: string }>,

  warrantyQuote: (async ({ approvalId }, deps) => {
    const { subject, body, attachments } = await quoteText(approvalId, deps);
    return { subject, text: body, attachments };
  }) as Render<{ approvalId: string }>,

  warrantyQuoteReminder: (async ({ approvalId }, deps) => {
    const { subject, body, attachments } = await quoteText(approvalId, deps);
    return { subject: `Rappel : ${subject}`, text: `Votre réponse à notre devis est toujours attendue.\n\n${body}`, attachments };
  }) as Render<{ approvalId: string }>,

  warrantyClaimOutcome: (async ({ claimId, outcome }, deps) => {
    const claim = await claimOf(claimId, deps);
    const invoice = claim.invoiceId ? await deps.prisma.invoice.findUnique({ where: { id: claim.invoiceId } }) : null;
    const extension = await deps.prisma.equipmentEvent.findUnique({ where: { idempotencyKey: `claim:${claimId}:warranty-extension` } });
    const extendedTo = (extension?.detail as { to?: string } | undefined)?.to;
    return {
      subject: `Votre demande SAV ${claimId.slice(0, 8)} : ${outcome.startsWith('quote') || outcome.endsWith('cancelled') ? 'dossier clos' : 'résultat'}`,
      text:
        `Bonjour,\n\n${outcomeText[outcome] ?? 'Votre dossier est traité.'}\n\n` +
        (claim.lines.length ? `Prise en charge :\n${linesText(claim)}\n\n` : '') +
        (invoice ? `La facture ${invoice.number} (${formatEuros(invoice.totalTtcCents)} TTC) vous est adressée séparément.\n` : '') +
        (extendedTo ? `La garantie de votre équipement est prolongée jusqu'au ${extendedTo.split('-').reverse().join('/')}.\n` : '') +
        `\nCordialement,\n${deps.config.SELLER_NAME}\n`,
    };
  }) as Render<{ claimId: string; outcome: string }>,

  supplierClaim: (async ({ claimId }, deps) => {
    const claim = await claimOf(claimId, deps);
    const s = claim.supplierClaim!;
    return {
      subject: `Demande de prise en charge garantie ${s.number} - ${claim.equipment.model} n° ${claim.equipment.serialNumber}`,
      text:
        `Bonjour,\n\nNous avons réparé sous garantie l'équipement ${claim.equipment.model} n° ${claim.equipment.serialNumber}, ` +
        `installé le ${frDate(claim.equipment.installedOn)} et couvert par votre garantie fournisseur.\n` +
        `Vous trouverez ci-joint notre demande de prise en charge ${s.number} d'un montant de ${formatEuros(s.amountClaimedCents)} HT.\n\n` +
        `Merci de nous faire connaître votre décision (acceptation, acceptation partielle avec le montant, ou refus motivé) en rappelant ce numéro.\n\n` +
        `Cordialement,\n${deps.config.SELLER_NAME} - service après-vente\n`,
      attachments: s.pdf ? [pdf(`${s.number}.pdf`, s.pdf)] : [],
    };
  }) as Render<{ claimId: string }>,

  supplierClaimReminder: (async ({ claimId, reminder }, deps) => {
    const claim = await claimOf(claimId, deps);
    const s = claim.supplierClaim!;
    return {
      subject: `Relance ${reminder} : demande de prise en charge garantie ${s.number}`,
      text:
        `Bonjour,\n\nSauf erreur de notre part, notre demande de prise en charge ${s.number} du ${frDate(s.sentAt)} ` +
        `(${formatEuros(s.amountClaimedCents)} HT, ${claim.equipment.model} n° ${claim.equipment.serialNumber}) est toujours sans réponse.\n` +
        `Merci de nous indiquer votre décision.\n\nCordialement,\n${deps.config.SELLER_NAME} - service après-vente\n`,
      attachments: s.pdf ? [pdf(`${s.number}.pdf`, s.pdf)] : [],
    };
  }) as Render<{ claimId: string; reminder: number }>,
};
