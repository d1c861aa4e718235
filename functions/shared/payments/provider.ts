/**
 * The payment provider port: where a refund or a goodwill credit becomes money. One adapter per
 * system (`ledger.ts`: recorded for the operator to pay out of band; `stripe.ts`: the Stripe API).
 * Plain data in and out; an adapter throws `PaymentDeclined` for what will never succeed on retry,
 * and any other error for what may (the state machine's Retry calls again with the same key).
 */
import type { MinorUnits } from '../types.js';

export const PAYMENT_PROVIDERS = ['ledger', 'stripe'] as const;
export type PaymentProviderName = (typeof PAYMENT_PROVIDERS)[number];

/** A refund's life at the provider (Stripe's own statuses; `requires_action` counts as pending). */
export const REFUND_STATUSES = ['pending', 'succeeded', 'failed', 'canceled'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

export interface ProviderRefundRequest {
  /** From the ledger line: the same refund always sends the same key; a changed amount never reuses one. */
  readonly idempotencyKey: string;
  readonly caseId: string;
  readonly customerId: string;
  readonly chargeId: string;
  /** Refund on the payment intent when the charge came from one (Stripe's recommendation), else on the charge. */
  readonly paymentIntentId?: string;
  readonly amount: MinorUnits;
  readonly currency: string;
}

export interface ProviderRefund {
  /** The provider's id for the refund (`re_…`); null for the ledger, which has no provider. */
  readonly providerRefundId: string | null;
  readonly status: RefundStatus;
  /** The provider's reason when `failed` or `canceled`, e.g. `expired_or_canceled_card`. */
  readonly failureReason?: string;
  /** What the provider holds for the refund (reconciliation compares them with the ledger line). */
  readonly amount?: MinorUnits;
  readonly currency?: string;
}

export interface ProviderCreditRequest {
  readonly idempotencyKey: string;
  readonly caseId: string;
  readonly customerId: string;
  /** The customer at the provider (Stripe `cus_…`), when the account knows it. */
  readonly providerCustomerId?: string;
  readonly amount: MinorUnits;
  readonly currency: string;
  readonly description: string;
}

export interface ProviderCredit {
  /** The provider's id for the credit (Stripe customer balance transaction `cbtxn_…`); null for the ledger. */
  readonly providerCreditId: string | null;
}

/** A refund or credit the provider refused for good: the charge is disputed, the card closed, the balance short... */
export class PaymentDeclined extends Error {
  override readonly name = 'PaymentDeclined';
  constructor(
    /** The provider's code, e.g. `charge_disputed`, `balance_insufficient`, `amount_too_large`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface PaymentProvider {
  readonly name: PaymentProviderName;
  refund(request: ProviderRefundRequest): Promise<ProviderRefund>;
  /** The refund as the provider sees it now (reconciliation); null when the provider does not know it. */
  refundStatus(providerRefundId: string): Promise<ProviderRefund | null>;
  credit(request: ProviderCreditRequest): Promise<ProviderCredit>;
}

/** The Stripe idempotency key of a refund: derived from the ledger line (case, charge, amount; attempt after a failure). */
export function refundIdempotencyKey(
  caseId: string,
  chargeId: string,
  amount: MinorUnits,
  attempt = 1,
): string {
  return `refund-hub:refund:${caseId}:${chargeId}:${amount}${attempt > 1 ? `:${attempt}` : ''}`;
}

/** A goodwill credit happens once per case. */
export function creditIdempotencyKey(caseId: string): string {
  return `refund-hub:credit:${caseId}`;
}
