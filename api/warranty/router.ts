import { Router, type Request } from 'express';
import type { ApiDeps } from '../deps';
import { processStatus, startOnce } from '../../infra/temporal';
import { warrantyPolicy } from '../../infra/policies';
import { day, dayOf } from '../../activities/contracts';
import { warrantyEndFor } from '../../activities/installed-base';
import { actAs, allow, readers } from '../auth';
import { HttpError, conflict, notFound, parse, type FieldError } from '../errors';
import { page } from '../pagination';
import { idParams } from '../interventions/validators';
import { createOnce } from '../idempotency';
import { idempotencyKeyHeader } from '../orders/validators';
import { BusinessKey, CustomerId, SerialNumber } from '../../workflows/shared/search-attributes';
import { interventionStatusQuery, interventionWorkflowId } from '../../workflows/intervention-dispatch.definitions';
import {
  decideClaimUpdate,
  reportInspectionUpdate,
  supplierAnswerUpdate,
  warrantyClaimStatusQuery,
  warrantyClaimWorkflowId,
} from '../../workflows/warranty-claim.definitions';
import {
  claimDecisionBody,
  createClaimBody,
  createSupplierBody,
  inspectionReportBody,
  listClaimsQuery,
  listEquipmentQuery,
  registerEquipmentBody,
  serialParams,
  supplierAnswerBody,
} from './validators';

const who = (req: Request) => `${req.apiKey?.name ?? 'api'} (${req.apiKey?.role})`;
const invalid = (detail: string, errors: FieldError[]) => new HttpError(400, 'Bad Request', detail, errors);

/** Suppliers, the installed base (equipment by serial) and warranty claims (each a warrantyClaim process). */
export function warrantyRouter({ prisma, temporal, config }: ApiDeps): Router {
  const router = Router();
  const handle = (id: string) => temporal.workflow.getHandle(warrantyClaimWorkflowId(id));

  async function findClaim(req: Request) {
    const { id } = parse(idParams, req.params, 'path');
    const claim = await prisma.warrantyClaim.findUnique({ where: { id }, omit: { quotePdf: true } });
    if (!claim) throw notFound('Warranty claim');
    return claim;
  }

  /** Unknown SKUs of a list of parts, as field errors. */
  async function unknownSkus(list: { sku: string }[], path: string): Promise<FieldError[]> {
    const known = await prisma.product.findMany({ where: { sku: { in: list.map((p) => p.sku) } }, select: { sku: true } });
    return list.flatMap((p, i) =>
      known.some((k) => k.sku === p.sku) ? [] : [{ path: `${path}.${i}.sku`, message: `Unknown SKU ${p.sku}` }],
    );
  }

  router.post('/suppliers', allow('operations'), async (req, res) => {
    const supplier = await prisma.supplier.create({ data: parse(createSupplierBody, req.body) });
    res.status(201).location(`/suppliers/${supplier.id}`).json(supplier);
  });

  router.get('/suppliers', allow(...readers), async (req, res) => {
    const p = page(parse(listEquipmentQuery.pick({ limit: true, cursor: true }), req.query, 'query'));
    res.json(p.shape(await prisma.supplier.findMany(p.args)));
  });

  router.post('/equipment', allow('operations'), async (req, res) => {
    const body = parse(registerEquipmentBody, req.body);
    const [customer, site, supplier, product] = await Promise.all([
      prisma.customer.findUnique({ where: { id: body.customerId } }),
      prisma.site.findUnique({ where: { id: body.siteId } }),
      body.supplierId ? prisma.supplier.findUnique({ where: { id: body.supplierId } }) : null,
      body.sku ? prisma.product.findUnique({ where: { sku: body.sku } }) : null,
    ]);
    const errors: FieldError[] = [
      ...(customer ? [] : [{ path: 'body.customerId', message: 'Unknown customer' }]),
      ...(site?.customerId === body.customerId ? [] : [{ path: 'body.siteId', message: 'Not a site of this customer' }]),
      ...(body.supplierId && !supplier ? [{ path: 'body.supplierId', message: 'Unknown supplier' }] : []),
      ...(body.sku && !product ? [{ path: 'body.sku', message: `Unknown SKU ${body.sku}` }] : []),
    ];
    if (errors.length) throw invalid('Invalid equipment', errors);
    if (await prisma.equipment.findUnique({ where: { serialNumber: body.serialNumber } })) {
      throw conflict(`Serial number ${body.serialNumber} is already registered`);
    }
    const installedOn = day(body.installedOn);
    const manufacturerEnd = body.manufacturerWarrantyEnd
      ? day(body.manufacturerWarrantyEnd)
      : warrantyEndFor(installedOn, product?.warrantyMonths, config);
    const equipment = await prisma.equipment.create({
      data: {
        serialNumber: body.serialNumber,
        model: body.model,
        productId: product?.id,
        customerId: body.customerId,
        siteId: body.siteId,
        supplierId: body.supplierId,
        installedOn,
        manufacturerWarrantyEnd: manufacturerEnd,
        supplierWarrantyEnd: body.supplierWarrantyEnd ? day(body.supplierWarrantyEnd) : body.supplierId ? manufacturerEnd : null,
        extendedWarrantyEnd: body.extendedWarrantyEnd ? day(body.extendedWarrantyEnd) : null,
        configurationAsSold: body.configuration,
        configurationAsMaintained: body.configuration,
        events: {
          create: {
            idempotencyKey: `equipment:${body.serialNumber}:registered`,
            kind: 'installed',
            occurredAt: installedOn,
            detail: { summary: `Installé le ${body.installedOn} (${body.model})` },
          },
        },
      },
    });
    res
      .status(201)
      .location(`/equipment/${encodeURIComponent(equipment.serialNumber)}`)
      .json(equipment);
  });

  router.get('/equipment', allow(...readers), async (req, res) => {
    const { customerId, siteId, serialNumber, ...rest } = parse(listEquipmentQuery, req.query, 'query');
    const p = page(rest);
    res.json(p.shape(await prisma.equipment.findMany({ ...p.args, where: { customerId, siteId, serialNumber } })));
  });

  router.get('/equipment/:serial', allow(...readers), async (req, res) => {
    const { serial } = parse(serialParams, req.params, 'path');
    const equipment = await prisma.equipment.findUnique({
      where: { serialNumber: serial },
      include: {
        supplier: { select: { id: true, name: true } },
        replacedBy: { select: { serialNumber: true } },
        replaces: { select: { serialNumber: true } },
        events: { orderBy: [{ occurredAt: 'asc' }, { idempotencyKey: 'asc' }] },
        interventions: {
          select: {
            id: true,
            type: true,
            status: true,
            description: true,
            workDone: true,
            signedAt: true,
            billing: true,
            replacements: true,
          },
          orderBy: { createdAt: 'asc' },
        },
        claims: { select: { id: true, status: true, decision: true, outcome: true, createdAt: true }, orderBy: { createdAt: 'asc' } },
      },
    });
    if (!equipment) throw notFound('Equipment');
    res.json(equipment);
  });

  router.post('/warranty-claims', allow('operations'), async (req, res) => {
    const idempotencyKey = parse(idempotencyKeyHeader, req.get('idempotency-key'), 'header Idempotency-Key');
    const { serialNumber, fault, faultOn, inspection, ...body } = parse(createClaimBody, req.body);
    const start = async (claim: { id: string; customerId: string }) => {
      await startOnce(temporal, 'warrantyClaim', {
        workflowId: warrantyClaimWorkflowId(claim.id),
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        args: [{ claimId: claim.id, policy: warrantyPolicy(config) }],
        typedSearchAttributes: [
          { key: CustomerId, value: claim.customerId },
          { key: BusinessKey, value: claim.id },
          { key: SerialNumber, value: serialNumber },
        ],
      });
      res
        .status(201)
        .location(`/warranty-claims/${claim.id}`)
        .json({ claimId: claim.id, workflowId: warrantyClaimWorkflowId(claim.id) });
    };
    const existing = idempotencyKey && (await prisma.warrantyClaim.findUnique({ where: { idempotencyKey } }));
    if (existing) return start(existing);

    if (!(await prisma.customer.findUnique({ where: { id: body.customerId } }))) {
      throw invalid('Invalid claim', [{ path: 'body.customerId', message: 'Unknown customer' }]);
    }
    const equipment = await prisma.equipment.findUnique({ where: { serialNumber } });
    if (!equipment) throw invalid('Invalid claim', [{ path: 'body.serialNumber', message: `Unknown serial number ${serialNumber}` }]);
    if (equipment.customerId !== body.customerId) {
      throw invalid('Invalid claim', [{ path: 'body.serialNumber', message: 'This equipment belongs to another customer' }]);
    }
    if (equipment.status === 'retired') {
      throw invalid('Invalid claim', [{ path: 'body.serialNumber', message: 'This equipment is retired (replaced or scrapped)' }]);
    }
    const today = dayOf(new Date());
    const errors: FieldError[] = [
      ...(faultOn && faultOn > today ? [{ path: 'body.faultOn', message: 'The fault cannot appear in the future' }] : []),
      ...(body.estimate ? await unknownSkus(body.estimate.parts, 'body.estimate.parts') : []),
    ];
    if (body.priorInterventionId) {
      const job = await prisma.intervention.findUnique({ where: { id: body.priorInterventionId }, include: { invoice: true } });
      const problem = !job
        ? 'Unknown intervention'
        : job.equipmentId !== equipment.id
          ? 'This intervention is not on this equipment'
          : !job.invoice || job.invoice.sourceKey !== `intervention-${job.id}`
            ? 'This intervention has no invoice of its own to credit'
            : await prisma.warrantyClaim
                .findUnique({ where: { priorInterventionId: job.id } })
                .then((c) => c && 'A claim already covers this intervention');
      if (problem) errors.push({ path: 'body.priorInterventionId', message: problem });
    }
    if (errors.length) throw invalid('Invalid claim', errors);
    const open = await prisma.warrantyClaim.findFirst({ where: { equipmentId: equipment.id, status: { not: 'closed' } } });
    if (open) throw conflict(`Claim ${open.id} is still open on this equipment`);

    const claim = await createOnce(
      idempotencyKey,
      () =>
        prisma.warrantyClaim.create({
          data: {
            ...body,
            idempotencyKey,
            equipmentId: equipment.id,
            reportedFault: fault,
            faultOn: day(faultOn ?? today),
            needsInspection: inspection,
          },
        }),
      (key) => prisma.warrantyClaim.findUnique({ where: { idempotencyKey: key } }),
    );
    await start(claim);
  });

  router.get('/warranty-claims', allow(...readers), async (req, res) => {
    const { status, customerId, serialNumber, supplierRecoveryPending, ...rest } = parse(listClaimsQuery, req.query, 'query');
    const p = page(rest);
    const claims = await prisma.warrantyClaim.findMany({
      ...p.args,
      where: {
        status,
        customerId,
        equipment: serialNumber ? { serialNumber } : undefined,
        supplierClaim:
          supplierRecoveryPending === 'true'
            ? { status: 'sent' }
            : supplierRecoveryPending === 'false'
              ? { isNot: { status: 'sent' } }
              : undefined,
      },
      include: { equipment: { select: { serialNumber: true, model: true } }, supplierClaim: { omit: { pdf: true } } },
      omit: { quotePdf: true },
    });
    res.json(p.shape(claims));
  });

  router.get('/warranty-claims/:id', allow(...readers), async (req, res) => {
    // The process first, then the records: whatever it reports done is already in them.
    const process = await processStatus(handle(parse(idParams, req.params, 'path').id), warrantyClaimStatusQuery);
    const claim = await findClaim(req);
    const [equipment, lines, supplierClaim] = await Promise.all([
      prisma.equipment.findUnique({ where: { id: claim.equipmentId } }),
      prisma.warrantyClaimLine.findMany({ where: { claimId: claim.id }, orderBy: [{ stage: 'asc' }, { position: 'asc' }] }),
      prisma.supplierClaim.findUnique({ where: { claimId: claim.id }, omit: { pdf: true } }),
    ]);
    res.json({ ...claim, equipment, lines, supplierClaim, process });
  });

  router.get('/warranty-claims/:id/quote.pdf', allow(...readers), async (req, res) => {
    const { id } = parse(idParams, req.params, 'path');
    const claim = await prisma.warrantyClaim.findUnique({ where: { id }, select: { quotePdf: true } });
    if (!claim?.quotePdf) throw notFound('Quote');
    res.type('application/pdf').send(Buffer.from(claim.quotePdf));
  });

  router.get('/warranty-claims/:id/supplier-claim.pdf', allow(...readers), async (req, res) => {
    const { id } = parse(idParams, req.params, 'path');
    const row = await prisma.supplierClaim.findUnique({ where: { claimId: id }, select: { pdf: true } });
    if (!row?.pdf) throw notFound('Supplier claim');
    res.type('application/pdf').send(Buffer.from(row.pdf));
  });

  router.post('/warranty-claims/:id/inspection-report', allow('technician', 'dispatcher'), async (req, res) => {
    const body = parse(inspectionReportBody, req.body);
    const claim = await findClaim(req);
    const job = claim.inspectionInterventionId && (await prisma.intervention.findUnique({ where: { id: claim.inspectionInterventionId } }));
    if (!job) throw conflict('This claim has no inspection');
    actAs(req, job.technicianId);
    actAs(req, body.technicianId);
    if (job.technicianId !== body.technicianId) {
      throw invalid('Invalid inspection report', [{ path: 'body.technicianId', message: 'Not the technician of the inspection' }]);
    }
    // The job's process knows the check-in before the record does.
    const inspection = await processStatus(temporal.workflow.getHandle(interventionWorkflowId(job.id)), interventionStatusQuery);
    if (!job.checkedInAt && !inspection?.checkedInAt) throw conflict('The inspection has not started: the technician checks in first');
    const errors = await unknownSkus(body.estimate.parts, 'body.estimate.parts');
    if (errors.length) throw invalid('Invalid inspection report', errors);
    res.json(await handle(claim.id).executeUpdate(reportInspectionUpdate, { args: [body] }));
  });

  router.post('/warranty-claims/:id/decision', allow('operations'), async (req, res) => {
    const body = parse(claimDecisionBody, req.body);
    const claim = await findClaim(req);
    res.json(await handle(claim.id).executeUpdate(decideClaimUpdate, { args: [{ ...body, by: who(req) }] }));
  });

  router.post('/warranty-claims/:id/supplier-answer', allow('finance', 'operations'), async (req, res) => {
    const body = parse(supplierAnswerBody, req.body);
    const claim = await findClaim(req);
    const row = await prisma.supplierClaim.findUnique({ where: { claimId: claim.id } });
    if (!row) throw conflict('No supplier claim was sent for this claim');
    if (body.acceptedCents !== undefined && body.acceptedCents >= row.amountClaimedCents) {
      throw invalid('Invalid supplier answer', [
        { path: 'body.acceptedCents', message: `A partial acceptance is less than the ${row.amountClaimedCents} cents claimed` },
      ]);
    }
    res.json(await handle(claim.id).executeUpdate(supplierAnswerUpdate, { args: [body] }));
  });

  return router;
}
