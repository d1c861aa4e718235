import type { Node } from 'constructs';
import { z } from 'zod';

/**
 * Operator configuration: every number the policy talks about, with its default.
 * Operators set these as CDK context (`cdk.json`, or `cdk deploy -c refundHub:<key>=<value>`).
 */
export const refundHubConfigSchema = z
  .object({
    /** Refundable totals and order values strictly above this are "high value" (minor units). @default 50000 ($500.00) */
    highValueThresholdMinor: z.coerce.number().int().nonnegative().default(50_000),
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
    /** How often the sweeper runs (EventBridge Scheduler; locally, the interval after the start-up sweep). @default 5 */
    sweeperScheduleMinutes: z.coerce.number().int().min(1).max(1_440).default(5),
  })
  .refine((c) => c.sweeperGracePeriodSeconds > c.lambdaTimeoutSeconds, {
    path: ['sweeperGracePeriodSeconds'],
    message: 'must be longer than lambdaTimeoutSeconds (intake may still be starting the case until then)',
  });

export type RefundHubConfig = Readonly<z.infer<typeof refundHubConfigSchema>>;

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
  return parsed.data;
}
