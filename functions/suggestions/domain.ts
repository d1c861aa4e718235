/**
 * POLICY.md v2 "Suggestions": what the customer probably wants before typing, from the account's state, at most 3,
 * in the policy's order: unrefunded billing errors (one per subscription), lost or late orders (most recent first),
 * returns in progress, delivered orders still inside their return window. Each carries the text the customer reads
 * and the request body that acts on it. Pure: the account (with the ledger's refunds merged) and `now` in.
 */

import { assessBilling } from '../compare-billing/domain.js';
import { earlierReturnsOf, type ReturnRecord, type ReturnStatus } from '../returns-core/domain.js';
import type { CustomerAccount } from '../shared/accounts.js';
import { customerDate, formatMoney } from '../shared/answers/words.js';
import { isAfter, toEpochMs } from '../shared/instants.js';
import { returnEligibility } from '../shared/return-eligibility.js';
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

/** What the suggestions read of a customer's return (a Returns table record, or a plain object in tests). */
export type CustomerReturn = Pick<
  ReturnRecord,
  | 'returnId'
  | 'orderId'
  | 'items'
  | 'status'
  | 'refundPolicy'
  | 'refundAmount'
  | 'currency'
  | 'createdAt'
  | 'label'
>;

/** "Waiting for a scan or a refund" (POLICY): labelled, on its way, or at the warehouse awaiting inspection. */
const IN_PROGRESS: ReadonlySet<ReturnStatus> = new Set([
  'label_created',
  'in_transit',
  'awaiting_inspection',
]);

function returnInWords(r: CustomerReturn): string {
  const refund = formatMoney(r.refundAmount, r.currency);
  const inspected = r.refundPolicy === 'inspect_then_refund';
  switch (r.status) {
    case 'label_created': {
      const by = r.label?.expiresAt ? ` by ${customerDate(r.label.expiresAt)}` : '';
      const then = inspected
        ? `the refund of ${refund} follows its inspection at our warehouse`
        : `the refund of ${refund} is issued at the first carrier scan`;
      return `Your return of order ${r.orderId} is waiting for its first carrier scan: drop it off with the prepaid label${by}; ${then}.`;
    }
    case 'in_transit':
      return inspected
        ? `Your return of order ${r.orderId} is on its way to our warehouse; the refund of ${refund} follows its inspection.`
        : `Your return of order ${r.orderId} is on its way; the refund of ${refund} is being issued.`;
    default:
      return `Your return of order ${r.orderId} arrived at our warehouse and is being inspected; the refund of ${refund} follows.`;
  }
}

function returnInProgressSuggestions(returns: readonly CustomerReturn[]): Suggestion[] {
  return returns
    .filter((r) => IN_PROGRESS.has(r.status))
    .sort((a, b) => toEpochMs(b.createdAt) - toEpochMs(a.createdAt))
    .map((r) => ({
      kind: 'return_in_progress',
      text: `${returnInWords(r)} Questions about it?`,
      action: {
        method: 'POST',
        path: '/v1/support-requests',
        body: { message: `Where is the refund for my return of order ${r.orderId}?`, orderId: r.orderId },
      },
    }));
}

function returnEligibleSuggestions(
  account: CustomerAccount,
  now: IsoInstant,
  returnWindowDays: number,
  returns: readonly CustomerReturn[],
): Suggestion[] {
  // What earlier returns took back (or may still take) is not offered again: the rule POST /v1/returns applies.
  const { forQuantities } = earlierReturnsOf(returns);
  return account.orders
    .filter((o) => o.status === 'delivered' && o.deliveredAt !== undefined)
    .sort((a, b) => toEpochMs(b.deliveredAt as string) - toEpochMs(a.deliveredAt as string))
    .flatMap((order): Suggestion[] => {
      const eligibility = returnEligibility(order, now, { returnWindowDays, earlierReturns: forQuantities });
      if (!eligibility.eligible) return [];
      return [
        {
          kind: 'return_eligible',
          text: `You can return items from order ${order.id} until ${customerDate(eligibility.windowEndsAt)}. Start a return?`,
          action: {
            method: 'POST',
            path: '/v1/returns',
            body: {
              orderId: order.id,
              items: eligibility.returnable.map((i) => ({ sku: i.sku, quantity: i.quantity })),
              reason: 'no_longer_needed',
            },
          },
        },
      ];
    });
}

/**
 * The suggestions in POLICY's order, at most 3: billing errors, lost or late orders, the customer's returns waiting
 * for a scan or a refund (most recent first), then delivered orders still inside their return window.
 */
export function suggestionsFor(
  account: CustomerAccount,
  now: IsoInstant,
  returnWindowDays = 30,
  returns: readonly CustomerReturn[] = [],
): Suggestion[] {
  return [
    ...billingErrorSuggestions(account),
    ...orderProblemSuggestions(account, now),
    ...returnInProgressSuggestions(returns),
    ...returnEligibleSuggestions(account, now, returnWindowDays, returns),
  ].slice(0, MAX_SUGGESTIONS);
}
