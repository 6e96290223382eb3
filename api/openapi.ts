import { z } from 'zod';
import {
  createDocument,
  type oas31,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
} from 'zod-openapi';
import { readers, type Role } from './auth';
import { pageQuery } from './pagination';
import { confirmSmokeBody, smokeParams, startSmokeBody } from './smoke/validators';
import { createCustomerBody, customerParams, listCustomersQuery } from './customers/validators';
import { createProductBody, listProductsQuery, productParams, stockReceiptBody } from './products/validators';
import {
  backorderBody,
  cancelBody as cancelOrderBody,
  createOrderBody,
  idempotencyKeyHeader,
  listOrdersQuery,
  orderParams,
  paymentBody,
  shipmentBody,
} from './orders/validators';
import {
  assignBody,
  billingRunBody,
  boardQuery,
  cancelBody as cancelJobBody,
  checkInBody,
  completeBody,
  createInterventionBody,
  createSiteBody,
  createTechnicianBody,
  declineBody,
  idParams,
  listSitesQuery,
  partsRequestBody,
  periodParams,
  reportBody,
  scheduleQuery,
  technicianBody,
} from './interventions/validators';
import { decisionForm, tokenParam as approvalTokenParams } from './approvals/router';
import { invoiceIdParams, listInvoicesQuery } from './invoices/router';
import { kpiQuery } from './kpis/router';
import {
  amendContractBody,
  billingPeriodParams,
  billingRunBody as contractBillingRunBody,
  createContractBody,
  listContractsQuery,
  priceIndexBody,
  priceIndexParams,
  renewalDecisionBody,
  terminateContractBody,
} from './contracts/validators';
import {
  claimDecisionBody,
  createClaimBody,
  createSupplierBody,
  inspectionReportBody,
  listClaimsQuery,
  listEquipmentQuery,
  registerEquipmentBody,
  serialParams,
  supplierAnswerBody,
} from './warranty/validators';

/**
 * The OpenAPI 3.1 document of the API, generated from the zod schemas the routers validate with.
 * `routes` below is the route table: one entry per route the app serves (a unit test checks both ways).
 */

const approvalDecisionForm = decisionForm.meta({
  description: 'The decision, posted by the approval page form.',
  example: { decision: 'approved', comment: 'Client fidèle, encours maîtrisé' },
});

const idempotencyHeaders = z.object({ 'Idempotency-Key': idempotencyKeyHeader });

// Response schemas: documentation only (the routers answer records as stored).
const ProblemDetails = z
  .object({
    type: z.string().meta({ description: 'Always `about:blank`: the status and title say it all.' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional().meta({ description: 'The request path.' }),
    errors: z
      .array(z.object({ path: z.string().meta({ description: 'The field at fault, e.g. `body.lines.0.sku`.' }), message: z.string() }))
      .optional()
      .meta({ description: 'Every field at fault (validation errors).' }),
  })
  .meta({ description: 'An RFC 9457 problem details document (`application/problem+json`).' });
const StoredRecord = z.looseObject({ id: z.string().uuid() }).meta({ description: 'A record as stored (see prisma/schema.prisma).' });
const Page = z
  .object({ items: z.array(StoredRecord), nextCursor: z.string().uuid().nullable() })
  .meta({ description: 'One page of a list; pass `nextCursor` as `cursor` for the next one (null on the last page).' });
const ProcessStatus = z
  .looseObject({})
  .meta({ description: "The process's status as its workflow answers it (step, what it waits for...)." });
const Accepted = z.object({ accepted: z.literal(true), reference: z.string() });
const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  checks: z.object({ database: z.enum(['up', 'down']), temporal: z.enum(['up', 'down']) }),
});
const Pdf: oas31.SchemaObject = { type: 'string', format: 'binary' };
const Html: oas31.SchemaObject = { type: 'string' };

type Tag =
  | 'Orders'
  | 'Customers'
  | 'Products & stock'
  | 'Invoices'
  | 'Interventions'
  | 'Technicians'
  | 'Contracts'
  | 'Warranty'
  | 'KPIs'
  | 'Approvals'
  | 'System';
const tags: oas31.TagObject[] = [
  { name: 'Orders', description: 'Each order is a durable `orderToCash` process: credit check, stock, shipment, invoice, dunning.' },
  { name: 'Customers', description: 'Customer master data.' },
  { name: 'Products & stock', description: 'Catalogue, stock levels and goods receipts.' },
  { name: 'Invoices', description: 'Issued invoices and credit notes (never modified) and their payments.' },
  { name: 'Interventions', description: 'Sites, field jobs (`interventionDispatch` processes), the dispatch board and monthly billing.' },
  { name: 'Technicians', description: 'Technicians, each with a van stock location, and their schedules.' },
  {
    name: 'Contracts',
    description:
      'Service contracts (`serviceContract` processes: visits, amendments, renewal), monthly billing runs (`billingRun`) and price indices.',
  },
  {
    name: 'Warranty',
    description:
      'Suppliers, the installed base (equipment by serial, with its history) and warranty claims (`warrantyClaim` processes: coverage per line, quote, repair, credit notes, supplier recovery).',
  },
  { name: 'KPIs', description: 'Receivables, cash, invoicing and field service figures, computed live.' },
  { name: 'Approvals', description: 'Pages opened from emailed approval links: the signed link is the credential.' },
  { name: 'System', description: 'Health, this reference, and the smoke process.' },
];

type Method = 'get' | 'post';
type Status = `${1 | 2 | 3 | 4 | 5}${string}`;

/** One route of the API. No `roles`: public (no API key). */
interface ApiRoute {
  method: Method;
  /** OpenAPI form: `/orders/{id}`. */
  path: string;
  tag: Tag;
  operationId: string;
  summary: string;
  description?: string;
  roles?: readonly Role[];
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: z.ZodType;
  /** The body is an HTML form (`application/x-www-form-urlencoded`) instead of JSON. */
  form?: boolean;
  ok: [Status, ZodOpenApiResponseObject];
  /** When the route answers 409 (a state conflict). */
  conflict?: string;
  /** Other responses (added to the generated ones). */
  responses?: { [status: Status]: ZodOpenApiResponseObject };
  /** False: the route answers its errors as HTML pages (in `responses`), not problem details. */
  problems?: false;
}

const json = (schema: z.ZodType | oas31.SchemaObject) => ({ 'application/json': { schema } });
const location = (example: string) => z.object({ Location: z.string().meta({ description: `The new resource, e.g. \`${example}\`.` }) });
const ok = (description: string, schema: z.ZodType | oas31.SchemaObject = StoredRecord): [Status, ZodOpenApiResponseObject] => [
  '200',
  { description, content: json(schema) },
];
const created = (description: string, schema: z.ZodType, where: string): [Status, ZodOpenApiResponseObject] => [
  '201',
  { description, content: json(schema), headers: location(where) },
];
const accepted = (description: string, schema: z.ZodType = Accepted): [Status, ZodOpenApiResponseObject] => [
  '202',
  { description, content: json(schema) },
];
const file = (description: string): [Status, ZodOpenApiResponseObject] => [
  '200',
  { description, content: { 'application/pdf': { schema: Pdf } } },
];
const html = (description: string): ZodOpenApiResponseObject => ({ description, content: { 'text/html': { schema: Html } } });

const problem = (description: string): ZodOpenApiResponseObject => ({
  description,
  content: { 'application/problem+json': { schema: ProblemDetails } },
});
const badRequest = { ...problem('Invalid request: `errors` names every field at fault.'), id: 'BadRequest' };
const unauthorized = { ...problem('No API key, or an unknown or revoked one.'), id: 'Unauthorized' };
const forbidden = { ...problem("The key's role may not do this."), id: 'Forbidden' };
const notFound = { ...problem('No such resource.'), id: 'NotFound' };

const stockReceipt = z.object({
  applied: z.boolean().meta({ description: 'False when this reference was already received (nothing changed).' }),
  sku: z.string(),
  warehouse: z.string(),
  onHand: z.number().int().optional(),
  reserved: z.number().int().optional(),
  ordersWoken: z.number().int().meta({ description: 'Orders waiting for this product that retry their reservation.' }),
});
const orderStarted = z.object({ orderId: z.string().uuid(), workflowId: z.string(), totalTtcCents: z.number().int() });
const interventionStarted = z.object({ interventionId: z.string().uuid(), workflowId: z.string() });
const billingRun = z.object({
  period: z.string(),
  workflowId: z.string(),
  started: z.boolean().meta({ description: 'False when the run of this period already exists.' }),
});
const board = z.object({
  nextCursor: z.string().uuid().nullable(),
  items: z.array(
    z.looseObject({
      id: z.string().uuid(),
      sla: z.enum(['on_track', 'at_risk', 'breached', 'met']),
      slaTimeLeftMs: z.number().nullable(),
    }),
  ),
});

const ops: Role[] = ['operations'];
const jobUpdate = (description: string) => ok(description, ProcessStatus);
const jobConflict = "The job's state does not allow this (the process refused the update).";

/** The route table: every route the app serves, grouped by tag. */
const table: ApiRoute[] = [
  // Orders
  {
    method: 'post',
    path: '/orders',
    tag: 'Orders',
    operationId: 'createOrder',
    summary: 'Create an order and start its process',
    description: 'A retried POST with the same `Idempotency-Key` answers the order the first one created (`Idempotent-Replayed: true`).',
    roles: ops,
    headers: idempotencyHeaders,
    body: createOrderBody,
    ok: created('The order and its `orderToCash` process.', orderStarted, '/orders/{id}'),
  },
  {
    method: 'get',
    path: '/orders',
    tag: 'Orders',
    operationId: 'listOrders',
    summary: 'List orders',
    roles: readers,
    query: listOrdersQuery,
    ok: ok('A page of orders.', Page),
  },
  {
    method: 'get',
    path: '/orders/{id}',
    tag: 'Orders',
    operationId: 'getOrder',
    summary: 'Read an order with its lines, shipment, invoice and live process status',
    roles: readers,
    params: orderParams,
    ok: ok('The order; `process` is the workflow status (step, waiting for, amounts, next dunning).'),
  },
  {
    method: 'post',
    path: '/orders/{id}/shipment',
    tag: 'Orders',
    operationId: 'confirmShipment',
    summary: 'Confirm the shipment (issues and emails the invoice)',
    roles: ops,
    params: orderParams,
    body: shipmentBody,
    ok: ok('The process status after the shipment.', ProcessStatus),
    conflict: 'The order is not awaiting shipment.',
  },
  {
    method: 'post',
    path: '/orders/{id}/payments',
    tag: 'Orders',
    operationId: 'recordOrderPayment',
    summary: 'Record a payment on the order',
    roles: ['finance'],
    params: orderParams,
    body: paymentBody,
    ok: accepted('Payment notice accepted (the same reference is applied once).'),
    conflict: 'The order is closed (paid, rejected or cancelled): record the money as unallocated customer credit.',
  },
  {
    method: 'post',
    path: '/orders/{id}/cancel',
    tag: 'Orders',
    operationId: 'cancelOrder',
    summary: 'Cancel the order (releases stock, or issues a credit note)',
    roles: ['operations', 'finance'],
    params: orderParams,
    body: cancelOrderBody,
    ok: ok('The process status after the cancellation.', ProcessStatus),
    conflict: 'The order can no longer be cancelled.',
  },
  {
    method: 'post',
    path: '/orders/{id}/backorder',
    tag: 'Orders',
    operationId: 'decideBackorder',
    summary: 'Backorder or cancel an order short of stock',
    roles: ops,
    params: orderParams,
    body: backorderBody,
    ok: ok('The process status after the decision.', ProcessStatus),
    conflict: 'The order is not waiting for stock.',
  },

  // Customers
  {
    method: 'post',
    path: '/customers',
    tag: 'Customers',
    operationId: 'createCustomer',
    summary: 'Create a customer',
    roles: ['operations', 'finance'],
    body: createCustomerBody,
    ok: created('The customer.', StoredRecord, '/customers/{id}'),
  },
  {
    method: 'get',
    path: '/customers',
    tag: 'Customers',
    operationId: 'listCustomers',
    summary: 'List customers (`q` searches the legal name)',
    roles: readers,
    query: listCustomersQuery,
    ok: ok('A page of customers.', Page),
  },
  {
    method: 'get',
    path: '/customers/{id}',
    tag: 'Customers',
    operationId: 'getCustomer',
    summary: 'Read a customer with open receivables and customer credit',
    roles: readers,
    params: customerParams,
    ok: ok('The customer, with `openReceivablesCents` and `customerCreditCents`.'),
  },

  // Products & stock
  {
    method: 'post',
    path: '/products',
    tag: 'Products & stock',
    operationId: 'createProduct',
    summary: 'Create a product or a service',
    roles: ops,
    body: createProductBody,
    ok: created('The product.', StoredRecord, '/products/{id}'),
    conflict: 'The SKU already exists.',
  },
  {
    method: 'get',
    path: '/products',
    tag: 'Products & stock',
    operationId: 'listProducts',
    summary: 'List products with their stock levels',
    roles: readers,
    query: listProductsQuery,
    ok: ok('A page of products.', Page),
  },
  {
    method: 'get',
    path: '/products/{id}',
    tag: 'Products & stock',
    operationId: 'getProduct',
    summary: 'Read a product with its stock by warehouse',
    roles: readers,
    params: productParams,
    ok: ok('The product.'),
  },
  {
    method: 'post',
    path: '/stock/receipts',
    tag: 'Products & stock',
    operationId: 'receiveStock',
    summary: 'Receive goods (wakes the orders waiting for the product)',
    roles: ops,
    body: stockReceiptBody,
    ok: ['201', { description: 'Stock received.', content: json(stockReceipt) }],
    responses: { '200': { description: 'This reference was already received: nothing changed.', content: json(stockReceipt) } },
  },

  // Invoices
  {
    method: 'get',
    path: '/invoices',
    tag: 'Invoices',
    operationId: 'listInvoices',
    summary: 'List invoices (`overdue=true`: unpaid past their due date)',
    roles: readers,
    query: listInvoicesQuery,
    ok: ok('A page of invoices (without their PDF).', Page),
  },
  {
    method: 'get',
    path: '/invoices/{id}',
    tag: 'Invoices',
    operationId: 'getInvoice',
    summary: 'Read an invoice with lines, payments, credit notes and dunning',
    roles: readers,
    params: invoiceIdParams,
    ok: ok('The invoice, with `dueCents`.'),
  },
  {
    method: 'get',
    path: '/invoices/{id}/pdf',
    tag: 'Invoices',
    operationId: 'getInvoicePdf',
    summary: 'Download the invoice PDF',
    roles: readers,
    params: invoiceIdParams,
    ok: file('The PDF as issued.'),
  },
  {
    method: 'post',
    path: '/invoices/{id}/payments',
    tag: 'Invoices',
    operationId: 'recordInvoicePayment',
    summary: 'Record a payment on an invoice (to the process collecting it)',
    roles: ['finance'],
    params: invoiceIdParams,
    body: paymentBody,
    ok: accepted('Payment notice accepted (the same reference is applied once).'),
    conflict: 'The invoice is paid or cancelled.',
  },
  {
    method: 'get',
    path: '/credit-notes/{id}/pdf',
    tag: 'Invoices',
    operationId: 'getCreditNotePdf',
    summary: 'Download a credit note PDF',
    roles: readers,
    params: invoiceIdParams,
    ok: file('The PDF as issued.'),
  },

  // Interventions
  {
    method: 'post',
    path: '/sites',
    tag: 'Interventions',
    operationId: 'createSite',
    summary: 'Create a customer site',
    roles: ['operations', 'dispatcher'],
    body: createSiteBody,
    ok: created('The site.', StoredRecord, '/sites/{id}'),
  },
  {
    method: 'get',
    path: '/sites',
    tag: 'Interventions',
    operationId: 'listSites',
    summary: "List sites (a customer's, or a sector's)",
    roles: readers,
    query: listSitesQuery,
    ok: ok('A page of sites.', Page),
  },
  {
    method: 'post',
    path: '/interventions',
    tag: 'Interventions',
    operationId: 'createIntervention',
    summary: 'Request a field job and start its dispatch process',
    description: 'A retried POST with the same `Idempotency-Key` answers the job the first one created.',
    roles: ['operations', 'dispatcher'],
    headers: idempotencyHeaders,
    body: createInterventionBody,
    ok: created('The job and its `interventionDispatch` process.', interventionStarted, '/interventions/{id}'),
  },
  {
    method: 'get',
    path: '/interventions/{id}',
    tag: 'Interventions',
    operationId: 'getIntervention',
    summary: 'Read a job with its parts, SLA time left and live process status',
    roles: readers,
    params: idParams,
    ok: ok('The job, with `parts`, `slaTimeLeftMs` and `process`.'),
  },
  {
    method: 'get',
    path: '/interventions/{id}/report.pdf',
    tag: 'Interventions',
    operationId: 'getInterventionReport',
    summary: 'Download the signed field report',
    roles: readers,
    params: idParams,
    ok: file('The field report PDF.'),
  },
  {
    method: 'post',
    path: '/interventions/{id}/accept',
    tag: 'Interventions',
    operationId: 'acceptIntervention',
    summary: 'The technician accepts the job',
    roles: ['technician', 'dispatcher'],
    params: idParams,
    body: technicianBody,
    ok: jobUpdate('The process status.'),
    conflict: jobConflict,
  },
  {
    method: 'post',
    path: '/interventions/{id}/decline',
    tag: 'Interventions',
    operationId: 'declineIntervention',
    summary: 'The technician declines the job',
    roles: ['technician', 'dispatcher'],
    params: idParams,
    body: declineBody,
    ok: jobUpdate('The process status.'),
    conflict: jobConflict,
  },
  {
    method: 'post',
    path: '/interventions/{id}/check-in',
    tag: 'Interventions',
    operationId: 'checkInIntervention',
    summary: 'Check in on site (stops the SLA clock)',
    roles: ['technician'],
    params: idParams,
    body: checkInBody,
    ok: jobUpdate('The process status.'),
    conflict: jobConflict,
  },
  {
    method: 'post',
    path: '/interventions/{id}/report',
    tag: 'Interventions',
    operationId: 'reportIntervention',
    summary: 'Report the work done and the parts used from the van',
    roles: ['technician'],
    params: idParams,
    body: reportBody,
    ok: jobUpdate('The process status.'),
    conflict: jobConflict,
  },
  {
    method: 'post',
    path: '/interventions/{id}/parts-request',
    tag: 'Interventions',
    operationId: 'requestInterventionParts',
    summary: 'Put the job on hold for parts',
    roles: ['technician'],
    params: idParams,
    body: partsRequestBody,
    ok: jobUpdate('The process status.'),
    conflict: jobConflict,
  },
  {
    method: 'post',
    path: '/interventions/{id}/complete',
    tag: 'Interventions',
    operationId: 'completeIntervention',
    summary: "Complete the job with the customer's sign-off",
    roles: ['technician'],
    params: idParams,
    body: completeBody,
    ok: jobUpdate('The process status.'),
    conflict: jobConflict,
  },
  {
    method: 'post',
    path: '/interventions/{id}/assign',
    tag: 'Interventions',
    operationId: 'assignIntervention',
    summary: 'Assign a technician and an appointment by hand',
    roles: ['dispatcher'],
    params: idParams,
    body: assignBody,
    ok: jobUpdate('The process status.'),
    conflict: jobConflict,
  },
  {
    method: 'post',
    path: '/interventions/{id}/cancel',
    tag: 'Interventions',
    operationId: 'cancelIntervention',
    summary: 'Cancel the job (releases the appointment)',
    roles: ['dispatcher', 'operations'],
    params: idParams,
    body: cancelJobBody,
    ok: jobUpdate('The process status.'),
    conflict: jobConflict,
  },
  {
    method: 'post',
    path: '/interventions/{id}/parts-arrived',
    tag: 'Interventions',
    operationId: 'partsArrived',
    summary: 'The parts the job waits for have arrived',
    roles: ['dispatcher', 'operations'],
    params: idParams,
    ok: accepted('Signal sent to the process.', z.object({ accepted: z.literal(true) })),
    conflict: 'The job is not waiting for parts.',
  },
  {
    method: 'get',
    path: '/dispatch/board',
    tag: 'Interventions',
    operationId: 'dispatchBoard',
    summary: "The dispatcher's board: open jobs by SLA deadline",
    roles: ['dispatcher', 'operations', 'read_only'],
    query: boardQuery,
    ok: ok('Open jobs, soonest SLA deadline first.', board),
  },
  {
    method: 'post',
    path: '/intervention-billing-runs',
    tag: 'Interventions',
    operationId: 'startInterventionBillingRun',
    summary: "Invoice a month's field jobs of monthly-billed customers",
    roles: ['finance'],
    body: billingRunBody,
    ok: ['202', { description: 'The run started.', content: json(billingRun), headers: location('/intervention-billing-runs/2026-11') }],
    responses: { '200': { description: 'The run of this period already exists (nothing started).', content: json(billingRun) } },
  },
  {
    method: 'get',
    path: '/intervention-billing-runs/{period}',
    tag: 'Interventions',
    operationId: 'getInterventionBillingRun',
    summary: 'Progress of a monthly billing run',
    roles: readers,
    params: periodParams,
    ok: ok('The progress as the run answers it.', ProcessStatus),
  },

  // Technicians
  {
    method: 'post',
    path: '/technicians',
    tag: 'Technicians',
    operationId: 'createTechnician',
    summary: 'Create a technician with their van',
    roles: ['dispatcher', 'operations'],
    body: createTechnicianBody,
    ok: created('The technician with `van` (its stock location code).', StoredRecord, '/technicians/{id}'),
    conflict: 'A technician with this email exists.',
  },
  {
    method: 'get',
    path: '/technicians',
    tag: 'Technicians',
    operationId: 'listTechnicians',
    summary: 'List technicians',
    roles: readers,
    query: pageQuery,
    ok: ok('A page of technicians.', Page),
  },
  {
    method: 'get',
    path: '/technicians/{id}',
    tag: 'Technicians',
    operationId: 'getTechnician',
    summary: 'Read a technician with the stock of their van',
    roles: readers,
    params: idParams,
    ok: ok('The technician.'),
  },
  {
    method: 'get',
    path: '/technicians/{id}/schedule',
    tag: 'Technicians',
    operationId: 'getTechnicianSchedule',
    summary: "A technician's appointments between two instants",
    roles: readers,
    params: idParams,
    query: scheduleQuery,
    ok: ok(
      'The appointments, with their site.',
      z.object({ technicianId: z.string().uuid(), from: z.string(), to: z.string(), appointments: z.array(StoredRecord) }),
    ),
  },

  // Contracts
  {
    method: 'post',
    path: '/contracts',
    tag: 'Contracts',
    operationId: 'createContract',
    summary: 'Create a service contract and start its process',
    description: 'Send an `Idempotency-Key` header to make retries safe: the same key answers the same contract.',
    roles: ops,
    headers: idempotencyHeaders,
    body: createContractBody,
    ok: created('The contract and its process.', z.object({ contractId: z.string().uuid(), workflowId: z.string() }), '/contracts/{id}'),
  },
  {
    method: 'get',
    path: '/contracts',
    tag: 'Contracts',
    operationId: 'listContracts',
    summary: 'List contracts (e.g. those expiring within N days)',
    description: '`expiringWithinDays` lists active and ending contracts whose term ends within that many days, soonest first.',
    roles: readers,
    query: listContractsQuery,
    ok: ok('A page of contracts.', Page),
  },
  {
    method: 'get',
    path: '/contracts/{id}',
    tag: 'Contracts',
    operationId: 'getContract',
    summary: 'Read a contract: sites, plan, versions, terms, visits and its process status',
    roles: readers,
    params: idParams,
    ok: ok('The contract, with `process` (next invoice date, next visit, renewal status, visits done vs planned).'),
  },
  {
    method: 'get',
    path: '/contracts/{id}/visits',
    tag: 'Contracts',
    operationId: 'listContractVisits',
    summary: "The contract's preventive visits (planned, started, done, overdue, cancelled)",
    roles: readers,
    params: idParams,
    ok: ok('The visits of every term.', z.object({ items: z.array(StoredRecord) })),
  },
  {
    method: 'post',
    path: '/contracts/{id}/amendments',
    tag: 'Contracts',
    operationId: 'amendContract',
    summary: 'Amend the price or coverage from a date (prorated on the next invoice)',
    roles: ops,
    params: idParams,
    body: amendContractBody,
    ok: ok('The process status once the amendment is recorded.', ProcessStatus),
    conflict: 'The contract is not active, or the date is outside the current term.',
  },
  {
    method: 'post',
    path: '/contracts/{id}/termination',
    tag: 'Contracts',
    operationId: 'terminateContract',
    summary: 'Give notice of termination (either side)',
    roles: ops,
    params: idParams,
    body: terminateContractBody,
    ok: ok('The process status with the end date.', ProcessStatus),
    conflict: 'The contract is already ending or terminated.',
  },
  {
    method: 'post',
    path: '/contracts/{id}/renewal-decision',
    tag: 'Contracts',
    operationId: 'decideContractRenewal',
    summary: "Record the customer's answer to the renewal proposal",
    roles: ops,
    params: idParams,
    body: renewalDecisionBody,
    ok: accepted(
      'The process took the decision; it records the outcome right after (GET the contract to follow).',
      z.object({ accepted: z.literal(true), decision: z.enum(['accepted', 'refused']) }),
    ),
    conflict: 'No renewal proposal is awaiting the customer.',
  },
  {
    method: 'post',
    path: '/billing-runs',
    tag: 'Contracts',
    operationId: 'startContractBillingRun',
    summary: "Start the month's contract billing run (once per month)",
    description:
      'Also started by a Temporal Schedule on the 1st of each month. Starting a month again changes nothing (200, `started: false`).',
    roles: ['finance'],
    body: contractBillingRunBody,
    ok: accepted('The run started (200 with `started: false` when it already existed).', billingRun),
  },
  {
    method: 'get',
    path: '/billing-runs/{period}',
    tag: 'Contracts',
    operationId: 'getContractBillingRun',
    summary: 'Progress of a billing run (pages, drafted, issued, sent)',
    roles: readers,
    params: billingPeriodParams,
    ok: ok('The progress.', ProcessStatus),
  },
  {
    method: 'post',
    path: '/billing-runs/{period}/redraft',
    tag: 'Contracts',
    operationId: 'redraftContractBillingRun',
    summary: 'Draft a rejected run again (after correcting the contracts) and ask for approval again',
    roles: ['finance'],
    params: billingPeriodParams,
    ok: ok('The progress once drafting again.', ProcessStatus),
    conflict: 'The run is not rejected.',
  },
  {
    method: 'post',
    path: '/price-indices',
    tag: 'Contracts',
    operationId: 'publishPriceIndexValue',
    summary: 'Record a published value of a price index',
    roles: ['finance'],
    body: priceIndexBody,
    ok: created('The value.', z.object({ name: z.string(), publishedOn: z.string(), value: z.number() }), '/price-indices/{name}'),
  },
  {
    method: 'get',
    path: '/price-indices/{name}',
    tag: 'Contracts',
    operationId: 'getPriceIndex',
    summary: 'The published values of a price index, latest first',
    roles: readers,
    params: priceIndexParams,
    ok: ok('The values.', z.object({ name: z.string(), values: z.array(z.object({ publishedOn: z.string(), value: z.number() })) })),
  },

  // Warranty
  {
    method: 'post',
    path: '/suppliers',
    tag: 'Warranty',
    operationId: 'createSupplier',
    summary: 'Register a supplier (warranty claims go to its claims address)',
    roles: ops,
    body: createSupplierBody,
    ok: created('The supplier.', StoredRecord, '/suppliers/{id}'),
  },
  {
    method: 'get',
    path: '/suppliers',
    tag: 'Warranty',
    operationId: 'listSuppliers',
    summary: 'List suppliers',
    roles: readers,
    query: pageQuery,
    ok: ok('A page of suppliers.', Page),
  },
  {
    method: 'post',
    path: '/equipment',
    tag: 'Warranty',
    operationId: 'registerEquipment',
    summary: 'Register an equipment of the installed base',
    description:
      'Warranty ends default from the model (its `warrantyMonths`, else `WARRANTY_DEFAULT_MONTHS`); a serial number is registered once.',
    roles: ops,
    body: registerEquipmentBody,
    ok: created('The equipment.', StoredRecord, '/equipment/{serial}'),
    conflict: 'The serial number is already registered.',
  },
  {
    method: 'get',
    path: '/equipment',
    tag: 'Warranty',
    operationId: 'listEquipment',
    summary: 'Look up equipment by customer, site or serial number',
    roles: readers,
    query: listEquipmentQuery,
    ok: ok('A page of equipment.', Page),
  },
  {
    method: 'get',
    path: '/equipment/{serial}',
    tag: 'Warranty',
    operationId: 'getEquipment',
    summary: 'Read an equipment by serial number, with its history, interventions and claims',
    roles: readers,
    params: serialParams,
    ok: ok(
      'The equipment with `events` (installed, interventions, parts replaced, replaced, warranty extended), `interventions` and `claims`.',
    ),
  },
  {
    method: 'post',
    path: '/warranty-claims',
    tag: 'Warranty',
    operationId: 'createWarrantyClaim',
    summary: 'Open a warranty claim on an equipment and start its process',
    description:
      'An unknown serial, or an equipment of another customer, answers 400. A retried POST with the same `Idempotency-Key` answers the claim the first one created.',
    roles: ops,
    headers: idempotencyHeaders,
    body: createClaimBody,
    ok: created(
      'The claim and its `warrantyClaim` process.',
      z.object({ claimId: z.string().uuid(), workflowId: z.string() }),
      '/warranty-claims/{id}',
    ),
    conflict: 'Another claim is open on this equipment.',
  },
  {
    method: 'get',
    path: '/warranty-claims',
    tag: 'Warranty',
    operationId: 'listWarrantyClaims',
    summary: 'List claims (e.g. those whose supplier recovery is pending)',
    roles: readers,
    query: listClaimsQuery,
    ok: ok('A page of claims with their equipment and supplier claim.', Page),
  },
  {
    method: 'get',
    path: '/warranty-claims/{id}',
    tag: 'Warranty',
    operationId: 'getWarrantyClaim',
    summary: 'Read a claim: lines with their coverage, supplier claim and live process status',
    roles: readers,
    params: idParams,
    ok: ok('The claim, with `lines`, `supplierClaim` and `process` (step, coverage, amounts, what it waits for).'),
  },
  {
    method: 'get',
    path: '/warranty-claims/{id}/quote.pdf',
    tag: 'Warranty',
    operationId: 'getWarrantyQuote',
    summary: 'Download the quote (devis) sent to the customer',
    roles: readers,
    params: idParams,
    ok: file('The quote PDF.'),
  },
  {
    method: 'get',
    path: '/warranty-claims/{id}/supplier-claim.pdf',
    tag: 'Warranty',
    operationId: 'getSupplierClaimDocument',
    summary: 'Download the claim document sent to the supplier',
    roles: readers,
    params: idParams,
    ok: file('The supplier claim PDF.'),
  },
  {
    method: 'post',
    path: '/warranty-claims/{id}/inspection-report',
    tag: 'Warranty',
    operationId: 'reportClaimInspection',
    summary: "The inspecting technician's diagnosis (cause, findings, work needed)",
    roles: ['technician', 'dispatcher'],
    params: idParams,
    body: inspectionReportBody,
    ok: ok('The process status with the coverage assessed.', ProcessStatus),
    conflict: 'The claim is not waiting for an inspection, or the inspection has not started.',
  },
  {
    method: 'post',
    path: '/warranty-claims/{id}/decision',
    tag: 'Warranty',
    operationId: 'decideWarrantyClaim',
    summary: 'Decide before the quote goes out: as proposed, or goodwill',
    roles: ops,
    params: idParams,
    body: claimDecisionBody,
    ok: ok('The process status once the decision is taken in (goodwill: awaiting the approval).', ProcessStatus),
    conflict: 'The claim is not waiting for a decision.',
  },
  {
    method: 'post',
    path: '/warranty-claims/{id}/supplier-answer',
    tag: 'Warranty',
    operationId: 'recordSupplierAnswer',
    summary: "Record the supplier's answer to our warranty claim",
    roles: ['finance', 'operations'],
    params: idParams,
    body: supplierAnswerBody,
    ok: ok('The process status with the amount recovered.', ProcessStatus),
    conflict: 'No supplier claim awaits an answer.',
  },
  // KPIs
  {
    method: 'get',
    path: '/api/kpis',
    tag: 'KPIs',
    operationId: 'getKpis',
    summary: 'The KPIs as JSON (optionally for some customers)',
    description: 'Repeat `customerId` to restrict the figures to several customers.',
    roles: ['finance', 'operations', 'read_only'],
    query: kpiQuery,
    ok: ok('The figures, with their definitions.', z.looseObject({}).meta({ description: 'The KPIs (see `definitions` in the answer).' })),
  },
  {
    method: 'get',
    path: '/dashboard',
    tag: 'KPIs',
    operationId: 'kpiDashboard',
    summary: 'The KPI dashboard page',
    roles: ['finance', 'operations', 'read_only'],
    query: kpiQuery,
    ok: ['200', html('The dashboard (HTML).')],
  },

  // Approvals
  {
    method: 'get',
    path: '/approvals/{token}',
    tag: 'Approvals',
    operationId: 'showApproval',
    summary: 'The approval page (changes nothing)',
    description: 'HTML page opened from the emailed link; mail scanners may fetch it safely.',
    params: approvalTokenParams,
    ok: ['200', html('The decision form.')],
    problems: false,
    responses: {
      '404': html('Invalid link.'),
      '409': html('Already decided.'),
      '410': html('Expired or no longer needed.'),
    },
  },
  {
    method: 'post',
    path: '/approvals/{token}',
    tag: 'Approvals',
    operationId: 'decideApproval',
    summary: 'Decide once (posted by the approval page)',
    description: 'Only the approval page itself may post here (cross-site posts are refused).',
    params: approvalTokenParams,
    body: approvalDecisionForm,
    form: true,
    ok: ['200', html('Decision recorded.')],
    problems: false,
    responses: {
      '400': html('Invalid decision.'),
      '403': html('Posted from another site.'),
      '404': html('Invalid link.'),
      '409': html('Already decided.'),
      '410': html('Expired, or the process has moved on.'),
    },
  },

  // System
  {
    method: 'get',
    path: '/health',
    tag: 'System',
    operationId: 'health',
    summary: 'Health of the API and what it depends on',
    ok: ok('Temporal and the database answer.', Health),
    responses: { '503': { description: 'Temporal or the database does not answer.', content: json(Health) } },
  },
  {
    method: 'get',
    path: '/openapi.json',
    tag: 'System',
    operationId: 'openApiDocument',
    summary: 'This OpenAPI 3.1 document',
    ok: ok('The document.', { type: 'object' }),
  },
  {
    method: 'get',
    path: '/docs',
    tag: 'System',
    operationId: 'apiReference',
    summary: 'The interactive API reference (Swagger UI)',
    ok: ['200', html('The reference page.')],
  },
  {
    method: 'get',
    path: '/metrics',
    tag: 'System',
    operationId: 'metrics',
    summary: "The API's Prometheus metrics",
    ok: ['200', { description: 'Prometheus text exposition format.', content: { 'text/plain': { schema: { type: 'string' } } } }],
  },
  {
    method: 'post',
    path: '/smoke',
    tag: 'System',
    operationId: 'startSmoke',
    summary: 'Start a smoke process (API, Temporal, worker, database and mail end to end)',
    roles: ops,
    body: startSmokeBody,
    ok: created('The smoke process.', z.object({ id: z.string().uuid(), workflowId: z.string() }), '/smoke/{id}'),
  },
  {
    method: 'post',
    path: '/smoke/{id}/confirm',
    tag: 'System',
    operationId: 'confirmSmoke',
    summary: 'Confirm a smoke process',
    roles: ops,
    params: smokeParams,
    body: confirmSmokeBody,
    ok: accepted('Confirmation sent to the process.', z.object({ id: z.string().uuid(), accepted: z.literal(true) })),
  },
  {
    method: 'get',
    path: '/smoke/{id}',
    tag: 'System',
    operationId: 'getSmoke',
    summary: 'Read a smoke process',
    roles: readers,
    params: smokeParams,
    ok: ok('The smoke run with its workflow status.'),
  },
];

/** Every mutating API route takes an Idempotency-Key (api/idempotency.ts): a retry with the same key gets the first answer. */
export const routes: readonly ApiRoute[] = table.map((r) =>
  r.method === 'post' && r.roles && !r.headers ? { ...r, headers: idempotencyHeaders } : r,
);

/** Routes the app serves that are not API operations: files a page loads. */
export const undocumentedRoutes: readonly string[] = ['GET /dashboard/assets/chart.umd.min.js', 'GET /dashboard/assets/dashboard.js'];

/** The zod schemas of one operation, the very ones its router validates with. */
export interface OperationSchemas {
  path?: z.ZodObject;
  query?: z.ZodObject;
  header?: z.ZodObject;
  body?: z.ZodType;
}

/** `POST /orders/{id}/payments` -> its schemas (tests parse the document's examples with them). */
export const operationSchemas: Readonly<Record<string, OperationSchemas>> = Object.fromEntries(
  routes.map((r) => [`${r.method.toUpperCase()} ${r.path}`, { path: r.params, query: r.query, header: r.headers, body: r.body }]),
);

const rolesText = (roles: readonly Role[]): string =>
  roles === readers ? `**Roles:** any role (admin, ${readers.join(', ')}).` : `**Roles:** ${['admin', ...roles].join(', ')}.`;

function operation(r: ApiRoute): ZodOpenApiOperationObject {
  const validates = Boolean(r.params || r.query || r.headers || r.body);
  const generated: { [status: Status]: ZodOpenApiResponseObject } = {
    ...(validates ? { '400': badRequest } : {}),
    ...(r.roles ? { '401': unauthorized, '403': forbidden } : {}),
    ...(r.params ? { '404': notFound } : {}),
    ...(r.conflict ? { '409': problem(r.conflict) } : {}),
  };
  const access = r.roles ? rolesText(r.roles) : 'No API key needed.';
  return {
    tags: [r.tag],
    operationId: r.operationId,
    summary: r.summary,
    description: [r.description, access].filter(Boolean).join('\n\n'),
    security: r.roles ? [{ apiKey: [] }] : [],
    ...(validates && {
      requestParams: { ...(r.params && { path: r.params }), ...(r.query && { query: r.query }), ...(r.headers && { header: r.headers }) },
    }),
    ...(r.body
      ? {
          requestBody: {
            required: true,
            content: { [r.form ? 'application/x-www-form-urlencoded' : 'application/json']: { schema: r.body } },
          },
        }
      : {}),
    responses: { [r.ok[0]]: r.ok[1], ...(r.problems === false ? {} : generated), ...r.responses },
  };
}

/** The OpenAPI 3.1 document of the whole API. */
export function buildOpenApiDocument(): oas31.OpenAPIObject {
  const paths: ZodOpenApiPathsObject = {};
  for (const r of routes) paths[r.path] = { ...paths[r.path], [r.method]: operation(r) };
  return createDocument(
    {
      openapi: '3.1.0',
      info: {
        title: 'Service back office API',
        version: '0.1.0',
        description: [
          'Thin HTTP API over durable Temporal processes and the business record.',
          'Send an API key as `Authorization: Bearer <key>` (create one with `npm run apikey -- --role finance --name "Accounting"`); ' +
            'each key has a role, and each operation lists the roles it allows (`admin` always passes).',
          'Amounts are integer euro cents; VAT rates are basis points (2000 = 20 %). Lists paginate with `?limit=&cursor=`. ' +
            'Errors are RFC 9457 problem details (`application/problem+json`); more than the rate limit per minute answers 429.',
        ].join('\n\n'),
        license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' },
      },
      tags,
      paths,
      components: {
        securitySchemes: {
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API key of the back office (`bo_...`), stored hashed; it carries a role.',
          },
        },
        schemas: {
          ProblemDetails,
          Page,
          Health,
          CreateCustomer: createCustomerBody,
          CreateProduct: createProductBody,
          StockReceipt: stockReceiptBody,
          CreateOrder: createOrderBody,
          Shipment: shipmentBody,
          Payment: paymentBody,
          CancelOrder: cancelOrderBody,
          BackorderDecision: backorderBody,
          CreateSite: createSiteBody,
          CreateIntervention: createInterventionBody,
          TechnicianAction: technicianBody,
          DeclineIntervention: declineBody,
          CheckIn: checkInBody,
          FieldReport: reportBody,
          PartsRequest: partsRequestBody,
          CompleteIntervention: completeBody,
          AssignIntervention: assignBody,
          CancelIntervention: cancelJobBody,
          BillingRun: billingRunBody,
          CreateTechnician: createTechnicianBody,
          CreateSupplier: createSupplierBody,
          RegisterEquipment: registerEquipmentBody,
          CreateWarrantyClaim: createClaimBody,
          InspectionReport: inspectionReportBody,
          WarrantyDecision: claimDecisionBody,
          SupplierAnswer: supplierAnswerBody,
          ApprovalDecision: approvalDecisionForm,
          StartSmoke: startSmokeBody,
          ConfirmSmoke: confirmSmokeBody,
        },
      },
    },
    {
      // z.number().int() means a safe integer: say nothing rather than print ±9007199254740991 everywhere.
      override: ({ jsonSchema }) => {
        if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
        if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
      },
    },
  );
}
