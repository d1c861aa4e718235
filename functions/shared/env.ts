/** Required configuration is read once at module load and fails fast with the variable's name. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing required environment variable ${name}`);
  return value;
}

export function numberEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`Environment variable ${name} is not a number: ${raw}`);
  return value;
}

/** Environment variable names shared by the CDK constructs and the handlers. */
export const ENV = {
  accountsTable: 'ACCOUNTS_TABLE_NAME',
  casesTable: 'CASES_TABLE_NAME',
  messagesTable: 'MESSAGES_TABLE_NAME',
  refundLedgerTable: 'REFUND_LEDGER_TABLE_NAME',
  refundBudgetsTable: 'REFUND_BUDGETS_TABLE_NAME',
  callbackTopicArn: 'CALLBACK_TOPIC_ARN',
  stateMachineArn: 'STATE_MACHINE_ARN',
  maxMessageLength: 'MAX_MESSAGE_LENGTH',
  goodwillCapMinor: 'GOODWILL_CAP_MINOR',
  dualApprovalThresholdMinor: 'DUAL_APPROVAL_THRESHOLD_MINOR',
  classifierBackend: 'CLASSIFIER_BACKEND',
  bedrockModelId: 'BEDROCK_MODEL_ID',
  sweeperGracePeriodSeconds: 'SWEEPER_GRACE_PERIOD_SECONDS',
  creditsTable: 'CREDITS_TABLE_NAME',
  integrationEventsTable: 'INTEGRATION_EVENTS_TABLE_NAME',
  paymentProvider: 'PAYMENT_PROVIDER',
  /** On AWS: the Secrets Manager ARNs; the values themselves never sit in the environment. */
  stripeSecretKeyArn: 'STRIPE_SECRET_KEY_ARN',
  stripeWebhookSecretArn: 'STRIPE_WEBHOOK_SECRET_ARN',
  /** Seconds a webhook signature's timestamp may be old (default 300, as Stripe's SDK). */
  stripeWebhookToleranceSeconds: 'STRIPE_WEBHOOK_TOLERANCE_SECONDS',
  /** Returns (POLICY v2 "Returns"): the table, the second state machine, the carrier and the policy numbers. */
  returnsTable: 'RETURNS_TABLE_NAME',
  returnsStateMachineArn: 'RETURNS_STATE_MACHINE_ARN',
  returnWindowDays: 'RETURN_WINDOW_DAYS',
  labelLifeDays: 'LABEL_LIFE_DAYS',
  maxReturnsPer90Days: 'MAX_RETURNS_PER_90_DAYS',
  /** The per-currency high-value thresholds as JSON (`{"USD":50000}`), for decisions made outside a Choice state. */
  highValueThresholds: 'HIGH_VALUE_THRESHOLDS',
  carrier: 'CARRIER',
  carrierWebhookSecretArn: 'CARRIER_WEBHOOK_SECRET_ARN',
  carrierWebhookToleranceSeconds: 'CARRIER_WEBHOOK_TOLERANCE_SECONDS',
  /** Locally only: the carrier webhook's shared secret itself. */
  carrierWebhookSecret: 'CARRIER_WEBHOOK_SECRET',
  /** Locally only (the embedded runtime and tests): the values, and the emulator's URL. */
  stripeSecretKey: 'STRIPE_SECRET_KEY',
  stripeWebhookSecret: 'STRIPE_WEBHOOK_SECRET',
  stripeApiBase: 'STRIPE_API_BASE',
  /** On AWS: the web app's origin (https://<distribution>), allowed to read the answers from a browser (CORS). */
  webOrigin: 'WEB_ORIGIN',
} as const;
