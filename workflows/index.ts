// The workflow bundle's entry: every workflow the worker runs.
export { smoke } from './smoke';
export { orderToCash } from './order-to-cash';
export { invoiceCollection } from './invoice-collection';
export { interventionDispatch } from './intervention-dispatch';
export { interventionBillingRun } from './intervention-billing-run';
export { serviceContract } from './service-contract';
export { billingRun, scheduledBillingRun } from './billing-run';
export { warrantyClaim } from './warranty-claim';
