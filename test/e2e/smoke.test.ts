import { startStack, type Stack } from '../helpers/stack';
import { waitUntil } from '../helpers/wait';

describe('smoke process through the whole chain', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('answers /health with 200 when Temporal and the database are up', async () => {
    const res = await stack.api('GET', '/health', undefined, { key: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', checks: { database: 'up', temporal: 'up' } });
  });

  it('writes a row, sends an email, waits for a signal and reports its status', async () => {
    const email = `smoke-${Date.now()}@example.com`;
    const created = await stack.api('POST', '/smoke', { email, message: 'Bonjour' });
    expect(created.status).toBe(201);
    const { id, workflowId } = created.body;
    expect(workflowId).toBe(`smoke-${id}`);

    const mail = await stack.mail.waitFor(email, new RegExp(id));
    expect(mail.text).toContain('Bonjour');
    const outbox = await stack.prisma.emailOutbox.findUniqueOrThrow({ where: { idempotencyKey: `${workflowId}:email` } });
    expect(outbox.status).toBe('sent');
    expect(mail.messageId).toBe(outbox.messageId);

    const waiting = await waitUntil(async () => {
      const r = await stack.api('GET', `/smoke/${id}`);
      return r.body.status?.step === 'awaiting_confirmation' && r;
    });
    expect(waiting.body.email).toBe(email);

    expect((await stack.api('POST', `/smoke/${id}/confirm`, { by: 'jest' })).status).toBe(202);
    await waitUntil(async () => (await stack.api('GET', `/smoke/${id}`)).body.status?.step === 'confirmed');
    const row = await stack.prisma.smokeRun.findUniqueOrThrow({ where: { id } });
    expect(row.confirmedAt).not.toBeNull();
    const result = await stack.temporal.workflow.getHandle(workflowId).result();
    expect(result).toEqual({ step: 'confirmed', confirmedBy: 'jest' });
    expect(stack.mail.to(email)).toHaveLength(1);
  });

  it('rejects bad input with a 400 naming the fields, and creates nothing', async () => {
    const before = await stack.prisma.smokeRun.count();
    const res = await stack.api('POST', '/smoke', { email: 'not-an-email', extra: true });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['body.email', 'body']));
    expect(await stack.prisma.smokeRun.count()).toBe(before);
  });

  it('answers malformed JSON with 400 and unknown processes with 404', async () => {
    expect((await stack.api('POST', '/smoke', '{"email":')).status).toBe(400);
    expect((await stack.api('GET', '/smoke/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await stack.api('GET', '/smoke/not-a-uuid')).status).toBe(400);
  });

  it('requires an API key (401) with the right role (403)', async () => {
    expect((await stack.api('POST', '/smoke', { email: 'a@b.fr' }, { key: null })).status).toBe(401);
    expect((await stack.api('POST', '/smoke', { email: 'a@b.fr' }, { key: 'bo_forged' })).status).toBe(401);
    const reader = await stack.keyFor('read_only');
    const forbidden = await stack.api('POST', '/smoke', { email: 'a@b.fr' }, { key: reader });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.detail).toMatch(/operations/);
    const stored = await stack.prisma.apiKey.findMany({ select: { keyHash: true } });
    expect(stored.some((k) => k.keyHash === reader)).toBe(false);
  });
});
