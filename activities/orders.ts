import type { OrderStatus } from '../generated/prisma/enums';
import { computeInvoiceTotals } from '../domain/invoice';
import type { ActivityDeps } from './deps';

export type OrderValidation =
  | {
      valid: true;
      customerId: string;
      customerName: string;
      billingEmail: string;
      totalTtcCents: number;
      hasStockedLines: boolean;
      paymentTermsDays: number;
    }
  | { valid: false; reason: string; customerId: string; billingEmail: string | null };

/** Order activities: validation, credit exposure and the order's status in the read model. */
export function createOrderActivities({ prisma, now }: ActivityDeps) {
  return {
    /** Checks the order against master data as it is now (customer, active products, quantities, totals). */
    async validateOrder(orderId: string): Promise<OrderValidation> {
      const order = await prisma.order.findUniqueOrThrow({
        where: { id: orderId },
        include: { customer: true, lines: { include: { product: true }, orderBy: { position: 'asc' } } },
      });
      const invalid = (reason: string): OrderValidation => ({
        valid: false,
        reason,
        customerId: order.customerId,
        billingEmail: order.customer.billingEmail,
      });
      if (order.lines.length === 0) return invalid('The order has no lines');
      for (const line of order.lines) {
        if (!line.product.active) return invalid(`Product ${line.product.sku} is no longer sold`);
        if (line.quantity <= 0) return invalid(`Line ${line.position}: the quantity must be positive`);
        if (line.unitPriceCents < 0) return invalid(`Line ${line.position}: the price cannot be negative`);
      }
      const totals = computeInvoiceTotals(order.lines);
      if (totals.totalTtcCents !== order.totalTtcCents) return invalid('The order totals do not match its lines');
      return {
        valid: true,
        customerId: order.customerId,
        customerName: order.customer.legalName,
        billingEmail: order.customer.billingEmail,
        totalTtcCents: order.totalTtcCents,
        hasStockedLines: order.lines.some((l) => l.stocked),
        paymentTermsDays: order.customer.paymentTermsDays,
      };
    },

    /** Exposure = the customer's open receivables + this order's total, against the credit limit. */
    async checkCredit(orderId: string) {
      const order = await prisma.order.findUniqueOrThrow({ where: { id: orderId }, include: { customer: true } });
      const open = await prisma.invoice.findMany({
        where: { customerId: order.customerId, status: { in: ['issued', 'partially_paid'] } },
        select: { totalTtcCents: true, paidCents: true, creditedCents: true },
      });
      const openReceivablesCents = open.reduce((sum, i) => sum + Math.max(0, i.totalTtcCents - i.paidCents - i.creditedCents), 0);
      const exposureCents = openReceivablesCents + order.totalTtcCents;
      return {
        openReceivablesCents,
        exposureCents,
        creditLimitCents: order.customer.creditLimitCents,
        withinLimit: exposureCents <= order.customer.creditLimitCents,
      };
    },

    /** Records where the order is, for lists and KPIs (the process itself lives in Temporal). */
    async setOrderStatus({ orderId, status, reason }: { orderId: string; status: OrderStatus; reason?: string }): Promise<void> {
      await prisma.order.update({ where: { id: orderId }, data: { status, statusReason: reason ?? null } });
    },

    /** Marks the order paid once its invoice is settled. */
    async markOrderPaid({ orderId }: { orderId: string; invoiceId: string }): Promise<void> {
      await prisma.order.update({ where: { id: orderId }, data: { status: 'paid', statusReason: null, updatedAt: now() } });
    },
  };
}
