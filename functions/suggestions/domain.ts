/**
 * POLICY.md v2 "Suggestions": what the customer probably wants before typing, from the account's state, at most 3,
 * in the policy's order: unrefunded billing errors (one per subscription), lost or late orders (most recent first),
 * returns in progress, delivered orders still inside their return window. Each carries the text the customer reads
 * and the request body that acts on it. Pure: the account (with the ledger's refunds merged) and `now` in.
 */

import { assessBilling } from '../compare-billing/domain.js';
import type { CustomerAccount } from '../shared/accounts.js';
import { customerDate, formatMoney } from '../shared/answers/words.js';
import { isAfter, toEpochMs } from '../shared/instants.js';
import type { IsoInstant, Order } from '../shared/types.js';

export type SuggestionKind =
  | 'billing_error'
  | 'lost_order'
  | 'late_order'
  | 'return_in_progress'
  | 'return_eligible';

export interface Suggestion {
  readonly kind: SuggestionKind;
  readonly text: string;
  /** What acting on it sends: a support request (`POST /v1/support-requests`) or, for returns, a return. */
  readonly action: {
    readonly method: 'POST';
    readonly path: '/v1/support-requests' | '/v1/returns';
    readonly body: Record<string, unknown>;
  };
}

export const MAX_SUGGESTIONS = 3;
const DAY_MS = 86_400_000;

/** "Mar 15, 2026": the one customer date format, shared with every answer and resolution. */
export { customerDate };

function billingErrorSuggestions(account: CustomerAccount): Suggestion[] {
  const refundable = assessBilling(account.subscriptions, account.charges).billingErrors.filter(
    (e) => e.refundable > 0,
  );
  const bySubscription = new Map<string, typeof refundable>();
  for (const error of refundable)
    bySubscription.set(error.subscriptionId, [...(bySubscription.get(error.subscriptionId) ?? []), error]);
  return [...bySubscription.entries()].map(([subscriptionId, errors]) => {
    const plan = account.subscriptions.find((s) => s.id === subscriptionId)?.plan ?? 'subscription';
    const first = [...errors].sort((a, b) => toEpochMs(a.chargedAt) - toEpochMs(b.chargedAt))[0];
    const more = errors.length > 1 ? ` and ${errors.length - 1} more` : '';
    return {
      kind: 'billing_error',
      text: `Your ${plan} charge of ${formatMoney(first?.refundable ?? 0, first?.currency ?? 'USD')} on ${customerDate(first?.chargedAt ?? '')}${more} looks like a billing error. Get it refunded?`,
      action: {
        method: 'POST',
        path: '/v1/support-requests',
        body: { message: `Refund the ${plan} charge I should not have paid` },
      },
    };
  });
}

function isLate(order: Order, now: IsoInstant): boolean {
  return (
    order.status !== 'delivered' &&
    order.status !== 'lost' &&
    order.promisedBy !== undefined &&
    isAfter(now, order.promisedBy)
  );
}

function orderProblemSuggestions(account: CustomerAccount, now: IsoInstant): Suggestion[] {
  return account.orders
    .filter((o) => o.status === 'lost' || isLate(o, now))
    .sort((a, b) => toEpochMs(b.placedAt) - toEpochMs(a.placedAt))
    .map((order) => {
      const carrier = order.carrier
        ? ` (${order.carrier}${order.trackingId ? ` ${order.trackingId}` : ''})`
        : '';
      const lost = order.status === 'lost';
      return {
        kind: lost ? 'lost_order' : 'late_order',
        text: lost
          ? `Your order ${order.id}${carrier} was reported lost. Get help with it?`
          : `Your order ${order.id}${carrier} was due ${customerDate(order.promisedBy ?? order.placedAt)} and is late. Where is it?`,
        action: {
          method: 'POST',
          path: '/v1/support-requests',
          body: { message: lost ? 'My order was lost' : 'Where is my order? It is late', orderId: order.id },
        },
      };
    });
}

function returnEligibleSuggestions(
  account: CustomerAccount,
  now: IsoInstant,
  returnWindowDays: number,
): Suggestion[] {
  return account.orders
    .filter((o) => o.status === 'delivered' && o.deliveredAt !== undefined)
    .filter((o) => toEpochMs(now) <= toEpochMs(o.deliveredAt as string) + returnWindowDays * DAY_MS)
    .filter((o) => (o.items ?? []).some((item) => !item.finalSale))
    .sort((a, b) => toEpochMs(b.deliveredAt as string) - toEpochMs(a.deliveredAt as string))
    .map((order) => {
      const until = new Date(
        toEpochMs(order.deliveredAt as string) + returnWindowDays * DAY_MS,
      ).toISOString();
      const items = (order.items ?? []).filter((i) => !i.finalSale);
      return {
        kind: 'return_eligible',
        text: `You can return items from order ${order.id} until ${customerDate(until)}. Start a return?`,
        action: {
          method: 'POST',
          path: '/v1/returns',
          body: {
            orderId: order.id,
            items: items.map((i) => ({ sku: i.sku, quantity: i.quantity })),
            reason: 'no_longer_needed',
          },
        },
      };
    });
}

/**
 * The suggestions in POLICY's order, at most 3. Returns in progress need the returns workflow (not in this version),
 * so that kind never appears yet.
 */
export function suggestionsFor(
  account: CustomerAccount,
  now: IsoInstant,
  returnWindowDays = 30,
): Suggestion[] {
  return [
    ...billingErrorSuggestions(account),
    ...orderProblemSuggestions(account, now),
    ...returnEligibleSuggestions(account, now, returnWindowDays),
  ].slice(0, MAX_SUGGESTIONS);
}
