import type { ActivityDeps } from './deps';
import { createApprovalActivities } from './approvals';
import { createBillingRunActivities } from './billing-runs';
import { createContractActivities } from './contracts';
import { createDispatchActivities } from './dispatch';
import { createInvoicingActivities } from './invoicing';
import { createMailActivities } from './mail';
import { createOrderActivities } from './orders';
import { createSmokeActivities } from './smoke';
import { createStockActivities } from './stock';
import { createWarrantyActivities } from './warranty';

export type { ActivityDeps } from './deps';

/** Builds every activity from its dependencies; the worker registers the result. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createMailActivities(deps),
    ...createSmokeActivities(deps),
    ...createApprovalActivities(deps),
    ...createOrderActivities(deps),
    ...createStockActivities(deps),
    ...createInvoicingActivities(deps),
    ...createDispatchActivities(deps),
    ...createContractActivities(deps),
    ...createBillingRunActivities(deps),
    ...createWarrantyActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
