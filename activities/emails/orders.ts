import { formatEuros } from '../../domain/money';
import type { DunningLevel } from '../../domain/dunning';
import type { Render } from './index';

const frDate = (d: Date): string => d.toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' });
const pdf = (filename: string, content: Uint8Array) => ({ filename, content: Buffer.from(content), contentType: 'application/pdf' });

const dunningWording: Record<DunningLevel['kind'], { subject: string; intro: string }> = {
  reminder: {
    subject: 'Relance',
    intro:
      'Sauf erreur de notre part, la facture ci-dessous reste impayée à ce jour. Nous vous remercions de bien vouloir procéder à son règlement.',
  },
  formal_notice: {
    subject: 'Mise en demeure',
    intro:
      'Malgré nos relances, la facture ci-dessous reste impayée. Nous vous mettons en demeure de la régler sous huit jours. ' +
      'À défaut, des pénalités de retard et l’indemnité forfaitaire de 40 € pour frais de recouvrement seront exigibles.',
  },
  collection: {
    subject: 'Transmission au service contentieux',
    intro: 'Faute de règlement, votre dossier est transmis à notre service de recouvrement.',
  },
};

/** Customer-facing emails of order to cash, in French (France is the first market). */
export const orderEmails = {
  orderRejected: (async ({ orderId, reason }) => ({
    subject: `Votre commande ${orderId} n'a pas pu être acceptée`,
    text: `Bonjour,\n\nNous ne pouvons pas donner suite à votre commande ${orderId}.\nMotif : ${reason}\n\nNotre service commercial reste à votre disposition.\n`,
  })) as Render<{ orderId: string; reason: string }>,

  orderCancelled: (async ({ orderId, reason }) => ({
    subject: `Annulation de votre commande ${orderId}`,
    text: `Bonjour,\n\nVotre commande ${orderId} est annulée.\nMotif : ${reason}\n\nSi une facture avait été émise, l'avoir correspondant vous est adressé séparément.\n`,
  })) as Render<{ orderId: string; reason: string }>,

  invoice: (async ({ invoiceId }, { prisma }) => {
    const invoice = await prisma.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
    return {
      subject: `Facture ${invoice.number}`,
      text:
        `Bonjour,\n\nVeuillez trouver ci-joint la facture ${invoice.number} du ${frDate(invoice.issuedAt)}.\n` +
        `Montant TTC : ${formatEuros(invoice.totalTtcCents)}\nÀ régler avant le : ${frDate(invoice.dueDate)}\n\nCordialement,\n`,
      attachments: invoice.pdf ? [pdf(`${invoice.number}.pdf`, invoice.pdf)] : [],
    };
  }) as Render<{ invoiceId: string }>,

  creditNote: (async ({ creditNoteId }, { prisma }) => {
    const note = await prisma.creditNote.findUniqueOrThrow({ where: { id: creditNoteId }, include: { invoice: true } });
    return {
      subject: `Avoir ${note.number} sur la facture ${note.invoice.number}`,
      text: `Bonjour,\n\nVeuillez trouver ci-joint l'avoir ${note.number} de ${formatEuros(note.totalTtcCents)} se rapportant à la facture ${note.invoice.number}.\nMotif : ${note.reason}\n`,
      attachments: note.pdf ? [pdf(`${note.number}.pdf`, note.pdf)] : [],
    };
  }) as Render<{ creditNoteId: string }>,

  dunning: (async ({ invoiceId, level }, { prisma }) => {
    const invoice = await prisma.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
    const due = Math.max(0, invoice.totalTtcCents - invoice.creditedCents - invoice.paidCents);
    const wording = dunningWording[level.kind];
    return {
      subject: `${wording.subject} : facture ${invoice.number} (${formatEuros(due)} dus)`,
      text:
        `Bonjour,\n\n${wording.intro}\n\nRelevé :\n` +
        `  Facture ${invoice.number} du ${frDate(invoice.issuedAt)}, échue le ${frDate(invoice.dueDate)}\n` +
        `  Montant TTC : ${formatEuros(invoice.totalTtcCents)}\n  Déjà réglé : ${formatEuros(invoice.paidCents)}\n` +
        (invoice.creditedCents ? `  Avoirs : ${formatEuros(invoice.creditedCents)}\n` : '') +
        `  Reste dû : ${formatEuros(due)}\n\nNiveau de relance : ${level.level}\n`,
    };
  }) as Render<{ invoiceId: string; level: DunningLevel }>,

  collectionHandoff: (async ({ invoiceId }, { prisma }) => {
    const invoice = await prisma.invoice.findUniqueOrThrow({ where: { id: invoiceId }, include: { customer: true } });
    const due = Math.max(0, invoice.totalTtcCents - invoice.creditedCents - invoice.paidCents);
    return {
      subject: `Hand-off to collection: ${invoice.number} (${invoice.customer.legalName})`,
      text: `The dunning ladder is exhausted for invoice ${invoice.number}: ${formatEuros(due)} still due by ${invoice.customer.legalName}.\nThe order process keeps waiting for payment.\n`,
    };
  }) as Render<{ invoiceId: string }>,

  receipt: (async ({ invoiceId }, { prisma }) => {
    const invoice = await prisma.invoice.findUniqueOrThrow({
      where: { id: invoiceId },
      include: { allocations: { include: { payment: true } } },
    });
    const lines = invoice.allocations
      .map((a) => `  ${frDate(a.payment.receivedOn)}  ${a.payment.reference}  ${formatEuros(a.amountCents)}`)
      .join('\n');
    return {
      subject: `Reçu de paiement : facture ${invoice.number} soldée`,
      text: `Bonjour,\n\nNous avons bien reçu le règlement de la facture ${invoice.number} (${formatEuros(invoice.totalTtcCents)}). Elle est soldée.\n\nRèglements :\n${lines}\n\nMerci de votre confiance.\n`,
    };
  }) as Render<{ invoiceId: string }>,
};
