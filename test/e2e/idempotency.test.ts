import { randomUUID } from 'node:crypto';
import { createCustomer, createSite } from '../helpers/fixtures';
import { startStack, type Stack } from '../helpers/stack';
import { waitUntil } from '../helpers/wait';

describe('Idempotency-Key on every mutating request', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const customerBody = () => ({
    legalName: `Froid Services ${randomUUID().slice(0, 8)} SAS`,
    billingEmail: `compta-${randomUUID().slice(0, 8)}@froid.example`,
    addressLine: '4 rue des Alpes',
    postalCode: '38000',
    city: 'Grenoble',
  });
  const withKey = (key: string) => ({ headers: { 'Idempotency-Key': key } });

  it('answers a retried creation with the first answer and creates once, even when the retries race', async () => {
    const body = customerBody();
    const key = `cust-${randomUUID()}`;
    const first = await stack.api('POST', '/customers', body, withKey(key));
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const retry = await stack.api('POST', '/customers', body, withKey(key));
    expect(retry).toMatchObject({ status: 201, body: first.body });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.headers.get('location')).toBe(first.headers.get('location'));

    const racing = customerBody();
    const raceKey = `race-${randomUUID()}`;
    const answers = await Promise.all(Array.from({ length: 5 }, () => stack.api('POST', '/customers', racing, withKey(raceKey))));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await stack.prisma.customer.count({ where: { billingEmail: { in: [body.billingEmail, racing.billingEmail] } } })).toBe(2);
  });

  it('refuses the same key on another request with 422, and keeps keys apart between API keys', async () => {
    const key = `k-${randomUUID()}`;
    const body = customerBody();
    expect((await stack.api('POST', '/customers', body, withKey(key))).status).toBe(201);
    const other = await stack.api('POST', '/customers', { ...body, city: 'Lyon' }, withKey(key));
    expect(other.status).toBe(422);
    expect(other.body.detail).toMatch(/used for another request/);
    // Another client may use the same key for its own request.
    const operations = await stack.keyFor('operations');
    const theirs = await stack.api('POST', '/customers', customerBody(), { key: operations, ...withKey(key) });
    expect(theirs.status).toBe(201);
  });

  it('replays an update and a refused request instead of acting again', async () => {
    const customer = await createCustomer(stack);
    const site = await createSite(stack, customer.id, `nobody-${randomUUID().slice(0, 6)}`);
    const job = await stack.api('POST', '/interventions', { siteId: site.id, type: 'inspection', description: 'Contrôle' });
    await waitUntil(async () => (await stack.api('GET', `/interventions/${job.body.interventionId}`)).body.process?.step === 'awaiting_manual_assignment');
    const key = `cancel-${randomUUID()}`;
    const cancel = await stack.api('POST', `/interventions/${job.body.interventionId}/cancel`, { reason: 'Doublon' }, withKey(key));
    expect(cancel.status).toBe(200);
    expect(cancel.body.step).toBe('cancelled');
    // Without the key, a second cancel is refused by the process; with it, the first answer comes back.
    expect((await stack.api('POST', `/interventions/${job.body.interventionId}/cancel`, { reason: 'Doublon' })).status).toBe(409);
    const replayed = await stack.api('POST', `/interventions/${job.body.interventionId}/cancel`, { reason: 'Doublon' }, withKey(key));
    expect(replayed).toMatchObject({ status: 200, body: cancel.body });

    const invalidKey = `bad-${randomUUID()}`;
    const invalid = await stack.api('POST', '/customers', { legalName: '' }, withKey(invalidKey));
    expect(invalid.status).toBe(400);
    const again = await stack.api('POST', '/customers', { legalName: '' }, withKey(invalidKey));
    expect(again).toMatchObject({ status: 400, body: invalid.body });
    expect(again.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('answers a malformed key with a 400 naming the header', async () => {
    const res = await stack.api('POST', '/customers', customerBody(), withKey('has space'));
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('header Idempotency-Key');
  });
});
