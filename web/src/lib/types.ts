/**
 * The API's shapes, from the functions that produce them (never copied by hand): a change there is a type error here.
 */

import type { QueueItem } from '../../../functions/agent-cases/domain.js';
import type { ChargeTimelineEntry, EvidencePack } from '../../../functions/agent-cases/evidence.js';
import type { AgentDecision, ResolutionRequest } from '../../../functions/agent-resolution/domain.js';
import type { OrderLine, OrderSummary } from '../../../functions/list-orders/domain.js';
import type { publicView as returnView } from '../../../functions/returns-core/domain.js';
import type { CaseRecord, publicView } from '../../../functions/shared/case-record.js';
import type { CustomerMessage } from '../../../functions/shared/messages.js';
import type { CurrencyTotal } from '../../../functions/shared/money.js';
import type { TeamQueue } from '../../../functions/shared/types.js';
import type { Suggestion } from '../../../functions/suggestions/domain.js';

export type {
  AgentDecision,
  ChargeTimelineEntry,
  CurrencyTotal,
  EvidencePack,
  OrderLine,
  OrderSummary,
  QueueItem,
  ResolutionRequest,
  Suggestion,
  TeamQueue,
};

/** GET /v1/support-requests/{caseId} (with the handoff's `estimatedWaitMinutes`, POLICY v2 "Answers"). */
export type CaseView = ReturnType<typeof publicView>;

/** One row of GET /v1/support-requests (functions/list-cases/handler.ts `summary`). */
export type CaseSummary = Pick<CaseRecord, 'caseId' | 'status' | 'createdAt' | 'updatedAt' | 'message'> &
  Pick<CaseView, 'intent' | 'outcome' | 'reason' | 'handoffQueue' | 'refundedTotals'>;

/** One message of GET /v1/messages. */
export type MessageItem = CustomerMessage & { readonly sentAt: string };

export interface QueuePage {
  readonly queue: TeamQueue;
  readonly items: readonly QueueItem[];
  readonly nextToken: string | null;
}

/** The error body every 4xx of the API carries. */
export interface ApiErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}

/** The charge rows of the evidence pack's time line (the other rows are cancellation markers). */
export type ChargeRow = Extract<ChargeTimelineEntry, { type: 'charge' }>;
export type CancellationRow = Extract<ChargeTimelineEntry, { type: 'cancellation_effective' }>;

/** GET /v1/returns/{returnId}, and each item of GET /v1/returns (functions/returns-core/domain.ts `publicView`). */
export type ReturnView = ReturnType<typeof returnView>;
export type { ReturnReason, ReturnStatus } from '../../../functions/returns-core/domain.js';
export type { ReturnRejection } from '../../../functions/shared/return-eligibility.js';

/** One item of GET /v1/agent/returns (functions/returns-inspection/list-handler.ts). */
export type AgentReturnItem = ReturnView & {
  readonly customerId: string;
  readonly queue: TeamQueue;
  readonly attentionReason: string | null;
};

/** GET /v1/orders (functions/list-orders/handler.ts): a page of the caller's orders, newest first. */
export interface OrderPageView {
  readonly orders: readonly OrderSummary[];
  readonly nextToken: string | null;
}
