import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import type { ApiDeps } from '../deps';
import { allow, readers } from '../auth';
import { notFound, parse } from '../errors';
import { confirmSmokeSignal, smokeStatusQuery, smokeWorkflowId } from '../../workflows/smoke.definitions';
import { confirmSmokeBody, smokeParams, startSmokeBody } from './validators';

/** Smoke process: start it, confirm it, read it. Proves API -> Temporal -> worker -> Postgres/SMTP. */
export function smokeRouter({ temporal, prisma, config }: ApiDeps): Router {
  const router = Router();

  router.post('/', allow('operations'), async (req, res) => {
    const body = parse(startSmokeBody, req.body);
    const id = randomUUID();
    const workflowId = smokeWorkflowId(id);
    await temporal.workflow.start('smoke', {
      workflowId,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [{ id, email: body.email, message: body.message }],
    });
    res.status(201).location(`/smoke/${id}`).json({ id, workflowId });
  });

  router.post('/:id/confirm', allow('operations'), async (req, res) => {
    const { id } = parse(smokeParams, req.params, 'path');
    const { by } = parse(confirmSmokeBody, req.body);
    await temporal.workflow.getHandle(smokeWorkflowId(id)).signal(confirmSmokeSignal, { by });
    res.status(202).json({ id, accepted: true });
  });

  router.get('/:id', allow(...readers), async (req, res) => {
    const { id } = parse(smokeParams, req.params, 'path');
    const row = await prisma.smokeRun.findUnique({ where: { id } });
    if (!row) throw notFound('Smoke run');
    const status = await temporal.workflow.getHandle(smokeWorkflowId(id)).query(smokeStatusQuery);
    res.json({ ...row, status });
  });

  return router;
}
