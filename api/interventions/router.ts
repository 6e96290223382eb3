import { Router, type Request } from 'express';
import type { ApiDeps } from '../deps';
import { processStatus, startOnce } from '../../infra/temporal';
import { actAs, allow, readers } from '../auth';
import { HttpError, notFound, parse } from '../errors';
import {
  acceptJobUpdate,
  assignTechnicianUpdate,
  cancelJobUpdate,
  checkInUpdate,
  completeJobUpdate,
  declineJobUpdate,
  interventionStatusQuery,
  interventionWorkflowId,
  partsArrivedSignal,
  reportWorkUpdate,
  requestPartsUpdate,
} from '../../workflows/intervention-dispatch.definitions';
import { interventionBillingProgressQuery, interventionBillingRunId } from '../../workflows/intervention-billing-run.definitions';
import { BusinessKey, CustomerId } from '../../workflows/shared/search-attributes';
import { createOnce } from '../idempotency';
import { idempotencyKeyHeader } from '../orders/validators';
import { page } from '../pagination';
import { dispatchPolicy } from '../../infra/policies';
import {
  assignBody,
  billingRunBody,
  boardQuery,
  cancelBody,
  checkInBody,
  completeBody,
  createInterventionBody,
  createSiteBody,
  declineBody,
  listSitesQuery,
  idParams,
  partsRequestBody,
  periodParams,
  reportBody,
  technicianBody,
} from './validators';

const OPEN = ['new', 'awaiting_assignment', 'assigned', 'accepted', 'in_progress', 'on_hold_parts'] as const;
const who = (req: Request) => `${req.apiKey?.name ?? 'api'} (${req.apiKey?.role})`;

/** Sites, field jobs (each an interventionDispatch process), the dispatcher's board and monthly billing runs. */
export function interventionsRouter({ prisma, temporal, config }: ApiDeps): Router {
  const router = Router();
  const handle = (id: string) => temporal.workflow.getHandle(interventionWorkflowId(id));

  async function findJob(req: Request) {
    const { id } = parse(idParams, req.params, 'path');
    const job = await prisma.intervention.findUnique({ where: { id }, omit: { reportPdf: true } });
    if (!job) throw notFound('Intervention');
    return job;
  }

  /** Parts must exist and the assigned technician's van must hold them. */
  async function checkVanStock(technicianId: string | null, parts: { sku: string; quantity: number }[], field: string) {
    const products = await prisma.product.findMany({ where: { sku: { in: parts.map((p) => p.sku) } } });
    const van = technicianId ? await prisma.technician.findUnique({ where: { id: technicianId } }) : null;
    const levels = van ? await prisma.stockLevel.findMany({ where: { warehouseId: van.vanWarehouseId } }) : [];
    const errors = parts.flatMap((p, i) => {
      const product = products.find((x) => x.sku === p.sku);
      if (!product) return [{ path: `body.${field}.${i}.sku`, message: `Unknown SKU ${p.sku}` }];
      if (field !== 'parts') return [];
      const level = levels.find((l) => l.productId === product.id);
      const available = level ? level.onHand - level.reserved : 0;
      return available >= p.quantity ? [] : [{ path: `body.parts.${i}.quantity`, message: `The van holds ${available} of ${p.sku}` }];
    });
    if (errors.length) throw new HttpError(400, 'Bad Request', 'Invalid parts', errors);
  }

  /** Swapped units need the job's equipment; a new unit replacing the equipment must not be registered already. */
  async function checkReplacements(equipmentId: string | null, replacements: { removedSerial?: string; installedSerial: string }[]) {
    if (replacements.length === 0) return;
    const equipment = equipmentId && (await prisma.equipment.findUnique({ where: { id: equipmentId } }));
    if (!equipment) {
      throw new HttpError(400, 'Bad Request', 'Invalid report', [
        { path: 'body.replacements', message: 'This job is not on an equipment of the installed base' },
      ]);
    }
    const taken = await prisma.equipment.findMany({ where: { serialNumber: { in: replacements.map((r) => r.installedSerial) } } });
    const errors = replacements.flatMap((r, i) =>
      r.removedSerial === equipment.serialNumber && taken.some((t) => t.serialNumber === r.installedSerial)
        ? [{ path: `body.replacements.${i}.installedSerial`, message: `Serial ${r.installedSerial} is already registered` }]
        : [],
    );
    if (errors.length) throw new HttpError(400, 'Bad Request', 'Invalid report', errors);
  }

  router.post('/sites', allow('operations', 'dispatcher'), async (req, res) => {
    const body = parse(createSiteBody, req.body);
    if (!(await prisma.customer.findUnique({ where: { id: body.customerId } }))) {
      throw new HttpError(400, 'Bad Request', 'Invalid site', [{ path: 'body.customerId', message: 'Unknown customer' }]);
    }
    const site = await prisma.site.create({ data: body });
    res.status(201).location(`/sites/${site.id}`).json(site);
  });

  router.get('/sites', allow(...readers), async (req, res) => {
    const { customerId, sector, ...rest } = parse(listSitesQuery, req.query, 'query');
    const p = page(rest);
    res.json(p.shape(await prisma.site.findMany({ ...p.args, where: { customerId, sector } })));
  });

  router.post('/interventions', allow('operations', 'dispatcher'), async (req, res) => {
    const idempotencyKey = parse(idempotencyKeyHeader, req.get('idempotency-key'), 'header Idempotency-Key');
    const { coverage, ...body } = parse(createInterventionBody, req.body);
    const start = async (job: { id: string; customerId: string }, status: number) => {
      await startOnce(temporal, 'interventionDispatch', {
        workflowId: interventionWorkflowId(job.id),
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        args: [{ interventionId: job.id, policy: dispatchPolicy(config) }],
        typedSearchAttributes: [
          { key: CustomerId, value: job.customerId },
          { key: BusinessKey, value: job.id },
        ],
      });
      res
        .status(status)
        .location(`/interventions/${job.id}`)
        .json({ interventionId: job.id, workflowId: interventionWorkflowId(job.id) });
    };
    const existing = idempotencyKey && (await prisma.intervention.findUnique({ where: { idempotencyKey } }));
    if (existing) return start(existing, 201);
    const site = await prisma.site.findUnique({ where: { id: body.siteId } });
    if (!site) throw new HttpError(400, 'Bad Request', 'Invalid intervention', [{ path: 'body.siteId', message: 'Unknown site' }]);
    const equipment = body.equipmentId && (await prisma.equipment.findUnique({ where: { id: body.equipmentId } }));
    if (body.equipmentId && (!equipment || equipment.siteId !== site.id || equipment.status !== 'in_service')) {
      throw new HttpError(400, 'Bad Request', 'Invalid intervention', [
        { path: 'body.equipmentId', message: 'Not an equipment in service on this site' },
      ]);
    }
    const job = await createOnce(
      idempotencyKey,
      () =>
        prisma.intervention.create({
          data: { ...body, idempotencyKey, customerId: site.customerId, coverageKind: coverage?.kind, coverageRef: coverage?.reference },
        }),
      (key) => prisma.intervention.findUnique({ where: { idempotencyKey: key } }),
    );
    await start(job, 201);
  });

  router.get('/interventions/:id', allow(...readers), async (req, res) => {
    // The process first, then the records: whatever it reports done is already in them.
    const process = await processStatus(handle(parse(idParams, req.params, 'path').id), interventionStatusQuery);
    const job = await findJob(req);
    const msLeft = job.slaDeadline && !job.checkedInAt ? job.slaDeadline.getTime() - Date.now() : null;
    const parts = await prisma.interventionPart.findMany({ where: { interventionId: job.id } });
    res.json({ ...job, parts, slaTimeLeftMs: msLeft, process });
  });

  router.get('/interventions/:id/report.pdf', allow(...readers), async (req, res) => {
    const { id } = parse(idParams, req.params, 'path');
    const job = await prisma.intervention.findUnique({ where: { id }, select: { reportPdf: true } });
    if (!job?.reportPdf) throw notFound('Field report');
    res.type('application/pdf').send(Buffer.from(job.reportPdf));
  });

  router.get('/dispatch/board', allow('dispatcher', 'operations', 'read_only'), async (req, res) => {
    const { technicianId, ...rest } = parse(boardQuery, req.query, 'query');
    const p = page(rest);
    const jobs = await prisma.intervention.findMany({
      ...p.args,
      where: { status: { in: [...OPEN] }, technicianId },
      // Soonest deadline first; the id makes the order total, so a cursor resumes exactly.
      orderBy: [{ slaDeadline: 'asc' }, { id: 'asc' }],
      include: { site: true, technician: { select: { id: true, name: true } } },
      omit: { reportPdf: true },
    });
    const now = Date.now();
    const { items, nextCursor } = p.shape(jobs);
    res.json({
      nextCursor,
      items: items.map((j) => {
        const left = j.slaDeadline ? j.slaDeadline.getTime() - now : null;
        const sla =
          j.slaBreached || (left !== null && left < 0 && !j.checkedInAt)
            ? 'breached'
            : j.checkedInAt
              ? 'met'
              : left !== null && left < 2 * 3_600_000
                ? 'at_risk'
                : 'on_track';
        return { ...j, sla, slaTimeLeftMs: j.checkedInAt ? null : left };
      }),
    });
  });

  const update = (
    path: string,
    roles: Parameters<typeof allow>,
    run: (req: Request, job: Awaited<ReturnType<typeof findJob>>) => Promise<unknown>,
  ) =>
    router.post(`/interventions/:id/${path}`, allow(...roles), async (req, res) => {
      const job = await findJob(req);
      // A technician's own key: their jobs only, in their own name.
      actAs(req, job.technicianId);
      actAs(req, (req.body as { technicianId?: string } | undefined)?.technicianId ?? job.technicianId);
      res.json(await run(req, job));
    });

  update('accept', ['technician', 'dispatcher'], async (req, job) =>
    handle(job.id).executeUpdate(acceptJobUpdate, { args: [parse(technicianBody, req.body)] }),
  );
  update('decline', ['technician', 'dispatcher'], async (req, job) =>
    handle(job.id).executeUpdate(declineJobUpdate, { args: [parse(declineBody, req.body)] }),
  );
  update('check-in', ['technician'], async (req, job) => {
    const body = parse(checkInBody, req.body);
    return handle(job.id).executeUpdate(checkInUpdate, {
      args: [{ technicianId: body.technicianId, at: body.at ?? new Date().toISOString() }],
    });
  });
  update('report', ['technician'], async (req, job) => {
    const body = parse(reportBody, req.body);
    await checkVanStock(job.technicianId, body.parts, 'parts');
    await checkReplacements(job.equipmentId, body.replacements ?? []);
    return handle(job.id).executeUpdate(reportWorkUpdate, { args: [body] });
  });
  update('parts-request', ['technician'], async (req, job) => {
    const body = parse(partsRequestBody, req.body);
    await checkVanStock(job.technicianId, body.parts, 'requested');
    return handle(job.id).executeUpdate(requestPartsUpdate, { args: [body] });
  });
  update('complete', ['technician'], async (req, job) => {
    const body = parse(completeBody, req.body);
    return handle(job.id).executeUpdate(completeJobUpdate, {
      args: [{ signedBy: body.signedBy, at: body.at ?? new Date().toISOString() }],
    });
  });
  update('assign', ['dispatcher'], async (req, job) => {
    const body = parse(assignBody, req.body);
    const technician = await prisma.technician.findUnique({ where: { id: body.technicianId } });
    if (!technician?.active)
      throw new HttpError(400, 'Bad Request', 'Invalid assignment', [
        { path: 'body.technicianId', message: 'Unknown or inactive technician' },
      ]);
    const end = new Date(Date.parse(body.start) + job.durationMinutes * 60_000).toISOString();
    return handle(job.id).executeUpdate(assignTechnicianUpdate, {
      args: [{ technicianId: technician.id, start: body.start, end, by: who(req) }],
    });
  });
  update('cancel', ['dispatcher', 'operations'], async (req, job) => {
    const { reason } = parse(cancelBody, req.body);
    return handle(job.id).executeUpdate(cancelJobUpdate, { args: [{ reason, by: who(req) }] });
  });

  router.post('/interventions/:id/parts-arrived', allow('dispatcher', 'operations'), async (req, res) => {
    const job = await findJob(req);
    if (job.status !== 'on_hold_parts') throw new HttpError(409, 'Conflict', `The job is not waiting for parts (it is ${job.status})`);
    await handle(job.id).signal(partsArrivedSignal);
    res.status(202).json({ accepted: true });
  });

  router.post('/intervention-billing-runs', allow('finance'), async (req, res) => {
    const { period } = parse(billingRunBody, req.body);
    const workflowId = interventionBillingRunId(period);
    const started = await startOnce(temporal, 'interventionBillingRun', {
      workflowId,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [{ period, collection: dispatchPolicy(config).collection }],
    });
    res
      .status(started ? 202 : 200)
      .location(`/intervention-billing-runs/${period}`)
      .json({ period, workflowId, started });
  });

  router.get('/intervention-billing-runs/:period', allow(...readers), async (req, res) => {
    const { period } = parse(periodParams, req.params, 'path');
    res.json(await temporal.workflow.getHandle(interventionBillingRunId(period)).query(interventionBillingProgressQuery));
  });

  return router;
}
