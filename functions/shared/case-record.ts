/**
 * The case record: what the customer API shows and what replay reports.
 * Keys and attribute names live here so every step writes the same shape.
 */
import type { Classification, Intent, MinorUnits, Outcome, Priority, TeamQueue } from './types.js';

/** The cases table's index of a customer's cases by `createdAt`. */
export const CASES_BY_CUSTOMER_INDEX = 'byCustomer';
/** The cases table's index by status and last update: how the sweeper finds open cases. */
export const CASES_BY_STATUS_INDEX = 'byStatus';
/**
 * The cases table's sparse index of the cases agents work on: partition `agentQueue` (the current handoff's team
 * queue), sort `agentRank` (`<0|1|2>#<dispatchedAt>`: most urgent, then longest waiting). Set on every dispatch,
 * removed when the case is resolved.
 */
export const CASES_BY_AGENT_QUEUE_INDEX = 'byAgentQueue';

/**
 * The key (`caseId`) of a queue's record of recent claims in the cases table: `QUEUE#<queue>`. Never a case id (those
 * are `case-<32 hex>`, the only ones the API accepts) and in no index (it has no status, customer or agent queue).
 */
export const queueClaimsKey = (queue: string): string => `QUEUE#${queue}`;

export type CaseStatus =
  | 'received'
  | 'awaiting_agent'
  | 'claimed'
  | 'awaiting_second_approval'
  | 'resolved'
  | 'needs_attention';

export interface TimelineEntry {
  readonly at: string;
  readonly step: string;
  readonly detail?: string;
}

/** The decision the state machine reached (set by its Pass states) and why. */
export interface Decision {
  readonly outcome: Outcome;
  /** POLICY.md decision row; 0 for a system error routed to a person. */
  readonly rule: number;
  readonly reason: string;
  readonly queue?: TeamQueue | null;
  readonly priority?: Priority | null;
  readonly callbackOffered?: boolean;
}

export interface Receipt {
  readonly rule: number;
  readonly reason: string;
  readonly facts: Record<string, unknown>;
  readonly thresholds: Record<string, unknown>;
}

/**
 * The customer's "Call Me Now" on an answered case: a second execution of the workflow for the case
 * (`<caseId>-callback`). Written on the case before that execution starts, so the sweeper knows
 * which execution the case waits on and can start it again with the same input.
 */
export interface CallbackFollowUp {
  /** `callback`: the customer asked for a call; `refund_failed`: the provider failed a refund after the case was answered. */
  readonly kind: 'callback' | 'refund_failed';
  readonly executionName: string;
  readonly intent: Intent;
  readonly callbackPhone: string | null;
}

export interface CaseRecord {
  readonly caseId: string;
  readonly customerId: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly status: CaseStatus;
  readonly message: string;
  readonly orderId: string | null;
  readonly callbackPhone: string | null;
  /** Hash of the request body, to tell a retried request from a different one with the same key. */
  readonly requestFingerprint: string;
  readonly requestedAt: string;
  readonly intent?: Intent;
  readonly classification?: Classification;
  readonly outcome?: Outcome;
  readonly reason?: string;
  readonly rule?: number;
  readonly handoffQueue?: TeamQueue | null;
  readonly priority?: Priority | null;
  readonly refundedChargeIds?: string[];
  /** Null only for a refund in more than one currency (never made by the workflow; see `refundedTotals`). */
  readonly refundedAmount?: MinorUnits | null;
  readonly currency?: string | null;
  readonly callbackOffered?: boolean;
  readonly receipt?: Receipt;
  readonly timeline: TimelineEntry[];
  /** Step Functions task token of the wait for an agent: stored here, never sent anywhere. */
  readonly taskToken?: string;
  readonly escalations?: number;
  readonly resolution?: Record<string, unknown>;
  /** The agent who claimed the waiting case (status `claimed`), and when. */
  readonly claimedBy?: string;
  readonly claimedAt?: string;
  /** A decision over the dual-approval threshold, waiting for a second agent (status `awaiting_second_approval`). */
  readonly pendingApproval?: PendingApproval;
  /** The customer's "Call Me Now" follow-up of an answered case: its own handoff, beside the case's outcome. */
  readonly callback?: {
    readonly outcome: Outcome;
    readonly rule: number;
    readonly reason: string;
    readonly queue: TeamQueue;
    readonly priority: Priority;
    readonly contact: 'call' | 'live_chat';
    readonly dispatchedAt: string;
  };
  /** When the customer asked for that callback (set once, however often the request is repeated). */
  readonly callbackRequestedAt?: string;
  /** A refund per currency (POLICY "Data"); `refundedAmount`/`currency` are its single-currency view. */
  readonly refundedTotals?: { readonly currency: string; readonly amount: MinorUnits }[];
  /** Set once a callback follow-up is requested: the case then waits on that execution, not its first. */
  readonly followUp?: CallbackFollowUp;
  /** How many times the sweeper started the case's execution again (bounded, then needs_attention). */
  readonly sweeperStarts?: number;
  /** The last message the customer was sent about the case: the same subject and body as in the message center. */
  readonly answer?: { readonly subject: string; readonly body: string };
  /** Roughly how long until the team calls or chats, as the handoff message said (minutes). */
  readonly estimatedWaitMinutes?: number;
}

/** What the first agent decided, as it will be sent to the workflow once a second agent confirms it. */
export interface PendingApproval {
  readonly decision: Record<string, unknown>;
  readonly agentId: string;
  readonly at: string;
  /** The wait it was decided on: a re-dispatch (new token) makes it stale. */
  readonly taskToken: string;
}

/** Where the case's money is, from the ledger and the credits table (the truth, whatever the record says). */
export interface CaseMoney {
  readonly refunds: readonly {
    readonly chargeId: string;
    readonly amount: MinorUnits;
    readonly currency: string;
    readonly status: string;
    readonly providerRefundId?: string;
  }[];
  readonly credits: readonly {
    readonly amount: MinorUnits;
    readonly currency: string;
    readonly status: string;
    readonly providerCreditId?: string;
  }[];
}

/** Fields of the record the customer may see (never the task token or the fingerprint). */
export function publicView(record: CaseRecord, money: CaseMoney = { refunds: [], credits: [] }) {
  return {
    caseId: record.caseId,
    status: record.status,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    intent: record.intent ?? null,
    outcome: record.outcome ?? null,
    reason: record.reason ?? null,
    handoffQueue: record.handoffQueue ?? null,
    refundedChargeIds: record.refundedChargeIds ?? [],
    refundedAmount: record.refundedAmount === undefined ? 0 : record.refundedAmount,
    refundedTotals: record.refundedTotals ?? [],
    currency: record.currency ?? null,
    refunds: money.refunds,
    credits: money.credits,
    callbackOffered: record.callbackOffered ?? false,
    answer: record.answer ?? null,
    estimatedWaitMinutes: record.estimatedWaitMinutes ?? null,
    callback: record.callback ? { queue: record.callback.queue, contact: record.callback.contact } : null,
    // What the agent decided, without who (an internal identity), the internal note or the workflow plumbing.
    resolution: record.resolution
      ? {
          decision: record.resolution.decision ?? null,
          amount: record.resolution.amount ?? null,
          currency: record.resolution.currency ?? null,
          customerMessage: record.resolution.customerMessage ?? null,
          resolvedAt: record.resolution.resolvedAt ?? null,
        }
      : null,
    timeline: record.timeline,
  };
}
