/**
 * The accounts table: one partition per customer holding the profile, subscriptions, charges
 * and orders (`sk` = `PROFILE`, `SUBSCRIPTION#id`, `CHARGE#id`, `ORDER#id`; the entity in `data`).
 */
import type { Charge, CustomerProfile, Order, Subscription } from './types.js';

export const ACCOUNT_SK = {
  profile: 'PROFILE',
  subscription: (id: string) => `SUBSCRIPTION#${id}`,
  charge: (id: string) => `CHARGE#${id}`,
  order: (id: string) => `ORDER#${id}`,
} as const;

export interface CustomerAccount {
  readonly profile: CustomerProfile;
  readonly subscriptions: Subscription[];
  readonly charges: Charge[];
  readonly orders: Order[];
}

export interface AccountItem {
  readonly customerId: string;
  readonly sk: string;
  readonly data: unknown;
}

/** Items to write for one customer's account (seeding, replay, tests). */
export function accountItems(account: CustomerAccount): AccountItem[] {
  const customerId = account.profile.id;
  return [
    { customerId, sk: ACCOUNT_SK.profile, data: account.profile },
    ...account.subscriptions.map((s) => ({ customerId, sk: ACCOUNT_SK.subscription(s.id), data: s })),
    ...account.charges.map((c) => ({ customerId, sk: ACCOUNT_SK.charge(c.id), data: c })),
    ...account.orders.map((o) => ({ customerId, sk: ACCOUNT_SK.order(o.id), data: o })),
  ];
}

/** The inverse of `accountItems`; a customer with no profile item still gets one with their id. */
export function accountFromItems(customerId: string, items: readonly AccountItem[]): CustomerAccount {
  let profile: CustomerProfile = { id: customerId };
  const subscriptions: Subscription[] = [];
  const charges: Charge[] = [];
  const orders: Order[] = [];
  for (const item of items) {
    if (item.sk === ACCOUNT_SK.profile) profile = item.data as CustomerProfile;
    else if (item.sk.startsWith('SUBSCRIPTION#')) subscriptions.push(item.data as Subscription);
    else if (item.sk.startsWith('CHARGE#')) charges.push(item.data as Charge);
    else if (item.sk.startsWith('ORDER#')) orders.push(item.data as Order);
  }
  return { profile, subscriptions, charges, orders };
}
