import type { Browser } from 'playwright-core';
import type { OrderToCashStatus } from '../../workflows/order-to-cash.definitions';
import { linkIn } from '../helpers/approvals';
import { launchBrowser } from '../helpers/browser';
import { createCustomer, createProduct, recordHistory } from '../helpers/fixtures';
import { startStack, type Stack } from '../helpers/stack';
import { waitUntil } from '../helpers/wait';

/** An order over the customer's credit limit, and the approval link emailed to the credit controller. */
async function orderOverLimit(stack: Stack) {
  const customer = await createCustomer(stack, { creditLimitCents: 1_000 });
  const service = await createProduct(stack, { stocked: false, unitPriceCents: 50_000 });
  const { orderId, workflowId } = (
    await stack.api('POST', '/orders', { customerId: customer.id, lines: [{ sku: service.sku, quantity: 1 }] })
  ).body;
  const mail = await stack.mail.waitFor(
    stack.config.CREDIT_CONTROLLER_EMAIL,
    new RegExp(`Approval needed: Credit approval for order ${orderId}`),
  );
  return { customer, orderId, workflowId, link: linkIn(mail.text!) };
}

const processOf = async (stack: Stack, orderId: string): Promise<OrderToCashStatus> =>
  (await stack.api('GET', `/orders/${orderId}`)).body.process;

describe('credit approval by emailed link', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      startStack({ CREDIT_APPROVAL_REMINDER_MS: '600000', CREDIT_APPROVAL_TIMEOUT_MS: '1200000' }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('is approved by clicking Approve in a real browser; a mail scanner GET changes nothing', async () => {
    const { orderId, workflowId, link, customer } = await orderOverLimit(stack);
    // Mail scanners prefetch links with GET and HEAD: nothing may change.
    expect((await fetch(link)).status).toBe(200);
    expect((await fetch(link, { method: 'HEAD' })).status).toBe(200);
    const approval = await stack.prisma.approval.findFirstOrThrow({ where: { workflowId } });
    expect(approval.status).toBe('pending');
    expect((await processOf(stack, orderId)).step).toBe('awaiting_credit_approval');

    const page = await browser.newPage();
    await page.goto(link);
    // The same link open in a second tab: its form goes stale once the first tab decides.
    const secondTab = await browser.newPage();
    await secondTab.goto(link);
    await expect(page.locator('h1').textContent()).resolves.toContain(`Credit approval for order ${orderId}`);
    const table = await page.locator('table').textContent();
    expect(table).toContain(customer.legalName);
    expect(table).toContain('Exposure');
    await page.fill('textarea[name=comment]', 'Long-standing customer');
    await page.click('button[value=approved]');
    await expect(page.locator('h1').textContent()).resolves.toBe('Decision recorded');

    await waitUntil(async () => (await processOf(stack, orderId)).step === 'awaiting_payment', { what: 'the order to be invoiced' });
    const decided = await stack.prisma.approval.findUniqueOrThrow({ where: { id: approval.id } });
    expect(decided).toMatchObject({
      status: 'approved',
      decidedBy: stack.config.CREDIT_CONTROLLER_EMAIL,
      comment: 'Long-standing customer',
    });

    // A second click from the stale tab is told it was already decided, and changes nothing.
    await secondTab.click('button[value=rejected]');
    await expect(secondTab.locator('h1').textContent()).resolves.toBe('Already decided');
    expect((await stack.prisma.approval.findUniqueOrThrow({ where: { id: approval.id } })).status).toBe('approved');
    // Reloading the link after the decision shows it too.
    await page.goto(link);
    await expect(page.locator('h1').textContent()).resolves.toBe('Already decided');
    await Promise.all([page.close(), secondTab.close()]);
    await recordHistory(stack, workflowId, 'order-to-cash-credit-approved');
  });

  it('is rejected by clicking Reject: the order ends rejected and the customer is told', async () => {
    const { orderId, workflowId, link, customer } = await orderOverLimit(stack);
    const page = await browser.newPage();
    await page.goto(link);
    await page.click('button[value=rejected]');
    await expect(page.locator('h1').textContent()).resolves.toBe('Decision recorded');
    await page.close();
    const result = await stack.temporal.workflow.getHandle(workflowId).result();
    expect(result.step).toBe('rejected');
    expect(result.reason).toMatch(/rejected by/);
    await stack.mail.waitFor(customer.billingEmail, /n'a pas pu être acceptée/);
    expect((await stack.prisma.order.findUniqueOrThrow({ where: { id: orderId } })).status).toBe('rejected');
    expect(await stack.prisma.invoice.count({ where: { orderId } })).toBe(0);
  });

  it('refuses forged, truncated and cross-site requests without changing anything; cancelling withdraws the link', async () => {
    const { orderId, workflowId, link } = await orderOverLimit(stack);
    const post = (url: string, headers: Record<string, string> = {}) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: 'decision=approved',
      });

    expect((await post(link.slice(0, -3))).status).toBe(404);
    expect((await post(link.slice(0, -1) + (link.endsWith('A') ? 'B' : 'A'))).status).toBe(404); // tampered signature
    expect((await post(link, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await post(link, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    const page = await fetch(link);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-store');

    expect((await stack.prisma.approval.findFirstOrThrow({ where: { workflowId } })).status).toBe('pending');
    expect((await processOf(stack, orderId)).step).toBe('awaiting_credit_approval');
    await stack.api('POST', `/orders/${orderId}/cancel`, { reason: 'No longer needed' });
    expect((await stack.prisma.approval.findFirstOrThrow({ where: { workflowId } })).status).toBe('withdrawn');
    expect((await fetch(link)).status).toBe(410);
  });

  it('lets approve and reject race: exactly one decision wins, the other is told', async () => {
    const { workflowId, link } = await orderOverLimit(stack);
    const post = (decision: string) =>
      fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `decision=${decision}` }).then(
        (r) => r.status,
      );
    const statuses = await Promise.all([post('approved'), post('rejected'), post('approved')]);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(2);
    await waitUntil(async () => (await stack.prisma.approval.findFirstOrThrow({ where: { workflowId } })).status !== 'pending');
  });
});

describe('credit approval nobody answers', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ CREDIT_APPROVAL_REMINDER_MS: '1000', CREDIT_APPROVAL_TIMEOUT_MS: '3000' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('reminds the approver, then applies the default outcome (reject) and expires the link', async () => {
    const { workflowId, link } = await orderOverLimit(stack);
    await stack.mail.waitFor(stack.config.CREDIT_CONTROLLER_EMAIL, /^Reminder: approval still needed/);
    const result = await stack.temporal.workflow.getHandle(workflowId).result();
    expect(result).toMatchObject({ step: 'rejected', reason: 'Credit limit exceeded: no credit decision in time' });
    expect((await stack.prisma.approval.findFirstOrThrow({ where: { workflowId } })).status).toBe('expired');
    const late = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'decision=approved',
    });
    expect(late.status).toBe(410);
    expect((await fetch(link)).status).toBe(410);
    await recordHistory(stack, workflowId, 'order-to-cash-credit-timeout');
  });
});
