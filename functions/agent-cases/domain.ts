/**
 * The agents' queue view (GET /v1/agent/cases), from the cases table's `byAgentQueue` index. Pure: the
 * query string in, the index's pages read through an injected reader, the clock injected.
 */
import { toEpochMs } from '../shared/instants.js';
import type { CurrencyTotal } from '../shared/money.js';
import { type Priority, QUEUES, type TeamQueue } from '../shared/types.js';

/** Rank digits of the index's sort key: ascending is most urgent first. */
const RANK: Record<Priority, string> = { urgent: '0', high: '1', normal: '2' };
const PRIORITY_OF_RANK: Record<string, Priority> = { '0': 'urgent', '1': 'high', '2': 'normal' };

/** The index's sort key: `<rank>#<dispatchedAt>` (an escalation arrives here already `urgent`). */
export function agentRank(priority: Priority, dispatchedAt: string): string {
  return `${RANK[priority]}#${dispatchedAt}`;
}

/** The attributes request-human sets on every dispatch (first handoff and follow-up alike). */
export function agentIndexFields(queue: TeamQueue, priority: Priority, dispatchedAt: string) {
  return { agentQueue: queue, agentRank: agentRank(priority, dispatchedAt), dispatchedAt };
}

export const LISTED_STATUSES = [
  'awaiting_agent',
  'claimed',
  'needs_attention',
  'awaiting_second_approval',
] as const;
export type ListedStatus = (typeof LISTED_STATUSES)[number];

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 100;

/** The index key of one item (the table's key and the index's), as `nextToken` carries it. */
export interface QueueKey {
  readonly caseId: string;
  readonly agentQueue: string;
  readonly agentRank: string;
}

export interface ListQuery {
  readonly queue: TeamQueue;
  readonly statuses: readonly ListedStatus[];
  readonly limit: number;
  readonly startKey: QueueKey | undefined;
}

export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly message: string };

const CASE_ID = /^case-[0-9a-f]{32}$/;
const RANK_KEY = /^[012]#\d{4}-\d{2}-\d{2}T[0-9:.]+(Z|[+-]\d{2}:\d{2})$/;

export function encodeNextToken(key: QueueKey): string {
  return Buffer.from(
    JSON.stringify({ caseId: key.caseId, agentQueue: key.agentQueue, agentRank: key.agentRank }),
  ).toString('base64url');
}

/** The token as we wrote it, whole, for this queue; anything else is refused (never passed to DynamoDB). */
export function decodeNextToken(token: string, queue: TeamQueue): QueueKey | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const key = value as Record<string, unknown>;
  const names = Object.keys(key).sort().join(',');
  if (names !== 'agentQueue,agentRank,caseId') return undefined;
  const { caseId, agentQueue, agentRank } = key;
  if (typeof caseId !== 'string' || !CASE_ID.test(caseId)) return undefined;
  if (agentQueue !== queue) return undefined;
  if (typeof agentRank !== 'string' || !RANK_KEY.test(agentRank)) return undefined;
  // The round trip must give the same token back: no extra padding, no other encoding of the same key.
  const parsed = { caseId, agentQueue: queue, agentRank };
  return encodeNextToken(parsed) === token ? parsed : undefined;
}

/** The query string, checked whole: any bad parameter is a 400 that names it. */
export function parseListQuery(
  params: Record<string, string | undefined> | null | undefined,
): Parsed<ListQuery> {
  const q = params ?? {};
  const queue = q.queue;
  if (!queue || !(QUEUES as readonly string[]).includes(queue))
    return { ok: false, message: `queue: required, one of ${QUEUES.join(', ')}` };
  let statuses: ListedStatus[] = [...LISTED_STATUSES];
  if (q.status !== undefined) {
    const named = q.status.split(',').map((s) => s.trim());
    const unknown = named.find((s) => !(LISTED_STATUSES as readonly string[]).includes(s));
    if (unknown !== undefined)
      return { ok: false, message: `status: "${unknown}" is not one of ${LISTED_STATUSES.join(', ')}` };
    statuses = [...new Set(named as ListedStatus[])];
  }
  let limit = DEFAULT_LIMIT;
  if (q.limit !== undefined) {
    if (!/^\d{1,3}$/.test(q.limit) || Number(q.limit) < 1 || Number(q.limit) > MAX_LIMIT)
      return { ok: false, message: `limit: a whole number from 1 to ${MAX_LIMIT}` };
    limit = Number(q.limit);
  }
  let startKey: QueueKey | undefined;
  if (q.nextToken !== undefined) {
    startKey = decodeNextToken(q.nextToken, queue as TeamQueue);
    if (!startKey) return { ok: false, message: 'nextToken: not a token this list gave for this queue' };
  }
  return { ok: true, value: { queue: queue as TeamQueue, statuses, limit, startKey } };
}

/** A case as the index query returns it (the fields the list shows). */
export interface QueuedCase extends QueueKey {
  /** A CaseStatus; a plain string so the statuses the decisions add (claimed...) need no change here. */
  readonly status: string;
  readonly dispatchedAt?: string;
  readonly reason?: string;
  readonly intent?: string;
  readonly escalations?: number;
  readonly claimedBy?: string;
  readonly message?: string;
  readonly receipt?: {
    readonly facts?: Record<string, unknown>;
    readonly thresholds?: Record<string, unknown>;
  };
}

export interface QueuePage {
  readonly items: readonly QueuedCase[];
  readonly lastKey: QueueKey | undefined;
}

/**
 * Reads pages of the index (ascending, filtered on status by the reader) until `limit` items or the end. The
 * next token is the key of the last item returned when a page is cut short, else the page's own last key.
 */
export async function collectPage(
  readPage: (startKey: QueueKey | undefined) => Promise<QueuePage>,
  limit: number,
  startKey: QueueKey | undefined,
): Promise<{ items: QueuedCase[]; nextKey: QueueKey | undefined }> {
  const items: QueuedCase[] = [];
  let key = startKey;
  do {
    const page = await readPage(key);
    const room = limit - items.length;
    if (page.items.length > room) {
      items.push(...page.items.slice(0, room));
      const last = items[items.length - 1] as QueuedCase;
      return {
        items,
        nextKey: { caseId: last.caseId, agentQueue: last.agentQueue, agentRank: last.agentRank },
      };
    }
    items.push(...page.items);
    key = page.lastKey;
  } while (key && items.length < limit);
  return { items, nextKey: key };
}

/** The money at stake per currency: what is refundable of the billing errors, else the order's total. */
export function atStake(facts: Record<string, unknown> | undefined): CurrencyTotal[] {
  const billing = facts?.billing as { refundableTotals?: CurrencyTotal[] } | null | undefined;
  const refundable = (billing?.refundableTotals ?? []).filter((t) => t.amount > 0);
  if (refundable.length > 0) return refundable.map((t) => ({ currency: t.currency, amount: t.amount }));
  const order = facts?.order as
    | { found?: boolean; total?: number; currency?: string | null }
    | null
    | undefined;
  if (order?.found && order.currency && typeof order.total === 'number' && order.total > 0)
    return [{ currency: order.currency, amount: order.total }];
  return [];
}

export const MESSAGE_PREVIEW_LENGTH = 200;

export function queueItem(record: QueuedCase, now: Date) {
  const rank = record.agentRank.split('#', 1)[0] ?? '2';
  const dispatchedAt = record.dispatchedAt ?? record.agentRank.slice(rank.length + 1);
  const dispatchedMs = toEpochMs(dispatchedAt);
  const sla = record.receipt?.thresholds?.callbackSlaSeconds;
  return {
    caseId: record.caseId,
    status: record.status,
    priority: PRIORITY_OF_RANK[rank] ?? 'normal',
    reason: record.reason ?? null,
    intent: record.intent ?? null,
    queue: record.agentQueue,
    dispatchedAt,
    waitedSeconds: Math.max(0, Math.floor((now.getTime() - dispatchedMs) / 1000)),
    // The callback SLA runs only while nobody is on the case.
    slaDeadline:
      record.status === 'awaiting_agent' && typeof sla === 'number'
        ? new Date(dispatchedMs + sla * 1000).toISOString()
        : null,
    escalations: record.escalations ?? 0,
    claimedBy: record.claimedBy ?? null,
    atStake: atStake(record.receipt?.facts),
    message: (record.message ?? '').slice(0, MESSAGE_PREVIEW_LENGTH),
  };
}

export type QueueItem = ReturnType<typeof queueItem>;

/** The listed page: items in index order and the opaque token of the next page (null at the end). */
export async function listQueue(
  query: ListQuery,
  readPage: (startKey: QueueKey | undefined) => Promise<QueuePage>,
  now: Date,
): Promise<{ queue: TeamQueue; items: QueueItem[]; nextToken: string | null }> {
  const { items, nextKey } = await collectPage(readPage, query.limit, query.startKey);
  return {
    queue: query.queue,
    items: items.map((item) => queueItem(item, now)),
    nextToken: nextKey ? encodeNextToken(nextKey) : null,
  };
}
