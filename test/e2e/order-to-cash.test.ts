import { type OrderToCashStatus } from '../../workflows/order-to-cash.definitions';
import { createCustomer, createProduct, recordHistory } from '../helpers/fixtures';
import { pdfText } from '../helpers/pdf';
import { startStack, type Stack } from '../helpers/stack';
import { waitUntil } from '../helpers/wait';

// One business day = 1 s: payment terms of 0 days and a ladder of 1, 2, 3, 4 days run in seconds.
const DAY_MS = 1000;

describe('order to cash through the HTTP API', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ DAY_MS: String(DAY_MS), DUNNING_LADDER: '1:reminder,2:reminder,3:formal_notice,4:collection' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const status = async (orderId: string): Promise<OrderToCashStatus> => (await stack.api('GET', `/orders/${orderId}`)).body.process;
  const waitForStep = (orderId: string, step: string) =>
    waitUntil(async () => ((await status(orderId))?.step === step ? status(orderId) : undefined), { what: `order ${orderId} at ${step}` });

  it('takes an order to cash: invoice email with PDF, payment, receipt', async () => {
    const customer = await createCustomer(stack);
    const pump = await createProduct(stack, { stock: 5, unitPriceCents: 45_000, vatRateBp: 550, name: 'Pompe à chaleur air-eau' });
    const labour = await createProduct(stack, { stocked: false, unitPriceCents: 6_500, vatRateBp: 1000, name: 'Mise en service' });

    const created = await stack.api('POST', '/orders', {
      customerId: customer.id,
      customerRef: 'PO-77',
      lines: [
        { sku: pump.sku, quantity: 2 },
        { sku: labour.sku, quantity: 3 },
      ],
    });
    expect(created.status).toBe(201);
    const { orderId, workflowId } = created.body;
    expect(workflowId).toBe(`order-${orderId}`);

    await waitForStep(orderId, 'awaiting_shipment');
    const level = (await stack.api('GET', `/products/${pump.id}`)).body.stockLevels[0];
    expect({ onHand: level.onHand, reserved: level.reserved }).toEqual({ onHand: 5, reserved: 2 });

    const shipped = await stack.api('POST', `/orders/${orderId}/shipment`, { carrier: 'Geodis', trackingNumber: 'GD123' });
    expect(shipped.status).toBe(200);

    const invoiceMail = await stack.mail.waitFor(customer.billingEmail, /^Facture FA-/);
    const process = await waitForStep(orderId, 'awaiting_payment');
    // 2 x 450.00 at 5.5 % + 3 x 65.00 at 10 %: HT 1095.00, VAT 49.50 + 19.50, TTC 1164.00
    expect(process.amounts).toEqual({ invoicedCents: 116_400, paidCents: 0, creditedCents: 0, dueCents: 116_400, overpaidCents: 0 });
    expect(process.invoice?.number).toMatch(/^FA-\d{4}-\d{6}$/);
    expect(invoiceMail.attachments).toHaveLength(1);
    expect(invoiceMail.attachments[0].contentType).toBe('application/pdf');
    const text = await pdfText(invoiceMail.attachments[0].content);
    expect(text).toContain(process.invoice!.number);
    expect(text).toContain('1 164,00 €');
    expect(text).toContain('Indemnité forfaitaire pour frais de recouvrement : 40 €');

    const after = (await stack.api('GET', `/products/${pump.id}`)).body.stockLevels[0];
    expect({ onHand: after.onHand, reserved: after.reserved }).toEqual({ onHand: 3, reserved: 0 });

    const paid = await stack.api(
      'POST',
      `/orders/${orderId}/payments`,
      { reference: `VIR-${orderId}`, amountCents: 116_400, receivedOn: '2026-11-22' },
      { key: await stack.keyFor('finance') },
    );
    expect(paid.status).toBe(202);
    const receipt = await stack.mail.waitFor(customer.billingEmail, /^Reçu de paiement/);
    expect(receipt.text).toContain(process.invoice!.number);

    const result = await stack.temporal.workflow.getHandle(workflowId).result();
    expect(result.step).toBe('paid');
    const invoice = (await stack.api('GET', `/invoices/${process.invoice!.id}`)).body;
    expect(invoice).toMatchObject({ status: 'paid', paidCents: 116_400, dueCents: 0, totalHtCents: 109_500, totalVatCents: 6_900 });
    expect(invoice.vatBreakdown).toEqual([
      { vatRateBp: 1000, baseHtCents: 19_500, vatCents: 1_950 },
      { vatRateBp: 550, baseHtCents: 90_000, vatCents: 4_950 },
    ]);
    const order = (await stack.api('GET', `/orders/${orderId}`)).body;
    expect(order.status).toBe('paid');
    // A finished process is read from its result: the same status the query gave, no replay needed.
    expect(order.process).toEqual(result);
    expect(order.shipment).toMatchObject({ carrier: 'Geodis', trackingNumber: 'GD123' });
    const pdf = await fetch(`${stack.baseUrl}/invoices/${invoice.id}/pdf`, { headers: { authorization: `Bearer ${stack.adminKey}` } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(stack.mail.to(customer.billingEmail)).toHaveLength(2);
    await recordHistory(stack, workflowId, 'order-to-cash-happy-path');
  });

  it('returns the same order for a retried POST with the same Idempotency-Key, even concurrently', async () => {
    const customer = await createCustomer(stack);
    const service = await createProduct(stack, { stocked: false });
    const body = { customerId: customer.id, lines: [{ sku: service.sku, quantity: 1 }] };
    const headers = { 'Idempotency-Key': `key-${customer.id}` };
    const [a, b] = await Promise.all([stack.api('POST', '/orders', body, { headers }), stack.api('POST', '/orders', body, { headers })]);
    const c = await stack.api('POST', '/orders', body, { headers });
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
    expect(new Set([a.body.orderId, b.body.orderId, c.body.orderId]).size).toBe(1);
    expect(c.headers.get('idempotent-replayed')).toBe('true');
    expect(await stack.prisma.order.count({ where: { customerId: customer.id } })).toBe(1);
  });

  it('rejects an invalid order with a 400 naming the fields, and creates nothing', async () => {
    const customer = await createCustomer(stack);
    const before = await stack.prisma.order.count({ where: { customerId: customer.id } });
    const unknown = await stack.api('POST', '/orders', { customerId: customer.id, lines: [{ sku: 'NOPE-404', quantity: 1 }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ path: 'body.lines.0.sku', message: 'Unknown SKU NOPE-404' }]);
    const negative = await stack.api('POST', '/orders', { customerId: customer.id, lines: [{ sku: 'X', quantity: -2 }], extra: 1 });
    expect(negative.status).toBe(400);
    expect(negative.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['body.lines.0.quantity', 'body']));
    const product = await createProduct(stack, { stocked: false, unitPriceCents: 100_000_000 });
    const huge = await stack.api('POST', '/orders', { customerId: customer.id, lines: [{ sku: product.sku, quantity: 100_000 }] });
    expect(huge.status).toBe(400);
    expect(await stack.prisma.order.count({ where: { customerId: customer.id } })).toBe(before);
  });

  it('applies partial payments once per reference and stops dunning when paid', async () => {
    const customer = await createCustomer(stack, { paymentTermsDays: 0 });
    const service = await createProduct(stack, { stocked: false, unitPriceCents: 10_000, vatRateBp: 2000 });
    const { orderId, workflowId } = (
      await stack.api('POST', '/orders', { customerId: customer.id, lines: [{ sku: service.sku, quantity: 1 }] })
    ).body;
    await waitForStep(orderId, 'awaiting_payment');
    const finance = await stack.keyFor('finance');
    const pay = (reference: string, amountCents: number) =>
      stack.api(
        'POST',
        `/orders/${orderId}/payments`,
        { reference, amountCents, receivedOn: '2026-11-22', method: 'card' },
        { key: finance },
      );

    await pay(`P1-${orderId}`, 4_000);
    await pay(`P1-${orderId}`, 4_000); // the bank feed sent it twice
    await waitUntil(async () => (await status(orderId)).amounts.paidCents === 4_000);
    const reminder = await stack.mail.waitFor(customer.billingEmail, /^Relance/);
    expect(reminder.text).toContain('Reste dû : 80,00 €');

    await pay(`P2-${orderId}`, 10_000); // 2,000 more than due: customer credit
    const done = await stack.temporal.workflow.getHandle(workflowId).result();
    expect(done.step).toBe('paid');
    expect(done.amounts).toMatchObject({ paidCents: 12_000, dueCents: 0, overpaidCents: 2_000 });
    const invoice = await stack.prisma.invoice.findUniqueOrThrow({ where: { orderId } });
    expect(invoice.paidCents).toBe(12_000);
    expect(await stack.prisma.payment.count({ where: { reference: { in: [`P1-${orderId}`, `P2-${orderId}`] } } })).toBe(2);
    expect((await stack.api('GET', `/customers/${customer.id}`)).body.customerCreditCents).toBe(2_000);
    const notices = await stack.prisma.dunningNotice.findMany({ where: { invoiceId: invoice.id } });
    expect(notices.length).toBeLessThan(4);
    expect(stack.mail.to(customer.billingEmail, /^(Relance|Mise en demeure)/)).toHaveLength(notices.length);
  });

  it('climbs the whole dunning ladder to collection, then still takes the payment', async () => {
    const customer = await createCustomer(stack, { paymentTermsDays: 0 });
    const service = await createProduct(stack, { stocked: false, unitPriceCents: 20_000 });
    const { orderId, workflowId } = (
      await stack.api('POST', '/orders', { customerId: customer.id, lines: [{ sku: service.sku, quantity: 1 }] })
    ).body;

    const inCollection = await waitForStep(orderId, 'in_collection');
    expect(inCollection.dunningLevelsSent).toBe(4);
    expect(stack.mail.to(customer.billingEmail, /^Relance/)).toHaveLength(2);
    const formal = stack.mail.to(customer.billingEmail, /^Mise en demeure/);
    expect(formal).toHaveLength(1);
    expect(formal[0].text).toContain('40 €');
    await stack.mail.waitFor(customer.billingEmail, /^Transmission au service contentieux/);
    await stack.mail.waitFor(stack.config.CREDIT_CONTROLLER_EMAIL, /Hand-off to collection/);

    await stack.api(
      'POST',
      `/orders/${orderId}/payments`,
      { reference: `COL-${orderId}`, amountCents: 24_000, receivedOn: '2026-11-30' },
      { key: await stack.keyFor('finance') },
    );
    expect((await stack.temporal.workflow.getHandle(workflowId).result()).step).toBe('paid');
    const invoice = await stack.prisma.invoice.findUniqueOrThrow({ where: { orderId }, include: { dunning: true } });
    expect(invoice.dunning.map((d) => d.kind).sort()).toEqual(['collection', 'formal_notice', 'reminder', 'reminder']);
    await recordHistory(stack, workflowId, 'order-to-cash-dunning-ladder');
  });

  it('cancels before shipment: the reservation is released and the customer told', async () => {
    const customer = await createCustomer(stack);
    const product = await createProduct(stack, { stock: 4 });
    const { orderId, workflowId } = (
      await stack.api('POST', '/orders', { customerId: customer.id, lines: [{ sku: product.sku, quantity: 3 }] })
    ).body;
    await waitForStep(orderId, 'awaiting_shipment');
    // Two at once (a double click, or a retry after a lost answer): one cancellation, both told its outcome.
    const both = await Promise.all(
      ['Client changed his mind', 'Duplicate request'].map((reason) => stack.api('POST', `/orders/${orderId}/cancel`, { reason })),
    );
    expect(both.map((r) => [r.status, r.body.step])).toEqual([
      [200, 'cancelled'],
      [200, 'cancelled'],
    ]);
    const level = await stack.prisma.stockLevel.findFirstOrThrow({ where: { productId: product.id } });
    expect({ onHand: level.onHand, reserved: level.reserved }).toEqual({ onHand: 4, reserved: 0 });
    const moves = await stack.prisma.stockMovement.findMany({ where: { orderId }, orderBy: { createdAt: 'asc' } });
    expect(moves.map((m) => [m.kind, m.reservedDelta])).toEqual([
      ['reservation', 3],
      ['release', -3],
    ]);
    await stack.mail.waitFor(customer.billingEmail, /^Annulation/);
    expect(stack.mail.to(customer.billingEmail, /^Annulation/)).toHaveLength(1);
    expect(await stack.prisma.invoice.count({ where: { orderId } })).toBe(0);
    expect((await stack.api('POST', `/orders/${orderId}/cancel`, { reason: 'again please' })).status).toBe(409);
    await recordHistory(stack, workflowId, 'order-to-cash-cancel-before-shipment');
  });

  it('cancels after invoicing: a credit note referencing the invoice is emailed', async () => {
    const customer = await createCustomer(stack);
    const service = await createProduct(stack, { stocked: false, unitPriceCents: 30_000 });
    const { orderId, workflowId } = (
      await stack.api('POST', '/orders', { customerId: customer.id, lines: [{ sku: service.sku, quantity: 1 }] })
    ).body;
    const waiting = await waitForStep(orderId, 'awaiting_payment');
    await stack.api(
      'POST',
      `/orders/${orderId}/payments`,
      { reference: `PART-${orderId}`, amountCents: 6_000, receivedOn: '2026-11-22' },
      { key: await stack.keyFor('finance') },
    );
    await waitUntil(async () => (await status(orderId)).amounts.paidCents === 6_000);

    const cancelled = await stack.api('POST', `/orders/${orderId}/cancel`, { reason: 'Wrong equipment ordered' });
    expect(cancelled.body.step).toBe('cancelled');
    expect(cancelled.body.creditNote.number).toMatch(/^AV-\d{4}-\d{6}$/);
    const mail = await stack.mail.waitFor(customer.billingEmail, /^Avoir AV-/);
    expect(mail.subject).toContain(waiting.invoice!.number);
    const text = await pdfText(mail.attachments[0].content);
    expect(text).toContain(waiting.invoice!.number);
    const invoice = await stack.prisma.invoice.findUniqueOrThrow({ where: { orderId } });
    expect(invoice).toMatchObject({ status: 'cancelled', creditedCents: 36_000, paidCents: 6_000 });
    const credit = await stack.prisma.customerCredit.findMany({ where: { customerId: customer.id } });
    expect(credit.map((c) => c.amountCents)).toEqual([6_000]);
    await recordHistory(stack, workflowId, 'order-to-cash-cancel-after-invoice');
  });

  it('waits for stock, resumes on a receipt, and an operator can cancel a short order', async () => {
    const customer = await createCustomer(stack);
    const product = await createProduct(stack, { stock: 1 });
    const first = (await stack.api('POST', '/orders', { customerId: customer.id, lines: [{ sku: product.sku, quantity: 2 }] })).body;
    const short = await waitForStep(first.orderId, 'awaiting_stock');
    expect(short.shortages).toEqual([{ sku: product.sku, requested: 2, available: 1 }]);
    const receipt = await stack.api('POST', '/stock/receipts', { sku: product.sku, quantity: 5, reference: `REC2-${product.id}` });
    expect(receipt.body.ordersWoken).toBe(1);
    await waitForStep(first.orderId, 'awaiting_shipment');

    const second = (await stack.api('POST', '/orders', { customerId: customer.id, lines: [{ sku: product.sku, quantity: 50 }] })).body;
    await waitForStep(second.orderId, 'awaiting_stock');
    const decided = await stack.api('POST', `/orders/${second.orderId}/backorder`, { decision: 'cancel' });
    expect(decided.status).toBe(200);
    expect((await stack.temporal.workflow.getHandle(second.workflowId).result()).step).toBe('cancelled');
    expect((await stack.api('POST', `/orders/${first.orderId}/backorder`, { decision: 'cancel' })).status).toBe(409);
    const level = await stack.prisma.stockLevel.findFirstOrThrow({ where: { productId: product.id } });
    expect({ onHand: level.onHand, reserved: level.reserved }).toEqual({ onHand: 6, reserved: 2 });
  });

  it('refuses a shipment for an order that is not awaiting one (409)', async () => {
    const customer = await createCustomer(stack);
    const service = await createProduct(stack, { stocked: false });
    const { orderId } = (await stack.api('POST', '/orders', { customerId: customer.id, lines: [{ sku: service.sku, quantity: 1 }] })).body;
    await waitForStep(orderId, 'awaiting_payment');
    const res = await stack.api('POST', `/orders/${orderId}/shipment`, {});
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/not awaiting a shipment/);
    expect(await stack.prisma.shipment.count({ where: { orderId } })).toBe(0);
  });

  it('takes 50 concurrent orders: gapless unique invoice numbers, stock never negative', async () => {
    const customer = await createCustomer(stack, { creditLimitCents: 2_000_000_000 });
    const product = await createProduct(stack, { stock: 40, unitPriceCents: 1_000 });
    const orders = await Promise.all(
      Array.from({ length: 50 }, () =>
        stack.api('POST', '/orders', { customerId: customer.id, lines: [{ sku: product.sku, quantity: 1 }] }).then((r) => r.body),
      ),
    );
    await waitUntil(
      async () =>
        (await stack.prisma.order.count({
          where: { customerId: customer.id, status: { in: ['awaiting_shipment', 'awaiting_stock'] } },
        })) === 50,
      {
        timeoutMs: 90_000,
        what: '50 orders reserved or short',
      },
    );
    const level = await stack.prisma.stockLevel.findFirstOrThrow({ where: { productId: product.id } });
    expect({ onHand: level.onHand, reserved: level.reserved }).toEqual({ onHand: 40, reserved: 40 });
    await stack.api('POST', '/stock/receipts', { sku: product.sku, quantity: 10, reference: `REC50-${product.id}` });
    await waitUntil(
      async () => (await stack.prisma.order.count({ where: { customerId: customer.id, status: 'awaiting_shipment' } })) === 50,
      { timeoutMs: 90_000 },
    );
    await Promise.all(orders.map((o) => stack.api('POST', `/orders/${o.orderId}/shipment`, {})));
    await waitUntil(async () => (await stack.prisma.invoice.count({ where: { customerId: customer.id } })) === 50, {
      timeoutMs: 90_000,
      what: '50 invoices',
    });

    const final = await stack.prisma.stockLevel.findFirstOrThrow({ where: { productId: product.id } });
    expect({ onHand: final.onHand, reserved: final.reserved }).toEqual({ onHand: 0, reserved: 0 });
    const ledger = await stack.prisma.stockMovement.aggregate({ where: { productId: product.id }, _sum: { onHandDelta: true } });
    expect(ledger._sum.onHandDelta).toBe(0);
    // Every invoice of the run (all tests): one continuous series per year, no duplicates.
    const all = await stack.prisma.invoice.findMany({ where: { series: 'FA' }, select: { year: true, sequence: true, number: true } });
    for (const year of new Set(all.map((i) => i.year))) {
      const seqs = all
        .filter((i) => i.year === year)
        .map((i) => i.sequence)
        .sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    }
    expect(new Set(all.map((i) => i.number)).size).toBe(all.length);
  });
});
