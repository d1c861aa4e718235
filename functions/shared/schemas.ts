/** zod schemas of the domain entities (POLICY.md "Data"), shared by handlers, seeding and replay. */
import { isCardNumber } from './card-number.js';
import { ORDER_STATUSES } from './types.js';
import * as z from './zod.js';

export const instant = z.iso.datetime({ offset: true });
export const minorUnits = z.int().check(z.nonnegative());
export const currency = z.pipe(
  z.string().check(z.regex(/^[A-Za-z]{3}$/, 'an ISO 4217 code like USD')),
  z.transform((code: string) => code.toUpperCase()),
);
/** A phone number field holds a phone number: an E.164 number that is also a card number is refused. */
export const e164 = z.string().check(
  z.regex(/^\+[1-9]\d{6,14}$/, 'an E.164 phone number like +12065550100'),
  z.refine(
    (phone: string) => !isCardNumber(phone.slice(1)),
    'this is a payment card number, not a phone number; send the number to call, or leave it out to use the one on your profile',
  ),
);

export const subscriptionSchema = z.object({
  id: z.string().check(z.minLength(1)),
  plan: z.string(),
  status: z.enum(['active', 'cancelled']),
  cancelledAt: z.optional(instant),
  cancellationEffectiveAt: z.optional(instant),
});

export const chargeSchema = z
  .object({
    id: z.string().check(z.minLength(1)),
    subscriptionId: z.optional(z.string().check(z.minLength(1))),
    orderId: z.optional(z.string().check(z.minLength(1))),
    amount: minorUnits,
    currency,
    chargedAt: instant,
    billingPeriodStart: z.optional(instant),
    refundedAmount: z.optional(minorUnits),
    paymentIntentId: z.optional(z.string().check(z.minLength(1))),
  })
  .check(z.refine((c) => (c.refundedAmount ?? 0) <= c.amount, 'refundedAmount cannot exceed amount'));

/** An order line (POLICY v2 Data); `unitPrice` in the order's currency. */
export const orderItemSchema = z.object({
  sku: z.string().check(z.minLength(1)),
  name: z.string(),
  quantity: z.int().check(z.gte(1)),
  unitPrice: minorUnits,
  finalSale: z.optional(z.boolean()),
});

export const orderSchema = z.object({
  id: z.string().check(z.minLength(1)),
  total: minorUnits,
  currency,
  status: z.enum(ORDER_STATUSES),
  placedAt: instant,
  promisedBy: z.optional(instant),
  deliveredAt: z.optional(instant),
  carrier: z.optional(z.string()),
  trackingId: z.optional(z.string()),
  items: z.optional(z.array(orderItemSchema)),
});
