import { renderAppointmentIcs } from '../documents/appointment-ics';
import type { PartUse } from '../../workflows/intervention-dispatch.definitions';
import type { Render } from './index';

const paris = (d: Date): string => d.toLocaleString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'full', timeStyle: 'short' });

/** How a job's type reads in French. */
export const typeLabel: Record<string, string> = {
  breakdown: 'Dépannage',
  installation: 'Installation',
  preventive_visit: 'Visite préventive',
  inspection: 'Inspection',
};

/** Emails of intervention dispatch: appointments with .ics, the field report, and escalations to the dispatcher. */
export const dispatchEmails = {
  appointment: (async ({ interventionId, method, sequence, audience }, { prisma, config }) => {
    const job = await prisma.intervention.findUniqueOrThrow({
      where: { id: interventionId },
      include: { site: { include: { customer: true } }, technician: true },
    });
    const start = job.appointmentStart ?? new Date();
    const end = job.appointmentEnd ?? start;
    const place = `${job.site.addressLine}, ${job.site.postalCode} ${job.site.city}`;
    const what = `${typeLabel[job.type]} - ${job.site.name}`;
    const ics = renderAppointmentIcs({
      uid: `intervention-${job.id}@backoffice.local`,
      sequence,
      method,
      start: start.toISOString(),
      end: end.toISOString(),
      title: what,
      description: job.description,
      location: place,
      organizer: { name: config.SELLER_NAME, email: config.DISPATCHER_EMAIL },
      attendees: [
        { name: job.technician?.name ?? 'Technicien', email: job.technician?.email ?? config.DISPATCHER_EMAIL },
        { name: job.site.customer.legalName, email: job.site.customer.billingEmail },
      ],
    });
    const cancelled = method === 'CANCEL';
    const subject = cancelled ? `Intervention annulée : ${what}` : `Rendez-vous d'intervention : ${what}, ${paris(start)}`;
    const text =
      audience === 'technician'
        ? `${cancelled ? 'This job is cancelled' : 'New job for you: accept or decline it in the app'}.\n\n${what}\n${place}\n${paris(start)} - ${paris(end)}\nPriority: ${job.priority}\nSLA deadline: ${job.slaDeadline?.toISOString() ?? '-'}\n\n${job.description}\n`
        : `Bonjour,\n\n${cancelled ? 'Le rendez-vous suivant est annulé' : 'Votre rendez-vous est fixé'} :\n${what}\n${place}\nle ${paris(start)}${job.technician && !cancelled ? ` avec ${job.technician.name}` : ''}.\n\nLe fichier joint l'ajoute à votre agenda.\n`;
    return {
      subject,
      text,
      attachments: [
        { filename: 'intervention.ics', content: Buffer.from(ics), contentType: `text/calendar; charset=utf-8; method=${method}` },
      ],
    };
  }) as Render<{
    interventionId: string;
    method: 'REQUEST' | 'CANCEL';
    sequence: number;
    technicianId: string;
    audience: 'technician' | 'customer';
  }>,

  fieldReport: (async ({ interventionId }, { prisma }) => {
    const job = await prisma.intervention.findUniqueOrThrow({ where: { id: interventionId }, include: { site: true } });
    return {
      subject: `Rapport d'intervention - ${job.site.name}`,
      text: `Bonjour,\n\nL'intervention sur le site ${job.site.name} est terminée. Vous trouverez le rapport ci-joint.\n`,
      attachments: job.reportPdf
        ? [
            {
              filename: `rapport-intervention-${job.id.slice(0, 8)}.pdf`,
              content: Buffer.from(job.reportPdf),
              contentType: 'application/pdf',
            },
          ]
        : [],
    };
  }) as Render<{ interventionId: string }>,

  dispatchEscalation: (async ({ interventionId, kind, detail, parts }, { prisma, config }) => {
    const job = await prisma.intervention.findUniqueOrThrow({ where: { id: interventionId }, include: { site: true, technician: true } });
    const link = `${config.PUBLIC_URL}/interventions/${job.id}`;
    const subjects = {
      no_technician: `No technician fits: ${job.priority} ${job.type} at ${job.site.name}`,
      sla_breach: `SLA breached: ${job.priority} ${job.type} at ${job.site.name}`,
      parts_request: `Parts needed: ${job.type} at ${job.site.name} is on hold`,
    };
    const body = {
      no_technician: `Nobody can take this job automatically; assign a technician by hand (POST ${link}/assign).\n\nWhy:\n${detail ?? ''}`,
      sla_breach: `Nobody checked in by the SLA deadline (${job.slaDeadline?.toISOString()}). Technician: ${job.technician?.name ?? 'none yet'}. The job goes on; it is flagged as breached.`,
      parts_request: `${job.technician?.name ?? 'The technician'} needs:\n${(parts ?? []).map((p: PartUse) => `  ${p.quantity} x ${p.sku}`).join('\n')}\n${detail ? `Note: ${detail}\n` : ''}\nWhen they arrive: POST ${link}/parts-arrived`,
    };
    return { subject: subjects[kind], text: `${body[kind]}\n\nJob: ${link}\n${job.description}\n` };
  }) as Render<{ interventionId: string; kind: 'no_technician' | 'sla_breach' | 'parts_request'; detail?: string; parts?: PartUse[] }>,
};
