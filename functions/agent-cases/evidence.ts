/**
 * The evidence pack (GET /v1/agent/cases/{caseId}): everything an agent needs to decide a case without another
 * tool. Pure: the case, the customer's account as the operator's systems hold it (refunds made elsewhere only),
 * the ledger's lines, the customer's other cases and the case's credit in; the pack out.
 */

import { assessBilling, type BillingErrorKind, effectiveCancellation } from '../compare-billing/domain.js';
import { callbackNumber } from '../request-human/domain.js';
import type { CustomerAccount } from '../shared/accounts.js';
import type { CaseRecord, TimelineEntry } from '../shared/case-record.js';
import { toEpochMs } from '../shared/instants.js';
import type { LocatedLedgerLine } from '../shared/ledger.js';
import { type CurrencyTotal, totalsByCurrency } from '../shared/money.js';
import type { Charge, MinorUnits, Order } from '../shared/types.js';

export const OTHER_CASES_SHOWN = 5;

/** The fields of a case the pack reads beyond CaseRecord's (the queue index's and the agents' own). */
export type EvidenceCase = CaseRecord & {
  readonly agentQueue?: string;
  readonly dispatchedAt?: string;
  readonly claimedBy?: string;
  readonly claimedAt?: string;
  readonly contact?: 'call' | 'live_chat';
  readonly pendingApproval?: Record<string, unknown>;
};

/** The Step Functions task token is never sent anywhere (it would let its holder resume the workflow). */
function withoutToken(value: Record<string, unknown> | undefined): Record<string, unknown> | null {
  if (!value) return null;
  const { taskToken: _token, ...rest } = value;
  return rest;
}

export interface CaseCredit {
  readonly amount: MinorUnits;
  readonly currency: string;
  readonly status: string;
  readonly providerCreditId?: string;
}

export interface EvidenceInput {
  readonly record: EvidenceCase;
  /** The account as stored: `refundedAmount` is what was refunded outside Refund Hub (not merged with the ledger). */
  readonly account: CustomerAccount;
  /** Every ledger line of the customer (all cases, every status). */
  readonly ledger: readonly LocatedLedgerLine[];
  /** The customer's cases, any order (this one among them or not). */
  readonly customerCases: readonly Pick<
    CaseRecord,
    'caseId' | 'createdAt' | 'intent' | 'outcome' | 'reason' | 'refundedTotals'
  >[];
  readonly credit: CaseCredit | undefined;
}

const heldByLine = (line: LocatedLedgerLine) => line.status === 'pending' || line.status === 'succeeded';

interface ChargeEntry {
  readonly type: 'charge';
  readonly at: string;
  readonly chargeId: string;
  readonly amount: MinorUnits;
  readonly currency: string;
  readonly chargedAt: string;
  readonly subscriptionId: string | null;
  readonly orderId: string | null;
  readonly billingPeriodStart: string | null;
  readonly isBillingError: boolean;
  readonly billingErrorKinds: readonly BillingErrorKind[];
  readonly refundedOutside: MinorUnits;
  readonly ledger: readonly {
    readonly caseId: string;
    readonly amount: MinorUnits;
    readonly status: string;
    readonly source: string;
    readonly at: string;
  }[];
  /** amount − refunded outside − what pending and paid ledger lines hold; never negative. */
  readonly remainder: MinorUnits;
}

interface CancellationEntry {
  readonly type: 'cancellation_effective';
  readonly at: string;
  readonly subscriptionId: string;
  readonly plan: string;
  readonly cancelledAt: string | null;
}

export type ChargeTimelineEntry = ChargeEntry | CancellationEntry;

function chargeEntry(
  charge: Charge,
  kinds: ReadonlyMap<string, readonly BillingErrorKind[]>,
  ledger: readonly LocatedLedgerLine[],
): ChargeEntry {
  const lines = ledger
    .filter((line) => line.chargeId === charge.id)
    .sort((a, b) => toEpochMs(a.at) - toEpochMs(b.at) || a.caseId.localeCompare(b.caseId));
  const outside = charge.refundedAmount ?? 0;
  const held = lines.filter(heldByLine).reduce((sum, line) => sum + line.amount, 0);
  const errorKinds = kinds.get(charge.id) ?? [];
  return {
    type: 'charge',
    at: charge.chargedAt,
    chargeId: charge.id,
    amount: charge.amount,
    currency: charge.currency,
    chargedAt: charge.chargedAt,
    subscriptionId: charge.subscriptionId ?? null,
    orderId: charge.orderId ?? null,
    billingPeriodStart: charge.billingPeriodStart ?? null,
    isBillingError: errorKinds.length > 0,
    billingErrorKinds: errorKinds,
    refundedOutside: outside,
    ledger: lines.map((line) => ({
      caseId: line.caseId,
      amount: line.amount,
      status: line.status,
      source: line.source,
      at: line.at,
    })),
    remainder: Math.max(0, charge.amount - outside - held),
  };
}

/**
 * The customer's charges in time order, each subscription's effective cancellation among them. A marker sorts
 * before a charge of the same instant: a charge at the effective instant is after the cancellation (POLICY rule 1).
 */
export function chargeTimeline(
  account: CustomerAccount,
  ledger: readonly LocatedLedgerLine[],
): ChargeTimelineEntry[] {
  const assessment = assessBilling(account.subscriptions, account.charges);
  const kinds = new Map(assessment.billingErrors.map((e) => [e.chargeId, e.kinds]));
  const charges = account.charges.map((charge) => chargeEntry(charge, kinds, ledger));
  const markers: CancellationEntry[] = account.subscriptions.flatMap((s) => {
    const at = effectiveCancellation(s);
    return at
      ? [
          {
            type: 'cancellation_effective' as const,
            at,
            subscriptionId: s.id,
            plan: s.plan,
            cancelledAt: s.cancelledAt ?? null,
          },
        ]
      : [];
  });
  const tieBreak = (e: ChargeTimelineEntry) => (e.type === 'cancellation_effective' ? 0 : 1);
  const idOf = (e: ChargeTimelineEntry) => (e.type === 'charge' ? e.chargeId : e.subscriptionId);
  return [...markers, ...charges].sort(
    (a, b) =>
      toEpochMs(a.at) - toEpochMs(b.at) || tieBreak(a) - tieBreak(b) || idOf(a).localeCompare(idOf(b)),
  );
}

/** The order the case is about: the one its decision looked at, else the one the request named. */
function caseOrderId(record: EvidenceCase): string | null {
  const order = record.receipt?.facts?.order as { found?: boolean; orderId?: string | null } | undefined;
  if (order?.found && order.orderId) return order.orderId;
  return record.orderId ?? null;
}

function orderView(order: Order, charges: readonly ChargeEntry[]) {
  const charge = charges.find((c) => c.orderId === order.id);
  return {
    orderId: order.id,
    status: order.status,
    total: order.total,
    currency: order.currency,
    placedAt: order.placedAt,
    carrier: order.carrier ?? null,
    trackingId: order.trackingId ?? null,
    promisedBy: order.promisedBy ?? null,
    deliveredAt: order.deliveredAt ?? null,
    items: order.items ?? [],
    charge: charge
      ? {
          chargeId: charge.chargeId,
          amount: charge.amount,
          currency: charge.currency,
          remainder: charge.remainder,
        }
      : null,
  };
}

/** The case's billing errors (as its decision found them) that still have a remainder. */
function caseBillingErrorIds(record: EvidenceCase): string[] {
  const billing = record.receipt?.facts?.billing as
    | { billingErrors?: { chargeId: string }[] }
    | null
    | undefined;
  return (billing?.billingErrors ?? []).map((e) => e.chargeId);
}

/**
 * What `approve_refund` without `charges` would pay (POLICY v2): the case's billing errors' remainders, else the
 * remainder of its order's charge, else nothing (the agent names the charges).
 */
export function proposedRefund(
  record: EvidenceCase,
  charges: readonly ChargeEntry[],
  orderId: string | null,
) {
  const errorIds = new Set(caseBillingErrorIds(record));
  const errors = charges.filter((c) => errorIds.has(c.chargeId) && c.remainder > 0);
  const orderCharge = orderId
    ? charges.filter((c) => c.orderId === orderId && c.remainder > 0).slice(0, 1)
    : [];
  const [basis, chosen] =
    errors.length > 0
      ? (['billing_errors', errors] as const)
      : orderCharge.length > 0
        ? (['order_charge', orderCharge] as const)
        : (['none', []] as const);
  if (basis === 'none') return null;
  const lines = chosen.map((c) => ({ chargeId: c.chargeId, amount: c.remainder, currency: c.currency }));
  return { basis, charges: lines, totals: totalsByCurrency(lines) };
}

function otherCases(input: EvidenceInput) {
  return input.customerCases
    .filter((c) => c.caseId !== input.record.caseId)
    .sort((a, b) => toEpochMs(b.createdAt) - toEpochMs(a.createdAt) || b.caseId.localeCompare(a.caseId))
    .slice(0, OTHER_CASES_SHOWN)
    .map((c) => ({
      caseId: c.caseId,
      createdAt: c.createdAt,
      intent: c.intent ?? null,
      outcome: c.outcome ?? null,
      reason: c.reason ?? null,
      refundedTotals: (c.refundedTotals ?? []) as CurrencyTotal[],
    }));
}

function inTimeOrder(timeline: readonly TimelineEntry[]): TimelineEntry[] {
  return [...timeline].sort((a, b) => toEpochMs(a.at) - toEpochMs(b.at));
}

export function evidencePack(input: EvidenceInput, now: Date) {
  const { record, account } = input;
  const classification = record.classification;
  const timeline = chargeTimeline(account, input.ledger);
  const charges = timeline.filter((e): e is ChargeEntry => e.type === 'charge');
  const orderId = caseOrderId(record);
  const order = orderId ? account.orders.find((o) => o.id === orderId) : undefined;
  const phone = callbackNumber(record.callbackPhone, account.profile.phone);
  const dispatchedAt = record.dispatchedAt ?? null;
  return {
    caseId: record.caseId,
    customerId: record.customerId,
    status: record.status,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    queue: record.agentQueue ?? record.callback?.queue ?? record.handoffQueue ?? null,
    priority: record.callback?.priority ?? record.priority ?? null,
    escalations: record.escalations ?? 0,
    claimedBy: record.claimedBy ?? null,
    dispatchedAt,
    waitedSeconds: dispatchedAt
      ? Math.max(0, Math.floor((now.getTime() - toEpochMs(dispatchedAt)) / 1000))
      : null,
    /** Redacted at intake: no card numbers or passwords reach the table. */
    message: record.message,
    intent: record.intent ?? classification?.intent ?? null,
    confidence: classification?.confidence ?? null,
    markers: {
      frustrated: classification?.frustrated ?? false,
      urgent: classification?.urgent ?? false,
      humanRequested: classification?.humanRequested ?? false,
      classifiedIntent:
        (classification as { classifiedIntent?: string } | undefined)?.classifiedIntent ?? null,
    },
    outcome: record.outcome ?? null,
    rule: record.rule ?? record.receipt?.rule ?? null,
    reason: record.reason ?? record.receipt?.reason ?? null,
    receipt: record.receipt ?? null,
    charges: timeline,
    order: order ? orderView(order, charges) : null,
    proposedRefund: proposedRefund(record, charges, order?.id ?? null),
    otherCases: otherCases(input),
    contact: {
      callbackNumber: phone,
      mode: record.callback?.contact ?? record.contact ?? (phone ? 'call' : 'live_chat'),
    },
    refunds: input.ledger
      .filter((line) => line.caseId === record.caseId)
      .sort((a, b) => toEpochMs(a.at) - toEpochMs(b.at) || a.chargeId.localeCompare(b.chargeId))
      .map((line) => ({
        chargeId: line.chargeId,
        amount: line.amount,
        currency: line.currency,
        status: line.status,
        source: line.source,
        ...(line.providerRefundId ? { providerRefundId: line.providerRefundId } : {}),
      })),
    credits: input.credit
      ? [
          {
            amount: input.credit.amount,
            currency: input.credit.currency,
            status: input.credit.status,
            ...(input.credit.providerCreditId ? { providerCreditId: input.credit.providerCreditId } : {}),
          },
        ]
      : [],
    resolution: withoutToken(record.resolution),
    // A decision waiting for a second agent: what was decided and by whom (the workflow's token stays on the case).
    pendingApproval: withoutToken(record.pendingApproval),
    timeline: inTimeOrder(record.timeline ?? []),
  };
}

export type EvidencePack = ReturnType<typeof evidencePack>;
