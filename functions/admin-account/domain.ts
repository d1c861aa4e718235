/**
 * `PUT /v1/admin/customers/{customerId}/account`, the pure part: which items to write, and which
 * charges the refund ledger forbids changing. No AWS here.
 */
import type { AccountRequest } from '../shared/account-schema.js';
import { ACCOUNT_SK, type AccountItem } from '../shared/accounts.js';
import type { MinorUnits } from '../shared/types.js';

/** DynamoDB's BatchWriteItem limit. */
export const BATCH_SIZE = 25;

/** Our path ids: what DynamoDB takes as a key, printable, without surrounding spaces. */
const CUSTOMER_ID = /^[^\s\p{Cc}](?:[^\p{Cc}]{0,254}[^\s\p{Cc}])?$/u;

export function isCustomerId(value: unknown): value is string {
  return typeof value === 'string' && CUSTOMER_ID.test(value);
}

export interface WriteCounts {
  readonly profile: number;
  readonly subscriptions: number;
  readonly charges: number;
  readonly orders: number;
}

/** The accounts-table items of a request, in the layout `accountItems` writes (`sk`, entity in `data`). */
export function itemsOf(customerId: string, request: AccountRequest): AccountItem[] {
  return [
    ...(request.profile ? [{ customerId, sk: ACCOUNT_SK.profile, data: request.profile }] : []),
    ...(request.subscriptions ?? []).map((s) => ({ customerId, sk: ACCOUNT_SK.subscription(s.id), data: s })),
    ...(request.charges ?? []).map((c) => ({ customerId, sk: ACCOUNT_SK.charge(c.id), data: c })),
    ...(request.orders ?? []).map((o) => ({ customerId, sk: ACCOUNT_SK.order(o.id), data: o })),
  ];
}

export function countsOf(request: AccountRequest): WriteCounts {
  return {
    profile: request.profile ? 1 : 0,
    subscriptions: request.subscriptions?.length ?? 0,
    charges: request.charges?.length ?? 0,
    orders: request.orders?.length ?? 0,
  };
}

export function chunks<T>(items: readonly T[], size = BATCH_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** What the refund ledger holds on one charge of the customer. */
export interface LedgerCharge {
  readonly chargeId: string;
  /** Pending and succeeded refunds Refund Hub made on the charge. */
  readonly refundedTotal: MinorUnits;
  readonly currency: string | undefined;
  /** Whether any case has a line on it (a failed line still ties the charge to its currency). */
  readonly hasLines: boolean;
}

/** A ledger item `{ customerId, chargeId, refundedTotal, currency, case:<id>... }` as the guard needs it. */
export function ledgerChargeOf(item: Record<string, unknown>): LedgerCharge {
  return {
    chargeId: String(item.chargeId),
    refundedTotal: typeof item.refundedTotal === 'number' ? item.refundedTotal : 0,
    currency: typeof item.currency === 'string' ? item.currency : undefined,
    hasLines: Object.keys(item).some((key) => key.startsWith('case:')),
  };
}

export interface LedgerConflict {
  readonly chargeId: string;
  /** For the 409's message. */
  readonly reason: string;
}

/**
 * Charges the ledger forbids: an amount below what Refund Hub already refunded on the charge (its
 * remainder would go negative), or a new currency on a charge with ledger lines (they are in the old one).
 */
export function ledgerConflicts(
  charges: AccountRequest['charges'],
  ledger: readonly LedgerCharge[],
): LedgerConflict[] {
  const byCharge = new Map(ledger.map((line) => [line.chargeId, line]));
  return (charges ?? []).flatMap((charge) => {
    const held = byCharge.get(charge.id);
    if (!held) return [];
    const conflicts: LedgerConflict[] = [];
    if (charge.amount < held.refundedTotal)
      conflicts.push({
        chargeId: charge.id,
        reason: `amount ${charge.amount} is below the ${held.refundedTotal} Refund Hub already refunded on it`,
      });
    if ((held.hasLines || held.refundedTotal > 0) && held.currency && held.currency !== charge.currency)
      conflicts.push({
        chargeId: charge.id,
        reason: `currency ${charge.currency} differs from ${held.currency}, the currency of Refund Hub's refunds on it`,
      });
    return conflicts;
  });
}
