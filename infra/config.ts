import { z } from 'zod';

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  DATABASE_URL: z.string().url().default('postgresql://postgres@127.0.0.1:5432/backoffice'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),

  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('backoffice'),
  TEMPORAL_TLS_CERT_PATH: z.string().optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().optional(),
  TEMPORAL_API_KEY: z.string().optional(),

  SMTP_URL: z.string().default('smtp://127.0.0.1:1025'),
  MAIL_FROM: z.string().default('Back office <facturation@backoffice.local>'),

  API_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Base URL written into emailed links (approval pages, documents). */
  PUBLIC_URL: z.string().url().default('http://localhost:3000'),
  /** Secret that signs approval links; set a long random value in production. */
  APPROVAL_SECRET: z.string().min(16).default('dev-only-approval-secret-change-me'),
  API_BODY_LIMIT: z.string().default('100kb'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),

  /** Seller identity printed on every invoice (French mandatory mentions). */
  SELLER_NAME: z.string().default('Back Office Services SAS'),
  SELLER_ADDRESS: z.string().default('10 rue de la Paix, 75002 Paris, France'),
  SELLER_SIREN: z.string().default('123456789'),
  SELLER_SIRET: z.string().default('12345678900012'),
  SELLER_VAT: z.string().default('FR32123456789'),
  SELLER_IBAN: z.string().default('FR76 3000 6000 0112 3456 7890 189'),
  CREDIT_CONTROLLER_EMAIL: z.string().email().default('credit@backoffice.local'),
  /** Length of one business "day" for process timers; tests shorten it to run months in seconds. */
  DAY_MS: z.coerce.number().int().min(1).default(86_400_000),
  /** Order to cash: credit approval reminder and timeout (ms), and what a timeout decides. */
  CREDIT_APPROVAL_REMINDER_MS: z.coerce.number().int().min(1).default(86_400_000),
  CREDIT_APPROVAL_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1)
    .default(3 * 86_400_000),
  CREDIT_APPROVAL_ON_TIMEOUT: z.enum(['approved', 'rejected']).default('rejected'),
  /** How long an order waits for stock before it is cancelled (ms). */
  STOCK_WAIT_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1)
    .default(14 * 86_400_000),
  /** Dunning ladder, days after due date: `7:reminder,15:reminder,30:formal_notice,45:collection`. */
  DUNNING_LADDER: z
    .string()
    .regex(/^\d+:(reminder|formal_notice|collection)(,\d+:(reminder|formal_notice|collection))*$/, 'days:kind,days:kind,...')
    .default('7:reminder,15:reminder,30:formal_notice,45:collection'),
  /** Intervention dispatch: who is told when nobody fits, an SLA is missed or parts are needed. */
  DISPATCHER_EMAIL: z.string().email().default('dispatch@backoffice.local'),
  /** Response time by priority in hours (a day is DAY_MS): `critical:4,high:8,normal:24,low:72`. */
  SLA_HOURS: z
    .string()
    .regex(/^critical:\d+,high:\d+,normal:\d+,low:\d+$/, 'critical:H,high:H,normal:H,low:H')
    .default('critical:4,high:8,normal:24,low:72'),
  ASSIGNMENT_HORIZON_DAYS: z.coerce.number().int().min(1).max(90).default(14),
  /** What a charged field job costs the customer (HT) and its VAT rate. */
  LABOUR_RATE_CENTS_PER_HOUR: z.coerce.number().int().min(0).default(7500),
  TRAVEL_FLAT_CENTS: z.coerce.number().int().min(0).default(4500),
  SERVICE_VAT_BP: z.coerce.number().int().min(0).max(10_000).default(2000),
  /** Service contracts: the renewal proposal starts this many days before the refusal deadline (loi Chatel: tell consumers 90 to 30 days before it). */
  RENEWAL_LEAD_DAYS: z.coerce.number().int().min(1).max(365).default(75),
  /** Days the account manager has to approve a renewal proposal (reminded halfway; no answer approves the contract's rule). */
  RENEWAL_APPROVAL_DAYS: z.coerce.number().int().min(1).max(90).default(14),
  /** A contract process continues as new past this many history events (and at every term). */
  CONTRACT_MAX_HISTORY_EVENTS: z.coerce.number().int().min(100).max(40_000).default(5000),
  /** Billing runs: who approves them, page and batch sizes, invoice emails per minute, approval reminder and timeout (days). */
  BILLING_MANAGER_EMAIL: z.string().email().default('billing@backoffice.local'),
  BILLING_PAGE_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
  BILLING_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(50),
  BILLING_EMAILS_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  BILLING_APPROVAL_REMINDER_DAYS: z.coerce.number().int().min(1).default(2),
  BILLING_APPROVAL_TIMEOUT_DAYS: z.coerce.number().int().min(1).default(10),
  /** Warranty claims: who decides and approves, above what cost borne an approval is needed, and each party's days. */
  WARRANTY_MANAGER_EMAIL: z.string().email().default('sav@backoffice.local'),
  WARRANTY_APPROVAL_THRESHOLD_CENTS: z.coerce.number().int().min(0).default(50_000),
  WARRANTY_DECISION_DAYS: z.coerce.number().min(0).max(30).default(1),
  WARRANTY_APPROVAL_DAYS: z.coerce.number().min(0.001).max(90).default(3),
  WARRANTY_QUOTE_DAYS: z.coerce.number().min(0.001).max(90).default(15),
  /** Manufacturer warranty of equipment whose model says none (24 months: the legal guarantee of conformity). */
  WARRANTY_DEFAULT_MONTHS: z.coerce.number().int().min(0).max(240).default(24),
  /** Months added to the warranty that covered a repair (Code de la consommation L217-13: six). */
  WARRANTY_REPAIR_EXTENSION_MONTHS: z.coerce.number().int().min(0).max(60).default(6),
  /** Supplier claims: reminder every N days, at most M reminders, then the claim waits without limit. */
  SUPPLIER_CLAIM_REMINDER_DAYS: z.coerce.number().min(0.001).max(365).default(15),
  SUPPLIER_CLAIM_REMINDERS: z.coerce.number().int().min(0).max(20).default(3),
  /** What a supplier's refusal does when the customer's contract does not say: absorb the cost or re-invoice the customer. */
  SUPPLIER_REJECTION_DEFAULT: z.enum(['absorb', 'reinvoice']).default('absorb'),
  WORKER_SHUTDOWN_FORCE_MS: z.coerce.number().int().min(0).default(30_000),
  /** The worker's /metrics (business counters and the Temporal SDK's), and the SDK exporter's local port it reads. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(1).max(65535).default(9464),
  SDK_METRICS_PORT: z.coerce.number().int().min(1).max(65535).default(9465),
});

const DEV_APPROVAL_SECRET = 'dev-only-approval-secret-change-me';

export type Config = z.infer<typeof schema>;

/** Parses the environment once; throws a readable error naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (parsed.success && parsed.data.NODE_ENV === 'production' && parsed.data.APPROVAL_SECRET === DEV_APPROVAL_SECRET) {
    throw new Error('Invalid configuration: APPROVAL_SECRET: set a long random secret in production (the default is public)');
  }
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return parsed.data;
}

/** Every variable the config module reads, for .env.example and docker-compose checks. */
export const configKeys = Object.keys(schema.shape) as (keyof Config)[];
