import { seed } from '../../scripts/seed';
import { startStack, type Stack } from '../helpers/stack';
import { waitUntil } from '../helpers/wait';

describe('npm run seed', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const stepOf = async (path: string) => (await stack.api('GET', path)).body.process?.step;
  const waitForStep = (path: string, step: string) => waitUntil(async () => (await stepOf(path)) === step, { what: `${path} at ${step}` });

  it('loads the demo data through the API and starts orders and interventions; a second run duplicates nothing', async () => {
    const first = await seed({ baseUrl: stack.baseUrl, apiKey: stack.adminKey });
    expect(first.customers.filter((c) => c.created)).toHaveLength(5);
    expect(first.products.filter((p) => p.created)).toHaveLength(8);
    expect(first.technicians.filter((t) => t.created)).toHaveLength(3);
    expect(first.sites).toHaveLength(3);
    expect(first.orders).toHaveLength(4);
    expect(first.interventions).toHaveLength(2);
    expect(first.equipment.filter((e) => e.created)).toHaveLength(2);
    expect(first.contracts).toHaveLength(1);
    expect(first.claims).toHaveLength(2);

    const emails = (await stack.prisma.customer.findMany({ where: { id: { in: first.customers.map((c) => c.id) } } })).map(
      (c) => c.billingEmail,
    );
    const skus = first.products.map((p) => p.sku);
    expect(await stack.prisma.product.findMany({ where: { sku: { in: skus } } })).toHaveLength(8);
    const monthly = await stack.prisma.customer.count({
      where: { id: { in: first.customers.map((c) => c.id) }, interventionBilling: 'monthly' },
    });
    const consumers = await stack.prisma.customer.count({ where: { id: { in: first.customers.map((c) => c.id) }, isBusiness: false } });
    expect({ monthly, consumers }).toEqual({ monthly: 1, consumers: 1 });
    const vans = await stack.prisma.technician.findMany({
      where: { id: { in: first.technicians.map((t) => t.id) } },
      include: { van: { include: { stockLevels: true } } },
    });
    for (const t of vans) expect(t.van.stockLevels.length).toBeGreaterThan(0);

    // Each process is running in Temporal and at the step the data set meant it to reach.
    for (const { workflowId } of [...first.orders, ...first.interventions, ...first.contracts, ...first.claims]) {
      expect((await stack.temporal.workflow.getHandle(workflowId).describe()).status.name).toBe('RUNNING');
    }
    const [normal, services, overLimit, shortOfStock] = first.orders.map((o) => `/orders/${o.orderId}`);
    await waitForStep(normal, 'awaiting_shipment');
    await waitForStep(services, 'awaiting_payment');
    await waitForStep(overLimit, 'awaiting_credit_approval');
    await waitForStep(shortOfStock, 'awaiting_stock');
    await stack.mail.waitFor(stack.config.CREDIT_CONTROLLER_EMAIL, /^Approval needed/);
    const covered = await stack.prisma.intervention.findUniqueOrThrow({ where: { id: first.interventions[1].interventionId } });
    expect(covered).toMatchObject({ type: 'preventive_visit', coverageKind: 'contract', coverageRef: 'CT-2026-0042' });
    // The heat pump under warranty: its repair is dispatched at no charge; the old boiler waits for a decision.
    const [underWarranty, outOfWarranty] = first.claims.map((c) => `/warranty-claims/${c.claimId}`);
    await waitForStep(underWarranty, 'repairing');
    await waitForStep(outOfWarranty, 'awaiting_decision');

    const counts = async () => ({
      customers: await stack.prisma.customer.count({ where: { billingEmail: { in: emails } } }),
      products: await stack.prisma.product.count({ where: { sku: { in: skus } } }),
      technicians: await stack.prisma.technician.count({ where: { id: { in: first.technicians.map((t) => t.id) } } }),
      sites: await stack.prisma.site.count({ where: { customerId: { in: first.customers.map((c) => c.id) } } }),
      orders: await stack.prisma.order.count({ where: { customerId: { in: first.customers.map((c) => c.id) } } }),
      // The jobs the seed asks for (contract visits and claim repairs come from their processes).
      interventions: await stack.prisma.intervention.count({ where: { idempotencyKey: { startsWith: 'seed-' } } }),
      equipment: await stack.prisma.equipment.count({ where: { customerId: { in: first.customers.map((c) => c.id) } } }),
      contracts: await stack.prisma.contract.count({ where: { customerId: { in: first.customers.map((c) => c.id) } } }),
      claims: await stack.prisma.warrantyClaim.count({ where: { customerId: { in: first.customers.map((c) => c.id) } } }),
    });
    const once = await counts();
    const onHand = await stack.prisma.stockLevel.findMany({
      where: { product: { sku: { in: skus } } },
      orderBy: [{ productId: 'asc' }, { warehouseId: 'asc' }],
    });

    const second = await seed({ baseUrl: stack.baseUrl, apiKey: stack.adminKey });
    expect(second.customers.filter((c) => c.created)).toEqual([]);
    expect(second.products.filter((p) => p.created)).toEqual([]);
    expect(second.technicians.filter((t) => t.created)).toEqual([]);
    expect(second.orders.map((o) => o.orderId)).toEqual(first.orders.map((o) => o.orderId));
    expect(second.equipment.filter((e) => e.created)).toEqual([]);
    expect(second.claims.map((c) => c.claimId)).toEqual(first.claims.map((c) => c.claimId));
    expect(await counts()).toEqual(once);
    expect(once).toEqual({
      customers: 5,
      products: 8,
      technicians: 3,
      sites: 3,
      orders: 4,
      interventions: 2,
      equipment: 2,
      contracts: 1,
      claims: 2,
    });
    const onHandAgain = await stack.prisma.stockLevel.findMany({
      where: { product: { sku: { in: skus } } },
      orderBy: [{ productId: 'asc' }, { warehouseId: 'asc' }],
    });
    expect(onHandAgain.map((l) => l.onHand)).toEqual(onHand.map((l) => l.onHand));
  });
});
