/**
 * Domain types every step shares (POLICY.md "Data" and "Intents").
 * Plain data only: no AWS SDK types here.
 */

/** Integer minor units of an ISO 4217 currency (1499 is $14.99). */
export type MinorUnits = number;

/** ISO-8601 instant with an offset, e.g. `2026-02-14T23:30:00-08:00`. */
export type IsoInstant = string;

export const INTENTS = [
  'billing_refund',
  'order_tracking',
  'return_request',
  'account_security',
  'human_agent',
  'cancellation',
  'product_question',
  'other',
] as const;
export type Intent = (typeof INTENTS)[number];

export interface Classification {
  readonly intent: Intent;
  /** 0..1 */
  readonly confidence: number;
  readonly frustrated: boolean;
  readonly urgent: boolean;
  readonly humanRequested: boolean;
  /** The model's top 3 intents with their probabilities, best first (the account step reads them). */
  readonly alternatives?: readonly { readonly intent: Intent; readonly confidence: number }[];
}

export interface Subscription {
  readonly id: string;
  readonly plan: string;
  readonly status: 'active' | 'cancelled';
  readonly cancelledAt?: IsoInstant;
  readonly cancellationEffectiveAt?: IsoInstant;
}

export interface Charge {
  readonly id: string;
  readonly subscriptionId?: string;
  readonly orderId?: string;
  readonly amount: MinorUnits;
  readonly currency: string;
  readonly chargedAt: IsoInstant;
  readonly billingPeriodStart?: IsoInstant;
  readonly refundedAmount?: MinorUnits;
  /** The provider's payment intent (Stripe `pi_…`): a refund is made on it when present, else on the charge. */
  readonly name?: string;
  readonly email?: string;
  readonly paymentIntentId?: string;
}

export const ORDER_STATUSES = ['processing', 'shipped', 'out_for_delivery', 'delivered', 'lost'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface Order {
  readonly id: string;
  readonly total: MinorUnits;
  readonly currency: string;
  readonly status: OrderStatus;
  readonly placedAt: IsoInstant;
  readonly promisedBy?: IsoInstant;
  readonly deliveredAt?: IsoInstant;
  readonly carrier?: string;
  readonly trackingId?: string;
  readonly items?: readonly OrderItem[];
}

/** One line of an order (POLICY.md v2 "Data"); `unitPrice` is in the order's currency. */
export interface OrderItem {
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
  readonly unitPrice: MinorUnits;
  /** A final-sale item cannot be returned. */
  readonly finalSale?: boolean;
}

export interface CustomerProfile {
  readonly id: string;
  /** E.164, when the customer has one on file. */
  readonly phone?: string;
  /** The customer at Stripe (`cus_…`), for goodwill credits; else found by `metadata.refundHubCustomerId`. */
  readonly stripeCustomerId?: string;
  readonly name?: string;
  readonly email?: string;
  /** When the customer became one (POLICY rule 6's new-customer setting); else the account's earliest history counts. */
  readonly customerSince?: IsoInstant;
}

export const QUEUES = ['billing', 'delivery', 'security', 'general'] as const;
export type TeamQueue = (typeof QUEUES)[number];

export const PRIORITIES = ['normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export type Outcome = 'auto_refunded' | 'no_refund_due' | 'human_handoff' | 'self_service';
