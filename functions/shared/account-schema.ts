/**
 * Account data as an operator's systems send it (POLICY.md v2 "Data"): the profile, subscriptions,
 * charges and orders of one customer, checked field by field so a 400 can name the field
 * (`charges[2].chargedAt: must be an ISO-8601 instant with an offset`). Every object is strict: a
 * misspelt field (`refundedAmmount`) is refused, never silently dropped.
 */
import { e164 } from './schemas.js';
import { ORDER_STATUSES } from './types.js';
import * as z from './zod.js';

/** At most this many entities (profile, subscriptions, charges and orders together) in one request. */
export const MAX_ENTITIES_PER_REQUEST = 1000;

const ISO_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** One error function for a field: "is required" when it is missing, else what it must be. */
const must = (what: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`),
});

const id = (what = 'a non-empty string of at most 256 characters') =>
  z.string(must(what)).check(z.minLength(1, must(what)), z.maxLength(256, must(what)));
const text = (what: string) =>
  z.string(must(what)).check(z.minLength(1, must(what)), z.maxLength(1000, must(what)));

const INSTANT = 'an ISO-8601 instant with an offset, e.g. 2026-02-14T23:30:00-08:00 or 2026-02-15T07:30:00Z';
export const accountInstant = z.iso
  .datetime({ offset: true, ...must(INSTANT) })
  .check(z.refine((value: string) => !Number.isNaN(Date.parse(value)), `must be ${INSTANT}`));

const MONEY = 'a non-negative whole number of minor units (1499 is 14.99)';
export const accountMoney = z.int(must(MONEY)).check(z.nonnegative(must(MONEY)));

const CURRENCY = 'an ISO 4217 currency code such as USD';
/** Any case is accepted (Stripe sends `usd`), stored uppercase: amounts are compared within one code. */
export const accountCurrency = z.pipe(
  z
    .string(must(CURRENCY))
    .check(
      z.refine(
        (code: string) => ISO_CURRENCIES.has(code.toUpperCase()) && /^[A-Za-z]{3}$/.test(code),
        `must be ${CURRENCY}`,
      ),
    ),
  z.transform((code: string) => code.toUpperCase()),
);

const oneOf = (values: readonly string[]) => must(`one of ${values.join(', ')}`);

export const profileSchema = z.strictObject(
  {
    id: id(),
    phone: z.optional(e164),
    name: z.optional(text('a non-empty string of at most 1000 characters')),
    email: z.optional(z.email(must('an email address')).check(z.maxLength(320, must('an email address')))),
    stripeCustomerId: z.optional(
      z
        .string(must('a Stripe customer id (cus_…)'))
        .check(z.regex(/^cus_[A-Za-z0-9]+$/, must('a Stripe customer id (cus_…)'))),
    ),
    /** When the customer became one: rule 6's `approvalForCustomersNewerThanDays` counts tenure from it. */
    customerSince: z.optional(accountInstant),
  },
  must('an object { id, phone?, name?, email?, stripeCustomerId?, customerSince? }'),
);

const SUBSCRIPTION_STATUSES = ['active', 'cancelled'] as const;
export const subscriptionSchema = z
  .strictObject(
    {
      id: id(),
      plan: text('the plan name, a non-empty string'),
      status: z.enum(SUBSCRIPTION_STATUSES, oneOf(SUBSCRIPTION_STATUSES)),
      cancelledAt: z.optional(accountInstant),
      cancellationEffectiveAt: z.optional(accountInstant),
    },
    must('a subscription object'),
  )
  .check(
    z.superRefine((s, ctx) => {
      // An active subscription may carry a scheduled cancellation (Stripe's cancel_at); a cancelled one must say when.
      if (s.status === 'cancelled' && !s.cancelledAt && !s.cancellationEffectiveAt)
        ctx.addIssue({
          code: 'custom',
          path: ['cancelledAt'],
          message: 'is required on a cancelled subscription (or cancellationEffectiveAt)',
        });
    }),
  );

export const chargeSchema = z
  .strictObject(
    {
      id: id(),
      subscriptionId: z.optional(id()),
      orderId: z.optional(id()),
      amount: accountMoney,
      currency: accountCurrency,
      chargedAt: accountInstant,
      billingPeriodStart: z.optional(accountInstant),
      refundedAmount: z.optional(accountMoney),
      paymentIntentId: z.optional(
        z
          .string(must('a Stripe payment intent id (pi_…)'))
          .check(z.regex(/^pi_[A-Za-z0-9]+$/, must('a Stripe payment intent id (pi_…)'))),
      ),
    },
    must('a charge object'),
  )
  .check(
    z.superRefine((c, ctx) => {
      if ((c.refundedAmount ?? 0) > c.amount)
        ctx.addIssue({
          code: 'custom',
          path: ['refundedAmount'],
          message: `cannot exceed amount (${c.amount})`,
        });
    }),
  );

export const orderItemSchema = z.strictObject(
  {
    sku: id(),
    name: text('the item name, a non-empty string'),
    quantity: z
      .int(must('a whole number of at least 1'))
      .check(z.gte(1, must('a whole number of at least 1'))),
    unitPrice: accountMoney,
    finalSale: z.optional(z.boolean(must('true or false'))),
  },
  must('an item object { sku, name, quantity, unitPrice, finalSale? }'),
);

export const orderSchema = z
  .strictObject(
    {
      id: id(),
      total: accountMoney,
      currency: accountCurrency,
      status: z.enum(ORDER_STATUSES, oneOf(ORDER_STATUSES)),
      placedAt: accountInstant,
      promisedBy: z.optional(accountInstant),
      deliveredAt: z.optional(accountInstant),
      carrier: z.optional(text('the carrier name, a non-empty string')),
      trackingId: z.optional(text('the tracking id, a non-empty string')),
      items: z.optional(
        z
          .array(orderItemSchema, must('an array of items'))
          .check(z.maxLength(1000, must('at most 1000 items'))),
      ),
    },
    must('an order object'),
  )
  .check(
    z.superRefine((o, ctx) => {
      // The return window counts from deliveredAt: a delivered order needs it, and only a delivered order has it.
      if (o.status === 'delivered' && !o.deliveredAt)
        ctx.addIssue({ code: 'custom', path: ['deliveredAt'], message: 'is required on a delivered order' });
      if (o.status !== 'delivered' && o.deliveredAt)
        ctx.addIssue({
          code: 'custom',
          path: ['deliveredAt'],
          message: `is only for a delivered order (this one is ${o.status})`,
        });
      // Returns name items by sku: two lines with one sku would make a return ambiguous.
      duplicates((o.items ?? []).map((item) => item.sku)).forEach((index) => {
        ctx.addIssue({
          code: 'custom',
          path: ['items', index, 'sku'],
          message: 'appears twice in this order',
        });
      });
    }),
  );

const list = <T extends z.ZodMiniType>(schema: T, what: string) =>
  z.optional(
    z
      .array(schema, must(`an array of ${what}`))
      .check(z.maxLength(MAX_ENTITIES_PER_REQUEST, must(`at most ${MAX_ENTITIES_PER_REQUEST} ${what}`))),
  );

/** The body of `PUT /v1/admin/customers/{customerId}/account`. */
export const accountRequestSchema = z
  .strictObject(
    {
      profile: z.optional(profileSchema),
      subscriptions: list(subscriptionSchema, 'subscriptions'),
      charges: list(chargeSchema, 'charges'),
      orders: list(orderSchema, 'orders'),
    },
    must('a JSON object { profile?, subscriptions?, charges?, orders? }'),
  )
  .check(
    z.superRefine((body, ctx) => {
      const count =
        (body.profile ? 1 : 0) +
        (body.subscriptions?.length ?? 0) +
        (body.charges?.length ?? 0) +
        (body.orders?.length ?? 0);
      if (count > MAX_ENTITIES_PER_REQUEST)
        ctx.addIssue({
          code: 'custom',
          path: [],
          message: `${count} entities in one request; send at most ${MAX_ENTITIES_PER_REQUEST} (split the account over several PUTs)`,
        });
      for (const kind of ['subscriptions', 'charges', 'orders'] as const) {
        const entities = body[kind] ?? [];
        for (const index of duplicates(entities.map((e) => e.id)))
          ctx.addIssue({
            code: 'custom',
            path: [kind, index, 'id'],
            message: `${entities[index]?.id} appears more than once in ${kind}`,
          });
      }
    }),
  );

export type AccountRequest = z.output<typeof accountRequestSchema>;

/** The indexes of values that already appeared earlier in the list. */
function duplicates(values: readonly string[]): number[] {
  const seen = new Set<string>();
  const repeated: number[] = [];
  values.forEach((value, index) => {
    if (seen.has(value)) repeated.push(index);
    seen.add(value);
  });
  return repeated;
}

export interface FieldIssue {
  /** `charges[2].chargedAt`; empty for the request as a whole. */
  readonly path: string;
  readonly message: string;
}

/** `['charges', 2, 'chargedAt']` → `charges[2].chargedAt`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    '',
  );
}

interface ZodIssueLike {
  readonly code?: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly keys?: readonly string[];
}

/** zod's issues as field paths; an unknown field is named itself (`charges[0].refundedAmmount`). */
export function fieldIssues(issues: readonly ZodIssueLike[]): FieldIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys' && issue.keys)
      return issue.keys.map((key) => ({
        path: fieldPath([...issue.path, key]),
        message: 'is not a known field',
      }));
    // e164 and others from schemas.ts say what the value is ("an E.164 phone number ..."): read "must be ...".
    const message = /^an? /.test(issue.message) ? `must be ${issue.message}` : issue.message;
    return [{ path: fieldPath(issue.path), message }];
  });
}

/** `path: message` (or the message alone for the whole request). */
export function describeIssue(issue: FieldIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

export type AccountParse =
  | { readonly ok: true; readonly value: AccountRequest }
  | { readonly ok: false; readonly issues: FieldIssue[] };

/** Checks a request body for one customer: the schema, then that `profile.id` (if given) is the path's id. */
export function parseAccountRequest(customerId: string, body: unknown): AccountParse {
  const parsed = accountRequestSchema.safeParse(body);
  if (!parsed.success) return { ok: false, issues: fieldIssues(parsed.error.issues) };
  if (parsed.data.profile && parsed.data.profile.id !== customerId)
    return {
      ok: false,
      issues: [{ path: 'profile.id', message: `must be the customer id of the path (${customerId})` }],
    };
  return { ok: true, value: parsed.data };
}
