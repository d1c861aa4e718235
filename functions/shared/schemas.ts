/** zod schemas of the domain entities (POLICY.md "Data"), shared by handlers, seeding and replay. */
import * as z from 'zod';
import { isCardNumber } from './card-number.js';
import { ORDER_STATUSES } from './types.js';

export const instant = z.iso.datetime({ offset: true });
export const minorUnits = z.number().int().nonnegative();
export const currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'an ISO 4217 code like USD')
  .transform((code) => code.toUpperCase());
/** A phone number field holds a phone number: an E.164 number that is also a card number is refused. */
export const e164 = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, 'an E.164 phone number like +12065550100')
  .refine(
    (phone) => !isCardNumber(phone.slice(1)),
    'this is a payment card number, not a phone number; send the number to call, or leave it out to use the one on your profile',
  );

export const subscriptionSchema = z.object({
  id: z.string().min(1),
  plan: z.string(),
  status: z.enum(['active', 'cancelled']),
  cancelledAt: instant.optional(),
  cancellationEffectiveAt: instant.optional(),
});

export const chargeSchema = z
  .object({
    id: z.string().min(1),
    subscriptionId: z.string().min(1).optional(),
    orderId: z.string().min(1).optional(),
    amount: minorUnits,
    currency,
    chargedAt: instant,
    billingPeriodStart: instant.optional(),
    refundedAmount: minorUnits.optional(),
    paymentIntentId: z.string().min(1).optional(),
  })
  .refine((c) => (c.refundedAmount ?? 0) <= c.amount, 'refundedAmount cannot exceed amount');

/** An order line (POLICY v2 Data); `unitPrice` in the order's currency. */
export const orderItemSchema = z.object({
  sku: z.string().min(1),
  name: z.string(),
  quantity: z.number().int().min(1),
  unitPrice: minorUnits,
  finalSale: z.boolean().optional(),
});

export const orderSchema = z.object({
  id: z.string().min(1),
  total: minorUnits,
  currency,
  status: z.enum(ORDER_STATUSES),
  placedAt: instant,
  promisedBy: instant.optional(),
  deliveredAt: instant.optional(),
  carrier: z.string().optional(),
  trackingId: z.string().optional(),
  items: z.array(orderItemSchema).optional(),
});
