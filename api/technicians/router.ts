import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import type { ApiDeps } from '../deps';
import { allow, readers } from '../auth';
import { HttpError, notFound, parse } from '../errors';
import { page, pageQuery } from '../pagination';
import { createTechnicianBody, idParams, scheduleQuery } from '../interventions/validators';

/** Technicians (each with a van stock location) and their schedules. */
export function techniciansRouter({ prisma }: ApiDeps): Router {
  const router = Router();

  router.post('/', allow('dispatcher', 'operations'), async (req, res) => {
    const body = parse(createTechnicianBody, req.body);
    if (await prisma.technician.findUnique({ where: { email: body.email } }))
      throw new HttpError(409, 'Conflict', `A technician with ${body.email} exists`);
    const technician = await prisma.technician.create({
      data: {
        ...body,
        van: { create: { code: `VAN-${randomUUID().slice(0, 8).toUpperCase()}`, name: `Van of ${body.name}`, isVan: true } },
      },
      include: { van: true },
    });
    res.status(201).location(`/technicians/${technician.id}`).json(technician);
  });

  router.get('/', allow(...readers), async (req, res) => {
    const p = page(parse(pageQuery, req.query, 'query'));
    res.json(p.shape(await prisma.technician.findMany({ ...p.args, include: { van: true } })));
  });

  router.get('/:id', allow(...readers), async (req, res) => {
    const { id } = parse(idParams, req.params, 'path');
    const technician = await prisma.technician.findUnique({
      where: { id },
      include: { van: { include: { stockLevels: { include: { product: true } } } } },
    });
    if (!technician) throw notFound('Technician');
    res.json(technician);
  });

  router.get('/:id/schedule', allow(...readers), async (req, res) => {
    const { id } = parse(idParams, req.params, 'path');
    const { from, to } = parse(scheduleQuery, req.query, 'query');
    if (!(await prisma.technician.findUnique({ where: { id } }))) throw notFound('Technician');
    const jobs = await prisma.intervention.findMany({
      where: { technicianId: id, appointmentStart: { lt: new Date(to) }, appointmentEnd: { gt: new Date(from) } },
      orderBy: { appointmentStart: 'asc' },
      include: { site: true },
      omit: { reportPdf: true },
    });
    res.json({ technicianId: id, from, to, appointments: jobs });
  });

  return router;
}
