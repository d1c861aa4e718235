import type { Node } from 'constructs';
import * as z from 'zod';

/**
 * Operator configuration: every number the policy talks about, with its default.
 * Operators set these as CDK context (`cdk.json`, or `cdk deploy -c refundHub:<key>=<value>`).
 */
/** The currencies POLICY.md gives a default high-value threshold, and that threshold (minor units: 500.00). */
export const DEFAULT_HIGH_VALUE_THRESHOLDS: Readonly<Record<string, number>> = {
  USD: 50_000,
  EUR: 50_000,
  GBP: 50_000,
  CAD: 50_000,
  AUD: 50_000,
};

const ISO_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code such as "EUR"')
  .refine((code) => ISO_CURRENCIES.has(code), 'an ISO 4217 currency code such as "EUR"');
const powertoolsSource = z.union([
  z.enum(['layer', 'bundle']),
  z
    .string()
    .regex(
      /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:layer:[A-Za-z0-9_-]+:\d+$/,
      'layer, bundle or a Lambda layer version ARN',
    ),
]);
export type PowertoolsSource = z.infer<typeof powertoolsSource>;

/** `refundHub:powertools` alone (read where each Lambda is bundled), validated as the whole configuration validates it. */
export function powertoolsFromContext(node: Node): PowertoolsSource {
  const value: unknown = node.tryGetContext(`${CONTEXT_PREFIX}powertools`);
  const parsed = powertoolsSource.default('layer').safeParse(value);
  if (!parsed.success)
    throw new Error(
      `Invalid Refund Hub configuration:\n  ${CONTEXT_PREFIX}powertools: ${parsed.error.issues[0]?.message}`,
    );
  return parsed.data;
}

/**
 * X-Ray for the Lambdas: `sdk` (Lambda's active tracing plus Powertools Tracer's subsegment for every AWS SDK call),
 * `lambda` (Lambda's active tracing only: one segment per invocation, the X-Ray SDK never loaded, a faster cold
 * start) or `off`.
 */
const tracingMode = z.enum(['sdk', 'lambda', 'off']);
export type TracingMode = z.infer<typeof tracingMode>;

/** `refundHub:tracing` alone (read where each Lambda is defined), validated as the whole configuration validates it. */
export function tracingFromContext(node: Node): TracingMode {
  const parsed = tracingMode.default('sdk').safeParse(node.tryGetContext(`${CONTEXT_PREFIX}tracing`));
  if (!parsed.success)
    throw new Error(
      `Invalid Refund Hub configuration:\n  ${CONTEXT_PREFIX}tracing: must be sdk, lambda or off`,
    );
  return parsed.data;
}

const minorUnitsThreshold = z.number().int('a whole number of minor units').nonnegative();

/** A complete Secrets Manager secret ARN (with the random 6-character suffix), so grants name exactly that secret. */
const secretArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/,
    'a complete Secrets Manager secret ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-AbCdEf)',
  );

/** `-c refundHub:highValueThresholds='{"EUR":50000}'` arrives as a string; cdk.json gives an object. */
function jsonIfString(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export const refundHubConfigSchema = z
  .object({
    /**
     * Per currency, refundable totals and order totals strictly above this are "high value" (minor units); a total
     * in a currency not listed counts as high value. Replaces the default map. @default 50000 for USD, EUR, GBP, CAD, AUD
     */
    highValueThresholds: z
      .preprocess(
        jsonIfString,
        z.record(currencyCode, minorUnitsThreshold, 'a JSON object of currency: minor units'),
      )
      .optional(),
    /**
     * POLICY rule 6: `auto` refunds clear billing errors at once; `approve` sends every refund the assistant would make to
     * a person as `approval_required`, with the proposed refund on the case. @default auto
     */
    autoRefundMode: z.enum(['auto', 'approve']).default('auto'),
    /**
     * POLICY rule 6 for new customers (issue #18): with `autoRefundMode: auto`, a refund for a customer whose tenure at the
     * case's instant is under this many days goes to a person as `approval_required`, like mode `approve`. Tenure counts
     * from the profile's `customerSince`, else the account's earliest charge, order or subscription instant; a customer
     * with neither counts as new. 0 is off. @default 0
     */
    approvalForCustomersNewerThanDays: z.coerce
      .number()
      .int('a whole number of days')
      .min(0)
      .max(36_500)
      .default(0),
    /** POLICY rule 7: a customer's automatic refunds allowed in the 30 days before a case (`refund_velocity`). @default 3 */
    maxAutoRefundsPer30Days: z.coerce.number().int().min(0).default(3),
    /**
     * POLICY rule 8: per currency, the automatic refunds of any 24 hours, all customers together (minor units;
     * `budget_exceeded` past it). Replaces the default map. @default 500000 for each currency with a high-value threshold
     */
    dailyAutoRefundBudgets: z
      .preprocess(
        jsonIfString,
        z.record(currencyCode, minorUnitsThreshold, 'a JSON object of currency: minor units'),
      )
      .optional(),
    /** USD shorthand: the USD threshold when `highValueThresholds` names no USD (which then wins). @default 50000 ($500.00) */
    highValueThresholdMinor: z.coerce.number().int().nonnegative().optional(),
    /** Classifications below this confidence count as intent `other`. @default 0.5 */
    confidenceThreshold: z.coerce.number().min(0).max(1).default(0.5),
    /** How long an agent has to pick up a callback before it is re-dispatched as urgent. @default 300 */
    callbackSlaSeconds: z.coerce.number().int().min(1).default(300),
    /** Longest an agent may work a claimed case (heartbeating) before it is escalated. @default 86400 (24 h) */
    resolutionTimeoutSeconds: z.coerce.number().int().min(1).default(86_400),
    /** How many times an unanswered callback is escalated before the case is marked needs_attention. @default 2 */
    maxEscalations: z.coerce.number().int().min(0).max(10).default(2),
    /** Cap on an agent's goodwill credit (minor units). @default 5000 ($50.00) */
    goodwillCapMinor: z.coerce.number().int().nonnegative().default(5_000),
    /** An agent's refund or credit over this (minor units, in the approval's currency) waits for a second agent. @default 100000 */
    dualApprovalThresholdMinor: z.coerce.number().int().nonnegative().default(100_000),
    /** Every Lambda's timeout; raise it on LocalStack, where a cold start runs a container. @default 10 */
    lambdaTimeoutSeconds: z.coerce.number().int().min(3).max(900).default(10),
    /** Longest customer message accepted by the API (characters). @default 2000 */
    maxMessageLength: z.coerce.number().int().min(20).max(20_000).default(2_000),
    /** `local` (the bundled model) or `bedrock` (Amazon Bedrock, falling back to the local model). @default local */
    classifier: z.enum(['local', 'bedrock']).default('local'),
    /** Bedrock model id used when `classifier` is `bedrock`. */
    bedrockModelId: z.string().default('anthropic.claude-3-haiku-20240307-v1:0'),
    /** Optional e-mail address that also receives every callback request and the alarms. */
    alertEmail: z.string().email().optional(),
    /** Optional E.164 number that receives every callback request by SMS (e.g. an on-call phone). */
    alertSms: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/, 'an E.164 phone number')
      .optional(),
    /**
     * How long a case may stay `received` (or `awaiting_agent`) without an update before the sweeper
     * checks its execution. Longer than intake can run, so it never races a request in flight. @default 600
     */
    sweeperGracePeriodSeconds: z.coerce.number().int().min(60).max(86_400).default(600),
    /**
     * Where refunds and goodwill credits become money: `ledger` (recorded in the ledger, paid out of band from
     * `npm run refunds:export`) or `stripe` (the Stripe API, secrets in Secrets Manager). @default ledger
     */
    paymentProvider: z.enum(['ledger', 'stripe']).default('ledger'),
    /**
     * An existing Secrets Manager secret holding the Stripe secret API key (its complete ARN, with the 6-character
     * suffix). @default a new, empty secret the operator puts the key into
     */
    stripeSecretKeyArn: secretArn.optional(),
    /** An existing secret holding the Stripe webhook signing secret (`whsec_…`). @default a new, empty secret */
    stripeWebhookSecretArn: secretArn.optional(),
    /** How old a Stripe webhook signature's timestamp may be (seconds; Stripe's own default). @default 300 */
    stripeWebhookToleranceSeconds: z.coerce.number().int().min(1).max(3_600).default(300),
    /** How often reconciliation compares the ledger with the provider (EventBridge Scheduler). @default 60 */
    reconcileScheduleMinutes: z.coerce.number().int().min(5).max(1_440).default(60),
    /** Days after `deliveredAt` a delivered order may be returned (POLICY "Returns"; the window's last instant counts). @default 30 */
    returnWindowDays: z.coerce.number().int().min(1).max(365).default(30),
    /** Days a prepaid return label lives; no carrier scan by then and the return is `expired`. @default 28 */
    labelLifeDays: z.coerce.number().int().min(1).max(365).default(28),
    /** A customer who started this many returns or more in the 90 days before gets `inspect_then_refund`. @default 5 */
    maxReturnsPer90Days: z.coerce.number().int().min(1).max(1_000).default(5),
    /** Days an agent has to inspect a return at the warehouse before it is handed to a supervisor. @default 7 */
    inspectionTimeoutDays: z.coerce.number().int().min(1).max(90).default(7),
    /** How often the sweeper runs (EventBridge Scheduler; locally, the interval after the start-up sweep). @default 5 */
    sweeperScheduleMinutes: z.coerce.number().int().min(1).max(1_440).default(5),
    /**
     * The Cognito hosted UI's domain prefix (`https://<prefix>.auth.<region>.amazoncognito.com`), unique in the region.
     * @default the stack name in lower case and the account id, e.g. `refundhub-123456789012`
     */
    cognitoDomainPrefix: z
      .string()
      .regex(
        /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
        'lower-case letters, digits and hyphens (1-63), not starting or ending with -',
      )
      .refine(
        (prefix) => !/aws|amazon|cognito/.test(prefix),
        'Cognito refuses a prefix containing aws, amazon or cognito',
      )
      .optional(),
    /**
     * Where the Lambdas get Powertools (logger, metrics, tracer) from: `layer` (AWS's public Powertools layer for the
     * installed version, found through its public SSM parameter, so each bundle ships without it), `bundle` (inside
     * each bundle: LocalStack Community, or a partition without the public layer), or a layer ARN of your own.
     * @default 'layer'
     */
    powertools: powertoolsSource.default('layer'),
    /** X-Ray for the Lambdas: `sdk` (with Powertools Tracer's SDK subsegments), `lambda` (invocations only) or `off`. @default 'sdk' */
    tracing: tracingMode.default('sdk'),
    /** Delete the web app's bucket and its files with the stack (for test stacks); otherwise the bucket is retained. @default false */
    webAutoDeleteObjects: z
      .preprocess((value) => (value === 'true' ? true : value === 'false' ? false : value), z.boolean())
      .default(false),
  })
  .refine((c) => c.sweeperGracePeriodSeconds > c.lambdaTimeoutSeconds, {
    path: ['sweeperGracePeriodSeconds'],
    message: 'must be longer than lambdaTimeoutSeconds (intake may still be starting the case until then)',
  });

type ConfigInput = z.infer<typeof refundHubConfigSchema>;

/** The configuration in force: the thresholds resolved into one map (currency → minor units). */
export type RefundHubConfig = Readonly<
  Omit<ConfigInput, 'highValueThresholds' | 'highValueThresholdMinor' | 'dailyAutoRefundBudgets'> & {
    readonly highValueThresholds: Readonly<Record<string, number>>;
    readonly dailyAutoRefundBudgets: Readonly<Record<string, number>>;
  }
>;

/**
 * `highValueThresholds` (else the defaults), with `highValueThresholdMinor` as the USD threshold unless the map
 * names USD itself. Keys are sorted so the synthesized definition does not depend on how the operator wrote them.
 */
export function resolveConfig(input: ConfigInput): RefundHubConfig {
  const { highValueThresholds, highValueThresholdMinor, dailyAutoRefundBudgets, ...rest } = input;
  const merged: Record<string, number> = { ...(highValueThresholds ?? DEFAULT_HIGH_VALUE_THRESHOLDS) };
  if (highValueThresholdMinor !== undefined && highValueThresholds?.USD === undefined) {
    merged.USD = highValueThresholdMinor;
  }
  const sorted = sortedByCurrency(merged);
  const budgets =
    dailyAutoRefundBudgets ??
    Object.fromEntries(Object.keys(sorted).map((currency) => [currency, DEFAULT_DAILY_AUTO_REFUND_BUDGET]));
  return { ...rest, highValueThresholds: sorted, dailyAutoRefundBudgets: sortedByCurrency(budgets) };
}

/** POLICY rule 8's default daily budget for each currency with a threshold (minor units: 5,000.00). */
export const DEFAULT_DAILY_AUTO_REFUND_BUDGET = 500_000;

function sortedByCurrency(map: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => a.localeCompare(b)));
}

/** Every default in force, e.g. for tests and tools that synthesize without CDK context. */
export function defaultConfig(): RefundHubConfig {
  return resolveConfig(refundHubConfigSchema.parse({}));
}

export const CONTEXT_PREFIX = 'refundHub:';

/** Reads `refundHub:*` context keys; unknown or invalid values fail the synth with a clear message. */
export function configFromContext(node: Node): RefundHubConfig {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(refundHubConfigSchema.shape)) {
    const value = node.tryGetContext(`${CONTEXT_PREFIX}${key}`);
    if (value !== undefined) raw[key] = value;
  }
  const parsed = refundHubConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${CONTEXT_PREFIX}${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid Refund Hub configuration:\n  ${problems.join('\n  ')}`);
  }
  return resolveConfig(parsed.data);
}
