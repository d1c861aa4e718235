/**
 * POLICY.md "Billing-date comparison": which of a customer's charges are billing errors,
 * and how much of each is still refundable. Pure: plain data in, plain data out.
 */
import { isAtOrAfter, toEpochMs } from '../shared/instants.js';
import { type CurrencyTotal, totalsByCurrency } from '../shared/money.js';
import type { Charge, IsoInstant, MinorUnits, Subscription } from '../shared/types.js';

export type BillingErrorKind = 'after_cancellation' | 'duplicate';

export interface BillingError {
  readonly chargeId: string;
  readonly subscriptionId: string;
  readonly kinds: readonly BillingErrorKind[];
  readonly amount: MinorUnits;
  readonly refundedAmount: MinorUnits;
  /** `amount - refundedAmount`, never negative. */
  readonly refundable: MinorUnits;
  readonly currency: string;
  readonly chargedAt: IsoInstant;
}

export type NoRefundReason = 'no_billing_error' | 'already_refunded';

export interface BillingAssessment {
  /** Every charge that is a billing error, refundable or not (the receipt shows them all). */
  readonly billingErrors: readonly BillingError[];
  /** The errors with something left to refund: what an automatic refund would pay back. */
  readonly refundableCharges: readonly {
    readonly chargeId: string;
    readonly amount: MinorUnits;
    readonly currency: string;
  }[];
  /** What is refundable, per currency (POLICY "Data": never added across currencies). */
  readonly refundableTotals: readonly CurrencyTotal[];
  /** The currencies with something refundable, sorted. */
  readonly refundableCurrencies: readonly string[];
  /** Something is refundable in more than one currency (POLICY rule 4). */
  readonly mixedCurrency: boolean;
  /** The refundable total in `currency`; 0 when nothing is refundable; null when `mixedCurrency` (no single total). */
  readonly refundableTotal: MinorUnits | null;
  /** The one currency of what is refundable (else of the billing errors); null when `mixedCurrency`. */
  readonly currency: string | null;
  /** Why nothing is due when `refundableTotal` is 0; null otherwise. */
  readonly noRefundReason: NoRefundReason | null;
}

/** `cancellationEffectiveAt ?? cancelledAt`; undefined when the subscription was never cancelled. */
export function effectiveCancellation(subscription: Subscription): IsoInstant | undefined {
  return subscription.cancellationEffectiveAt ?? subscription.cancelledAt;
}

export function refundableRemainder(charge: Charge): MinorUnits {
  return Math.max(0, charge.amount - (charge.refundedAmount ?? 0));
}

/** Earliest first by `chargedAt` as an instant; ties broken by id so the result is deterministic. */
function byChargedAt(a: Charge, b: Charge): number {
  return toEpochMs(a.chargedAt) - toEpochMs(b.chargedAt) || a.id.localeCompare(b.id);
}

export function assessBilling(
  subscriptions: readonly Subscription[],
  charges: readonly Charge[],
): BillingAssessment {
  const subscriptionsById = new Map(subscriptions.map((s) => [s.id, s]));
  const kindsByCharge = new Map<string, Set<BillingErrorKind>>();
  const flag = (charge: Charge, kind: BillingErrorKind) => {
    const kinds = kindsByCharge.get(charge.id) ?? new Set<BillingErrorKind>();
    kinds.add(kind);
    kindsByCharge.set(charge.id, kinds);
  };

  // Rules 1 and 4: a subscription charge at or after the effective cancellation is an error;
  // one before it is legitimate.
  for (const charge of charges) {
    const subscription = charge.subscriptionId ? subscriptionsById.get(charge.subscriptionId) : undefined;
    const cancelledAt = subscription ? effectiveCancellation(subscription) : undefined;
    if (cancelledAt && isAtOrAfter(charge.chargedAt, cancelledAt)) flag(charge, 'after_cancellation');
  }

  // Rule 2: charges of one subscription for the same billing period: all but the earliest.
  const byPeriod = new Map<string, Charge[]>();
  for (const charge of charges) {
    if (!charge.subscriptionId || !charge.billingPeriodStart) continue;
    const key = `${charge.subscriptionId}\u0000${toEpochMs(charge.billingPeriodStart)}`;
    byPeriod.set(key, [...(byPeriod.get(key) ?? []), charge]);
  }
  for (const group of byPeriod.values()) {
    for (const duplicate of [...group].sort(byChargedAt).slice(1)) flag(duplicate, 'duplicate');
  }

  const billingErrors: BillingError[] = charges
    .filter((charge) => kindsByCharge.has(charge.id))
    .sort(byChargedAt)
    .map((charge) => ({
      chargeId: charge.id,
      subscriptionId: charge.subscriptionId ?? '',
      kinds: [...(kindsByCharge.get(charge.id) ?? [])].sort(),
      amount: charge.amount,
      refundedAmount: charge.refundedAmount ?? 0,
      refundable: refundableRemainder(charge),
      currency: charge.currency,
      chargedAt: charge.chargedAt,
    }));

  // Rule 3: only the refundable remainder counts.
  const refundableCharges = billingErrors
    .filter((error) => error.refundable > 0)
    .map((error) => ({ chargeId: error.chargeId, amount: error.refundable, currency: error.currency }));
  const refundableTotals = totalsByCurrency(refundableCharges);
  const mixedCurrency = refundableTotals.length > 1;

  let noRefundReason: NoRefundReason | null = null;
  if (refundableTotals.length === 0)
    noRefundReason = billingErrors.length > 0 ? 'already_refunded' : 'no_billing_error';

  return {
    billingErrors,
    refundableCharges,
    refundableTotals,
    refundableCurrencies: refundableTotals.map((t) => t.currency),
    mixedCurrency,
    refundableTotal: mixedCurrency ? null : (refundableTotals[0]?.amount ?? 0),
    currency: mixedCurrency ? null : (refundableTotals[0]?.currency ?? billingErrors[0]?.currency ?? null),
    noRefundReason,
  };
}
