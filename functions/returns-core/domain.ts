/**
 * Returns (POLICY.md v2 "Returns"), pure: the request's schema, the return's id, its refund policy, the carrier's
 * events and what each does to a return. No AWS, no environment, no clock but the one passed in.
 */
import { createHash } from 'node:crypto';
import type { CustomerAccount } from '../shared/accounts.js';
import { toEpochMs } from '../shared/instants.js';
import {
  type EarlierReturn,
  type ReturnItemRequest,
  type ReturnRejection,
  returnEligibility,
  returnsInWindow,
} from '../shared/return-eligibility.js';
import type { Charge, IsoInstant, MinorUnits, TeamQueue } from '../shared/types.js';
import * as z from '../shared/zod.js';

export const RETURN_REASONS = [
  'damaged',
  'wrong_item',
  'not_as_described',
  'no_longer_needed',
  'other',
] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

/**
 * A return's statuses (POLICY "Returns"), plus `requested`: the moment between the API accepting the return
 * and the carrier issuing its label (the execution's first two steps).
 */
export const RETURN_STATUSES = [
  'requested',
  'label_created',
  'in_transit',
  'awaiting_inspection',
  'refunded',
  'rejected',
  'expired',
] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];
/** Statuses after which nothing changes a return again. */
export const FINAL_STATUSES: readonly ReturnStatus[] = ['refunded', 'rejected', 'expired'];

export const REFUND_POLICIES = ['refund_at_first_scan', 'inspect_then_refund'] as const;
export type RefundPolicy = (typeof REFUND_POLICIES)[number];

export const CARRIER_EVENTS = ['first_scan', 'in_transit', 'delivered_to_warehouse'] as const;
export type CarrierEventName = (typeof CARRIER_EVENTS)[number];

/** What a carrier wait step waits for: any scan (the first), or the package at the warehouse. */
export type CarrierWait = 'first_scan' | 'delivered_to_warehouse';

export const returnRequestSchema = z.strictObject({
  orderId: z
    .string()
    .check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'orderId must be 1-64 letters, digits, "-" or "_"')),
  items: z
    .array(
      z.strictObject({
        sku: z.string().check(z.minLength(1, 'sku must not be empty'), z.maxLength(64)),
        quantity: z
          .number()
          .check(
            z.int('quantity must be a whole number'),
            z.gte(1, 'quantity must be at least 1'),
            z.lte(1000),
          ),
      }),
    )
    .check(z.minLength(1, 'items must name at least one item'), z.maxLength(50)),
  reason: z.enum(RETURN_REASONS, { error: `reason must be one of ${RETURN_REASONS.join(', ')}` }),
  comment: z.optional(z.string().check(z.maxLength(1000, 'comment must be at most 1000 characters'))),
});
export type ReturnRequest = z.infer<typeof returnRequestSchema>;

export interface ReturnLabel {
  readonly carrier: string;
  readonly trackingId: string;
  readonly labelUrl: string;
  readonly expiresAt: IsoInstant;
}

export interface StoredCarrierEvent {
  readonly eventId: string;
  readonly event: CarrierEventName;
  readonly at: IsoInstant;
  readonly receivedAt: IsoInstant;
}

export interface TimelineEntry {
  readonly at: IsoInstant;
  readonly status: ReturnStatus;
  readonly note: string;
}

export interface ReturnRefund {
  readonly chargeId: string | null;
  readonly amount: MinorUnits;
  readonly currency: string;
  readonly status: 'none' | 'pending' | 'succeeded' | 'failed' | 'canceled';
}

/** The returns table's item (one per return). */
export interface ReturnRecord {
  readonly returnId: string;
  readonly customerId: string;
  readonly orderId: string;
  readonly items: readonly ReturnItemRequest[];
  readonly reason: ReturnReason;
  readonly comment?: string;
  readonly status: ReturnStatus;
  readonly refundPolicy: RefundPolicy;
  readonly refundAmount: MinorUnits;
  readonly currency: string;
  readonly createdAt: IsoInstant;
  readonly updatedAt: IsoInstant;
  readonly requestFingerprint: string;
  readonly timeline: readonly TimelineEntry[];
  readonly label?: ReturnLabel;
  /** The label's tracking id, at the top level for the byTrackingId index (the carrier webhook's lookup). */
  readonly trackingId?: string;
  readonly carrierEvents?: readonly StoredCarrierEvent[];
  /** Event ids already handled (a repeated delivery changes nothing). */
  readonly carrierEventIds?: Readonly<Record<string, true>>;
  /** The carrier wait's task token and what it waits for; removed by whoever sends its success (exactly one). */
  readonly waitToken?: string;
  readonly waitFor?: CarrierWait;
  readonly inspectionToken?: string;
  readonly inspection?: {
    readonly result: 'pass' | 'fail';
    readonly note: string;
    readonly customerMessage?: string;
    readonly agentId: string;
    readonly at: IsoInstant;
  };
  readonly refund?: ReturnRefund;
  readonly rejection?: ReturnRejection | 'inspection_failed' | null;
  /** Sparse index key: `awaiting_inspection` or `needs_attention` while a person has to act. */
  readonly agentState?: 'awaiting_inspection' | 'needs_attention';
  readonly agentQueue?: TeamQueue;
  readonly attentionReason?: string;
}

export const RETURNS_BY_CUSTOMER_INDEX = 'byCustomer';
export const RETURNS_BY_TRACKING_INDEX = 'byTrackingId';
export const RETURNS_BY_AGENT_STATE_INDEX = 'byAgentState';

const RETURN_ID = /^ret-[0-9a-f]{32}$/;

/** The same customer and Idempotency-Key give the same return id (and execution name); no key, a new one. */
export function returnIdFor(
  customerId: string,
  idempotencyKey: string | undefined,
  random: () => string,
): string {
  const seed = idempotencyKey === undefined ? random() : `${customerId}\u0000${idempotencyKey}`;
  return `ret-${createHash('sha256').update(seed).digest('hex').slice(0, 32)}`;
}

export function isReturnId(value: unknown): value is string {
  return typeof value === 'string' && RETURN_ID.test(value);
}

/** The request as the customer sent it, for "same key, different body" (409). */
export function fingerprint(request: ReturnRequest): string {
  const canonical = {
    orderId: request.orderId,
    items: request.items.map((i) => [i.sku, i.quantity]),
    reason: request.reason,
    comment: request.comment ?? null,
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

export interface ReturnsConfig {
  readonly returnWindowDays: number;
  readonly maxReturnsPer90Days: number;
  readonly highValueThresholds: Readonly<Record<string, number>>;
}

/** POLICY "Thresholds per currency": strictly over the currency's threshold, or a currency without one. */
export function isHighValue(
  amount: MinorUnits,
  currency: string,
  thresholds: Readonly<Record<string, number>>,
): boolean {
  const threshold = thresholds[currency];
  return threshold === undefined || amount > threshold;
}

export function refundPolicyFor(
  refundAmount: MinorUnits,
  currency: string,
  startedInLast90Days: number,
  config: ReturnsConfig,
): RefundPolicy {
  if (isHighValue(refundAmount, currency, config.highValueThresholds)) return 'inspect_then_refund';
  if (startedInLast90Days >= config.maxReturnsPer90Days) return 'inspect_then_refund';
  return 'refund_at_first_scan';
}

/** The charge that paid for the order (POLICY "Data"): the one whose `orderId` names it. */
export function orderChargeOf(charges: readonly Charge[], orderId: string): Charge | undefined {
  return charges.find((c) => c.orderId === orderId);
}

export type ReturnDecision =
  | {
      readonly eligible: true;
      readonly refundPolicy: RefundPolicy;
      readonly refundAmount: MinorUnits;
      readonly currency: string;
      readonly windowEndsAt: IsoInstant;
      /** The order's charge; null when the account holds none (the refund step then hands the return to a person). */
      readonly chargeId: string | null;
    }
  | { readonly eligible: false; readonly rejection: ReturnRejection }
  | { readonly eligible: false; readonly rejection: 'order_not_found' };

/**
 * Eligibility (the one shared rule) and the refund policy of a requested return, over the account and the
 * customer's earlier returns (this return left out), at `now`.
 */
export function decideReturn(
  account: CustomerAccount,
  request: Pick<ReturnRequest, 'orderId' | 'items'>,
  earlier: readonly EarlierReturn[],
  now: IsoInstant,
  config: ReturnsConfig,
): ReturnDecision {
  const order = account.orders.find((o) => o.id === request.orderId);
  if (!order) return { eligible: false, rejection: 'order_not_found' };
  const eligibility = returnEligibility(order, now, {
    returnWindowDays: config.returnWindowDays,
    earlierReturns: earlier,
    requested: request.items,
  });
  if (!eligibility.eligible) return { eligible: false, rejection: eligibility.reason };
  const started = returnsInWindow(earlier, now, 90);
  return {
    eligible: true,
    refundPolicy: refundPolicyFor(eligibility.refundAmount, eligibility.currency, started, config),
    refundAmount: eligibility.refundAmount,
    currency: eligibility.currency,
    windowEndsAt: eligibility.windowEndsAt,
    chargeId: orderChargeOf(account.charges, order.id)?.id ?? null,
  };
}

/**
 * Earlier returns as the rule counts them: every return started counts for the 90-day count; only those that
 * took (or may still take) items back count for quantities: a rejected or expired return gave nothing back.
 */
export function earlierReturnsOf(
  records: readonly Pick<ReturnRecord, 'returnId' | 'orderId' | 'createdAt' | 'items' | 'status'>[],
  exceptReturnId?: string,
): { forQuantities: EarlierReturn[]; forCount: EarlierReturn[] } {
  const others = records.filter((r) => r.returnId !== exceptReturnId);
  const asEarlier = (r: (typeof others)[number]) => ({ orderId: r.orderId, at: r.createdAt, items: r.items });
  return {
    forQuantities: others.filter((r) => r.status !== 'rejected' && r.status !== 'expired').map(asEarlier),
    forCount: others.map(asEarlier),
  };
}

/** Decides with both views of the earlier returns: quantities from those that took items, the count from all. */
export function decideWithHistory(
  account: CustomerAccount,
  request: Pick<ReturnRequest, 'orderId' | 'items'>,
  records: Parameters<typeof earlierReturnsOf>[0],
  now: IsoInstant,
  config: ReturnsConfig,
  exceptReturnId?: string,
): ReturnDecision {
  const { forQuantities, forCount } = earlierReturnsOf(records, exceptReturnId);
  const decision = decideReturn(account, request, forQuantities, now, config);
  if (!decision.eligible) return decision;
  const started = returnsInWindow(forCount, now, 90);
  return {
    ...decision,
    refundPolicy: refundPolicyFor(decision.refundAmount, decision.currency, started, config),
  };
}

/** Whether a stored carrier event ends a wait. Any scan is the first scan; the warehouse wait wants the warehouse. */
export function endsWait(wait: CarrierWait, event: CarrierEventName): boolean {
  return wait === 'first_scan' || event === 'delivered_to_warehouse';
}

/** The first stored event (by the carrier's `at`, then arrival) that ends the wait, if any. */
export function eventEndingWait(
  events: readonly StoredCarrierEvent[],
  wait: CarrierWait,
): StoredCarrierEvent | undefined {
  return [...events]
    .filter((e) => endsWait(wait, e.event))
    .sort(
      (a, b) => toEpochMs(a.at) - toEpochMs(b.at) || toEpochMs(a.receivedAt) - toEpochMs(b.receivedAt),
    )[0];
}

/** The status a carrier event moves a return to: a scan puts a labelled return in transit; nothing else moves. */
export function statusAfterEvent(status: ReturnStatus): ReturnStatus {
  return status === 'label_created' ? 'in_transit' : status;
}

/** The refundable remainder of a charge (its amount, less refunds outside Refund Hub and Refund Hub's ledger). */
export function remainderOf(charge: Charge, ledgerTotal: MinorUnits): MinorUnits {
  return Math.max(0, charge.amount - (charge.refundedAmount ?? 0) - ledgerTotal);
}

/** What the customer and the API see of a return (never tokens, fingerprints or internal bookkeeping). */
export function publicView(record: ReturnRecord) {
  return {
    returnId: record.returnId,
    orderId: record.orderId,
    items: record.items,
    reason: record.reason,
    status: record.status,
    refundPolicy: record.refundPolicy,
    refundAmount: record.refundAmount,
    currency: record.currency,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    label: record.label ?? null,
    refund: record.refund ?? { chargeId: null, amount: 0, currency: record.currency, status: 'none' },
    rejection: record.rejection ?? null,
    timeline: record.timeline,
  };
}

/** The returns execution's input: the return as accepted; its clock is the instant it was requested. */
export function returnExecutionInput(record: ReturnRecord) {
  return {
    returnId: record.returnId,
    customerId: record.customerId,
    orderId: record.orderId,
    items: record.items,
    reason: record.reason,
    requestedAt: record.createdAt,
  };
}

/** The return as accepted (status `requested`): the API stores it, and so do replay and the tests, with their clock. */
export function newReturnRecord(
  returnId: string,
  customerId: string,
  request: ReturnRequest,
  decision: Extract<ReturnDecision, { eligible: true }>,
  now: IsoInstant,
): ReturnRecord {
  return {
    returnId,
    customerId,
    orderId: request.orderId,
    items: request.items,
    reason: request.reason,
    ...(request.comment ? { comment: request.comment } : {}),
    status: 'requested',
    refundPolicy: decision.refundPolicy,
    refundAmount: decision.refundAmount,
    currency: decision.currency,
    createdAt: now,
    updatedAt: now,
    requestFingerprint: fingerprint(request),
    timeline: [{ at: now, status: 'requested', note: 'Return accepted; the carrier is issuing the label.' }],
    carrierEvents: [],
    carrierEventIds: {},
    rejection: null,
  };
}
