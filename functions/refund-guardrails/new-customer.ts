/**
 * POLICY.md v2 rule 6 for new customers (issue #18, operator setting `approvalForCustomersNewerThanDays`): with
 * `autoRefundMode: auto`, a refund for a customer whose tenure at `now` is under that many days needs approval, as
 * every refund does in mode `approve`. Pure: LoadCustomerAccount hands the account and the case's clock to these.
 */
import { toEpochMs } from '../shared/instants.js';
import type { Charge, CustomerProfile, IsoInstant, Order, Subscription } from '../shared/types.js';

export const DAY_MS = 86_400_000;

/** Where a tenure counts from: the profile's `customerSince`, else the earliest instant the account knows, else none. */
export type TenureFrom = 'customerSince' | 'earliest_history' | 'no_history';

export interface CustomerTenure {
  /** The instant the tenure counts from; null when the customer has neither `customerSince` nor any history. */
  readonly since: IsoInstant | null;
  readonly from: TenureFrom;
  /** Whole days from `since` to `now` (0 when `since` is after `now`); null without `since`. */
  readonly days: number | null;
}

export interface TenureAccount {
  readonly profile: Pick<CustomerProfile, 'customerSince'>;
  readonly subscriptions: readonly Pick<Subscription, 'cancelledAt' | 'cancellationEffectiveAt'>[];
  readonly charges: readonly Pick<Charge, 'chargedAt' | 'billingPeriodStart'>[];
  readonly orders: readonly Pick<Order, 'placedAt'>[];
}

/** Every instant of the account's history that shows the customer was already a customer then. */
function historyInstants(account: TenureAccount): IsoInstant[] {
  return [
    ...account.charges.flatMap((c) => [c.chargedAt, ...(c.billingPeriodStart ? [c.billingPeriodStart] : [])]),
    ...account.orders.map((o) => o.placedAt),
    ...account.subscriptions.flatMap((s) => [
      ...(s.cancelledAt ? [s.cancelledAt] : []),
      ...(s.cancellationEffectiveAt ? [s.cancellationEffectiveAt] : []),
    ]),
  ];
}

/** The earliest instant of a list, compared as instants (never as strings); null for none. */
function earliest(instants: readonly IsoInstant[]): IsoInstant | null {
  let first: IsoInstant | null = null;
  for (const at of instants) if (first === null || toEpochMs(at) < toEpochMs(first)) first = at;
  return first;
}

/** The customer's tenure at `now`: from `customerSince`, else from the earliest charge, order or subscription instant. */
export function customerTenure(account: TenureAccount, now: IsoInstant): CustomerTenure {
  const given = account.profile.customerSince;
  const since = given ?? earliest(historyInstants(account));
  const from: TenureFrom = given ? 'customerSince' : since ? 'earliest_history' : 'no_history';
  const days = since === null ? null : Math.floor(Math.max(0, toEpochMs(now) - toEpochMs(since)) / DAY_MS);
  return { since, from, days };
}

export interface NewCustomerPolicy {
  readonly autoRefundMode: 'auto' | 'approve';
  /** 0: off (POLICY.md as written). */
  readonly approvalForCustomersNewerThanDays: number;
}

/** What rule 6 used about the customer's tenure: on the receipt as `facts.newCustomer`. */
export interface NewCustomerApproval extends CustomerTenure {
  /** True: rule 6 fires (`approval_required`) because the customer is newer than the setting. */
  readonly required: boolean;
  readonly approvalForCustomersNewerThanDays: number;
  /** Why it fired, in words, when it did. */
  readonly why: string | null;
}

/**
 * Rule 6's new-customer test. Only in mode `auto` with the setting above 0 (mode `approve` already sends every refund
 * to a person, for a reason of its own): tenure strictly under the setting's days, counted in milliseconds between the
 * two instants; a customer without `customerSince` or any history counts as new.
 */
export function newCustomerApproval(
  account: TenureAccount,
  now: IsoInstant,
  policy: NewCustomerPolicy,
): NewCustomerApproval {
  const tenure = customerTenure(account, now);
  const limit = policy.approvalForCustomersNewerThanDays;
  const base = { ...tenure, approvalForCustomersNewerThanDays: limit };
  if (policy.autoRefundMode !== 'auto' || limit <= 0) return { ...base, required: false, why: null };
  if (tenure.since === null)
    return {
      ...base,
      required: true,
      why: `no customerSince and no charge, order or subscription on the account: a customer without history counts as new (approvalForCustomersNewerThanDays ${limit})`,
    };
  const required = toEpochMs(now) - toEpochMs(tenure.since) < limit * DAY_MS;
  return {
    ...base,
    required,
    why: required
      ? `a customer for ${tenure.days} day(s) (since ${tenure.since}, from ${tenure.from}), under approvalForCustomersNewerThanDays ${limit}`
      : null,
  };
}

/** The facts before LoadCustomerAccount ran (StartCase's default; a case that never loads the account). */
export const NEW_CUSTOMER_NOT_CHECKED: NewCustomerApproval = {
  since: null,
  from: 'no_history',
  days: null,
  required: false,
  approvalForCustomersNewerThanDays: 0,
  why: null,
};
