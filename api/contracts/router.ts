import { Router, type Request } from 'express';
import type { ApiDeps } from '../deps';
import { processStatus, startOnce } from '../../infra/temporal';
import { allow, readers } from '../auth';
import { HttpError, conflict, notFound, parse } from '../errors';
import { page } from '../pagination';
import { idParams } from '../interventions/validators';
import { addDays, addMonths, isoDate } from '../../domain/contracts';
import { day, dayOf } from '../../activities/contracts';
import { billingRunPolicy, contractPolicy } from '../../infra/policies';
import { BusinessKey, CustomerId } from '../../workflows/shared/search-attributes';
import { decideApprovalUpdate } from '../../workflows/shared/approval.definitions';
import {
  amendContractUpdate,
  contractStatusQuery,
  contractWorkflowId,
  terminateContractUpdate,
} from '../../workflows/service-contract.definitions';
import { billingRunId, billingRunProgressQuery, redraftBillingRunUpdate } from '../../workflows/billing-run.definitions';
import { createOnce } from '../idempotency';
import { idempotencyKeyHeader } from '../orders/validators';
import {
  amendContractBody,
  billingPeriodParams,
  billingRunBody,
  createContractBody,
  listContractsQuery,
  priceIndexBody,
  priceIndexParams,
  renewalDecisionBody,
  terminateContractBody,
} from './validators';

const who = (req: Request) => `${req.apiKey?.name ?? 'api'} (${req.apiKey?.role})`;

/** Service contracts (each a serviceContract process), their billing runs and price indices. */
export function contractsRouter({ prisma, temporal, config }: ApiDeps): Router {
  const router = Router();
  const handle = (id: string) => temporal.workflow.getHandle(contractWorkflowId(id));

  async function findContract(req: Request) {
    const { id } = parse(idParams, req.params, 'path');
    const contract = await prisma.contract.findUnique({ where: { id } });
    if (!contract) throw notFound('Contract');
    return contract;
  }

  /** A contract whose process can still change it. */
  async function findLiveContract(req: Request) {
    const contract = await findContract(req);
    if (contract.status === 'terminated') throw conflict('The contract is terminated');
    return contract;
  }

  /** Sites must belong to the contract's customer. */
  async function checkSites(customerId: string, ids: string[], field: string) {
    const sites = await prisma.site.findMany({ where: { id: { in: ids }, customerId } });
    const errors = ids.flatMap((id, i) =>
      sites.some((s) => s.id === id) ? [] : [{ path: `body.${field}.${i}`, message: "Not one of the customer's sites" }],
    );
    if (errors.length) throw new HttpError(400, 'Bad Request', 'Invalid contract', errors);
  }

  router.post('/contracts', allow('operations'), async (req, res) => {
    const idempotencyKey = parse(idempotencyKeyHeader, req.get('idempotency-key'), 'header Idempotency-Key');
    const body = parse(createContractBody, req.body);
    const start = async (contract: { id: string; customerId: string }) => {
      await startOnce(temporal, 'serviceContract', {
        workflowId: contractWorkflowId(contract.id),
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        args: [{ contractId: contract.id, policy: contractPolicy(config) }],
        typedSearchAttributes: [
          { key: CustomerId, value: contract.customerId },
          { key: BusinessKey, value: contract.id },
        ],
      });
      res
        .status(201)
        .location(`/contracts/${contract.id}`)
        .json({ contractId: contract.id, workflowId: contractWorkflowId(contract.id) });
    };
    const existing = idempotencyKey && (await prisma.contract.findUnique({ where: { idempotencyKey } }));
    if (existing) return start(existing);
    if (!(await prisma.customer.findUnique({ where: { id: body.customerId } }))) {
      throw new HttpError(400, 'Bad Request', 'Invalid contract', [{ path: 'body.customerId', message: 'Unknown customer' }]);
    }
    await checkSites(body.customerId, body.siteIds, 'siteIds');
    if (body.renewal.rule === 'index' && !(await prisma.priceIndexValue.findFirst({ where: { name: body.renewal.index } }))) {
      throw new HttpError(400, 'Bad Request', 'Invalid contract', [
        { path: 'body.renewal.index', message: 'No published value of this index' },
      ]);
    }
    const termEnd = addMonths(body.termStart, body.termMonths);
    const contract = await createOnce(
      idempotencyKey,
      () =>
        prisma.contract.create({
          data: {
            idempotencyKey,
            customerId: body.customerId,
            title: body.title,
            accountManagerEmail: body.accountManagerEmail,
            termStart: day(body.termStart),
            termEnd: day(termEnd),
            termMonths: body.termMonths,
            priceCents: body.priceCents,
            vatRateBp: body.vatRateBp,
            billingRhythm: body.billingRhythm,
            billingTiming: body.billingTiming,
            tacitRenewal: body.tacitRenewal,
            noticeDays: body.noticeDays,
            renewalRule: body.renewal.rule,
            renewalUpliftBp: body.renewal.rule === 'uplift' ? body.renewal.upliftBp : 0,
            renewalIndex: body.renewal.rule === 'index' ? body.renewal.index : null,
            slaHours: body.slaHours,
            equipment: body.equipment,
            supplierRejection: body.supplierRejection,
            sites: { create: body.siteIds.map((siteId) => ({ siteId })) },
            plan: { create: body.plan.map((p) => ({ ...p, validFrom: day(body.termStart) })) },
            terms: { create: { number: 1, start: day(body.termStart), end: day(termEnd), priceCents: body.priceCents } },
            versions: {
              create: {
                version: 1,
                effectiveFrom: day(body.termStart),
                priceCents: body.priceCents,
                changes: {},
                reason: 'Contrat initial',
                createdBy: who(req),
              },
            },
          },
        }),
      (key) => prisma.contract.findUnique({ where: { idempotencyKey: key } }),
    );
    await start(contract);
  });

  router.get('/contracts', allow(...readers), async (req, res) => {
    const { customerId, status, expiringWithinDays, ...paging } = parse(listContractsQuery, req.query, 'query');
    const p = page(paging);
    const horizon = expiringWithinDays === undefined ? undefined : day(addDays(isoDate(Date.now()), expiringWithinDays));
    const rows = await prisma.contract.findMany({
      where: {
        customerId,
        ...(horizon ? { status: { in: status ? [status] : ['active', 'ending'] }, termEnd: { lte: horizon } } : { status }),
      },
      ...p.args,
      ...(horizon ? { orderBy: [{ termEnd: 'asc' as const }, { id: 'asc' as const }] } : {}),
    });
    res.json(p.shape(rows));
  });

  router.get('/contracts/:id', allow(...readers), async (req, res) => {
    // The process first, then the records: whatever it reports done is already in them.
    const process = await processStatus(handle(parse(idParams, req.params, 'path').id), contractStatusQuery);
    const contract = await findContract(req);
    const [sites, plan, versions, terms, visits] = await Promise.all([
      prisma.contractSite.findMany({ where: { contractId: contract.id }, include: { site: true } }),
      prisma.contractPlanItem.findMany({ where: { contractId: contract.id }, orderBy: { validFrom: 'asc' } }),
      prisma.contractVersion.findMany({ where: { contractId: contract.id }, orderBy: { version: 'asc' } }),
      prisma.contractTerm.findMany({ where: { contractId: contract.id }, orderBy: { number: 'asc' } }),
      prisma.contractVisit.groupBy({ by: ['status'], where: { contractId: contract.id }, _count: true }),
    ]);
    res.json({
      ...contract,
      sites: sites.map((s) => s.site),
      plan,
      versions,
      terms,
      visits: Object.fromEntries(visits.map((v) => [v.status, v._count])),
      process,
    });
  });

  router.get('/contracts/:id/visits', allow(...readers), async (req, res) => {
    const contract = await findContract(req);
    const visits = await prisma.contractVisit.findMany({
      where: { contractId: contract.id },
      orderBy: [{ termNumber: 'asc' }, { dueDate: 'asc' }],
      include: { planItem: { select: { label: true, siteId: true, equipment: true } } },
    });
    res.json({ items: visits.map((v) => ({ ...v, dueDate: dayOf(v.dueDate), windowEnd: dayOf(v.windowEnd) })) });
  });

  router.post('/contracts/:id/amendments', allow('operations'), async (req, res) => {
    const body = parse(amendContractBody, req.body);
    const contract = await findLiveContract(req);
    if (body.siteIds) await checkSites(contract.customerId, body.siteIds, 'siteIds');
    const covered = body.siteIds ?? (await prisma.contractSite.findMany({ where: { contractId: contract.id } })).map((s) => s.siteId);
    const outside = (body.plan ?? []).findIndex((p) => !covered.includes(p.siteId));
    if (outside >= 0) {
      throw new HttpError(400, 'Bad Request', 'Invalid amendment', [
        { path: `body.plan.${outside}.siteId`, message: 'Not a covered site' },
      ]);
    }
    res.json(await handle(contract.id).executeUpdate(amendContractUpdate, { args: [{ ...body, by: who(req) }] }));
  });

  router.post('/contracts/:id/termination', allow('operations'), async (req, res) => {
    const body = parse(terminateContractBody, req.body);
    const contract = await findLiveContract(req);
    res.json(await handle(contract.id).executeUpdate(terminateContractUpdate, { args: [{ ...body, requestedBy: who(req) }] }));
  });

  router.post('/contracts/:id/renewal-decision', allow('operations'), async (req, res) => {
    const body = parse(renewalDecisionBody, req.body);
    const contract = await findLiveContract(req);
    const approval = await prisma.approval.findFirst({
      where: { workflowId: contractWorkflowId(contract.id), step: 'renewal_customer', status: 'pending' },
    });
    if (!approval) throw conflict('No renewal proposal is awaiting the customer on this contract');
    await handle(contract.id).executeUpdate(decideApprovalUpdate, {
      args: [
        {
          approvalId: approval.id,
          decision: body.decision === 'accepted' ? 'approved' : 'rejected',
          decidedBy: `customer, recorded by ${who(req)}`,
          comment: body.comment,
        },
      ],
    });
    // The process acts on it right after (renewed or ending): GET the contract to follow.
    res.status(202).json({ accepted: true, decision: body.decision });
  });

  router.post('/billing-runs', allow('finance'), async (req, res) => {
    const { period } = parse(billingRunBody, req.body);
    const workflowId = billingRunId(period);
    const started = await startOnce(temporal, 'billingRun', {
      workflowId,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [{ period, policy: billingRunPolicy(config) }],
      // A month is billed once, even after its run has finished.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    res
      .status(started ? 202 : 200)
      .location(`/billing-runs/${period}`)
      .json({ period, workflowId, started });
  });

  router.get('/billing-runs/:period', allow(...readers), async (req, res) => {
    const { period } = parse(billingPeriodParams, req.params, 'path');
    res.json(await temporal.workflow.getHandle(billingRunId(period)).query(billingRunProgressQuery));
  });

  router.post('/billing-runs/:period/redraft', allow('finance'), async (req, res) => {
    const { period } = parse(billingPeriodParams, req.params, 'path');
    res.json(await temporal.workflow.getHandle(billingRunId(period)).executeUpdate(redraftBillingRunUpdate, { args: [{ by: who(req) }] }));
  });

  router.post('/price-indices', allow('finance'), async (req, res) => {
    const body = parse(priceIndexBody, req.body);
    const row = { name: body.name, publishedOn: day(body.publishedOn), valueMilli: Math.round(body.value * 1000) };
    const saved = await prisma.priceIndexValue.upsert({
      where: { name_publishedOn: { name: row.name, publishedOn: row.publishedOn } },
      create: row,
      update: { valueMilli: row.valueMilli },
    });
    res
      .status(201)
      .location(`/price-indices/${encodeURIComponent(saved.name)}`)
      .json({ name: saved.name, publishedOn: dayOf(saved.publishedOn), value: saved.valueMilli / 1000 });
  });

  router.get('/price-indices/:name', allow(...readers), async (req, res) => {
    const { name } = parse(priceIndexParams, req.params, 'path');
    const values = await prisma.priceIndexValue.findMany({ where: { name }, orderBy: { publishedOn: 'desc' }, take: 120 });
    if (values.length === 0) throw notFound('Price index');
    res.json({ name, values: values.map((v) => ({ publishedOn: dayOf(v.publishedOn), value: v.valueMilli / 1000 })) });
  });

  return router;
}
