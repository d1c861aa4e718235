/**
 * `GET /v1/admin/refunds`, the pure part: the ledger's refund lines and the goodwill credits as
 * plain rows, the query's filters, and the page token. No AWS here.
 */

import { accountInstant } from '../shared/account-schema.js';
import { toEpochMs } from '../shared/instants.js';
import { linesOf } from '../shared/ledger.js';
import {
  creditIdempotencyKey,
  PAYMENT_PROVIDERS,
  type PaymentProviderName,
  REFUND_STATUSES,
} from '../shared/payments/provider.js';
import type { MinorUnits } from '../shared/types.js';

export interface RefundLine {
  readonly kind: 'refund';
  readonly customerId: string;
  readonly chargeId: string;
  readonly caseId: string;
  readonly currency: string;
  readonly amount: MinorUnits;
  readonly source: 'auto' | 'agent' | 'return';
  readonly at: string;
  readonly status: string;
  readonly provider: string;
  readonly idempotencyKey: string;
  readonly providerRefundId?: string;
  readonly failureReason?: string;
}

export interface CreditLine {
  readonly kind: 'credit';
  readonly customerId: string;
  readonly caseId: string;
  readonly currency: string;
  readonly amount: MinorUnits;
  readonly at: string;
  readonly status: string;
  readonly provider: string;
  readonly idempotencyKey: string;
  readonly providerCreditId?: string;
  readonly failureReason?: string;
  readonly agentId?: string;
}

const str = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** Every refund line of one ledger item (`case:<caseId>` attributes), parsed as the ledger itself parses them. */
export function refundLinesOf(item: Record<string, unknown>): RefundLine[] {
  return linesOf([item]).map((line) => ({
    kind: 'refund' as const,
    customerId: line.customerId,
    chargeId: line.chargeId,
    caseId: line.caseId,
    currency: line.currency ?? '',
    amount: line.amount,
    source: line.source,
    at: line.at,
    status: line.status,
    provider: line.provider,
    idempotencyKey: line.idempotencyKey,
    ...(line.providerRefundId ? { providerRefundId: line.providerRefundId } : {}),
    ...(line.failureReason ? { failureReason: line.failureReason } : {}),
  }));
}

/** A Credits item (functions/shared/credits.ts CreditItem), tolerant of older items without status or key. */
export function creditLineOf(item: Record<string, unknown>): CreditLine {
  const caseId = String(item.caseId);
  const providerCreditId = str(item.providerCreditId);
  const agentId = str(item.agentId);
  const failureReason = str(item.failureReason);
  return {
    kind: 'credit',
    customerId: String(item.customerId),
    caseId,
    currency: str(item.currency) ?? '',
    amount: typeof item.amount === 'number' ? item.amount : 0,
    at: str(item.at) ?? '',
    status: str(item.status) ?? 'succeeded',
    provider: str(item.provider) ?? 'ledger',
    idempotencyKey: str(item.idempotencyKey) ?? creditIdempotencyKey(caseId),
    ...(providerCreditId ? { providerCreditId } : {}),
    ...(failureReason ? { failureReason } : {}),
    ...(agentId ? { agentId } : {}),
  };
}

/** Refund statuses; a credit's are a subset (pending, succeeded, failed). */
const STATUSES: readonly string[] = REFUND_STATUSES;

export interface RefundFilters {
  readonly provider?: PaymentProviderName;
  /** Any of these; absent: every status. */
  readonly statuses?: readonly string[];
  /** Lines at or after this instant (compared as instants, never as strings). */
  readonly sinceMs?: number;
}

export type QueryParse =
  | { readonly ok: true; readonly filters: RefundFilters; readonly nextToken?: string }
  | { readonly ok: false; readonly message: string };

/** `?provider=ledger&status=pending,succeeded&since=2026-03-01T00:00:00Z&nextToken=...` */
export function parseQuery(query: Readonly<Record<string, string | undefined>> | null): QueryParse {
  const { provider, status, since, nextToken, ...rest } = query ?? {};
  const unknown = Object.keys(rest);
  if (unknown.length > 0)
    return {
      ok: false,
      message: `${unknown[0]}: is not a known parameter (provider, status, since, nextToken)`,
    };
  if (provider !== undefined && !(PAYMENT_PROVIDERS as readonly string[]).includes(provider))
    return { ok: false, message: `provider: must be one of ${PAYMENT_PROVIDERS.join(', ')}` };
  const statuses = status
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const wrong = statuses?.find((s) => !STATUSES.includes(s));
  if (wrong !== undefined)
    return { ok: false, message: `status: ${wrong} is not one of ${STATUSES.join(', ')}` };
  if (since !== undefined && !accountInstant.safeParse(since).success)
    return {
      ok: false,
      message: 'since: must be an ISO-8601 instant with an offset, e.g. 2026-03-01T00:00:00Z',
    };
  return {
    ok: true,
    filters: {
      ...(provider ? { provider: provider as PaymentProviderName } : {}),
      ...(statuses?.length ? { statuses } : {}),
      ...(since !== undefined ? { sinceMs: toEpochMs(since) } : {}),
    },
    ...(nextToken ? { nextToken } : {}),
  };
}

export function matches(line: RefundLine | CreditLine, filters: RefundFilters): boolean {
  if (filters.provider && line.provider !== filters.provider) return false;
  if (filters.statuses && !filters.statuses.includes(line.status)) return false;
  if (filters.sinceMs !== undefined) {
    const at = Date.parse(line.at);
    if (Number.isNaN(at) || at < filters.sinceMs) return false;
  }
  return true;
}

/** Where the next page starts: the ledger is read first, then the credits. */
export interface PageCursor {
  readonly table: 'ledger' | 'credits';
  readonly startKey?: Record<string, unknown>;
}

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/** The cursor of a `nextToken`, or null for one this API did not make. */
export function decodeCursor(token: string | undefined): PageCursor | null {
  if (token === undefined) return { table: 'ledger' };
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as PageCursor;
    if (value.table !== 'ledger' && value.table !== 'credits') return null;
    if (value.startKey !== undefined && (typeof value.startKey !== 'object' || value.startKey === null))
      return null;
    return value;
  } catch {
    return null;
  }
}
