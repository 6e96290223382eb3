// The workflow bundle's entry: every workflow the worker runs.
export { smoke } from './smoke';
export { orderToCash } from './order-to-cash';
