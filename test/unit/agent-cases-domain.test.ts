/** The agents' queue view (pure): the query string, the index's order and paging with a status filter, waited/SLA, atStake. */
import { describe, expect, it } from 'vitest';
import {
  agentIndexFields,
  agentRank,
  atStake,
  decodeNextToken,
  encodeNextToken,
  listQueue,
  parseListQuery,
  type QueuedCase,
  type QueueKey,
  type QueuePage,
  queueItem,
} from '../../functions/agent-cases/domain.js';

const hex = (n: number) => n.toString(16).padStart(32, '0');

function queued(
  n: number,
  priority: 'urgent' | 'high' | 'normal',
  dispatchedAt: string,
  extra: Partial<QueuedCase> = {},
): QueuedCase {
  return {
    caseId: `case-${hex(n)}`,
    agentQueue: 'billing',
    agentRank: agentRank(priority, dispatchedAt),
    status: 'awaiting_agent',
    dispatchedAt,
    reason: 'high_value',
    intent: 'billing_refund',
    escalations: 0,
    message: `case ${n}`,
    receipt: { facts: {}, thresholds: { callbackSlaSeconds: 300 } },
    ...extra,
  };
}

/**
 * A stand-in for the index: items sorted by `agentRank` (then caseId, as DynamoDB orders equal sort keys by the
 * table key), the status filter applied after reading `pageSize` items, as DynamoDB's Limit and FilterExpression do.
 */
function fakeIndex(all: readonly QueuedCase[], statuses: readonly string[], pageSize: number) {
  const sorted = [...all].sort(
    (a, b) => a.agentRank.localeCompare(b.agentRank) || a.caseId.localeCompare(b.caseId),
  );
  const reads: (QueueKey | undefined)[] = [];
  const readPage = async (startKey: QueueKey | undefined): Promise<QueuePage> => {
    reads.push(startKey);
    const from = startKey ? sorted.findIndex((c) => c.caseId === startKey.caseId) + 1 : 0;
    const evaluated = sorted.slice(from, from + pageSize);
    const last = evaluated[evaluated.length - 1];
    const more = from + pageSize < sorted.length;
    return {
      items: evaluated.filter((c) => statuses.includes(c.status)),
      lastKey:
        more && last
          ? { caseId: last.caseId, agentQueue: last.agentQueue, agentRank: last.agentRank }
          : undefined,
    };
  };
  return { readPage, reads };
}

const NOW = new Date('2026-03-20T12:10:00.000Z');

describe('parseListQuery', () => {
  it('needs a known queue', () => {
    expect(parseListQuery({})).toMatchObject({ ok: false, message: expect.stringContaining('queue') });
    expect(parseListQuery({ queue: 'sales' })).toMatchObject({ ok: false });
    expect(parseListQuery({ queue: 'billing' })).toEqual({
      ok: true,
      value: {
        queue: 'billing',
        statuses: ['awaiting_agent', 'claimed', 'needs_attention', 'awaiting_second_approval'],
        limit: 25,
        startKey: undefined,
      },
    });
  });

  it('takes one or several statuses, and refuses an unknown one by name', () => {
    expect(parseListQuery({ queue: 'security', status: 'claimed,needs_attention' })).toMatchObject({
      ok: true,
      value: { statuses: ['claimed', 'needs_attention'] },
    });
    expect(parseListQuery({ queue: 'security', status: 'claimed,resolved' })).toMatchObject({
      ok: false,
      message: expect.stringContaining('"resolved"'),
    });
    expect(parseListQuery({ queue: 'security', status: '' })).toMatchObject({ ok: false });
  });

  it.each(['0', '101', '2.5', '-1', 'ten', ''])('refuses limit=%j', (limit) => {
    expect(parseListQuery({ queue: 'general', limit })).toMatchObject({
      ok: false,
      message: expect.stringContaining('limit'),
    });
  });

  it('accepts limits 1 to 100', () => {
    expect(parseListQuery({ queue: 'general', limit: '1' })).toMatchObject({ ok: true, value: { limit: 1 } });
    expect(parseListQuery({ queue: 'general', limit: '100' })).toMatchObject({
      ok: true,
      value: { limit: 100 },
    });
  });
});

describe('nextToken', () => {
  const key = { caseId: `case-${hex(7)}`, agentQueue: 'billing', agentRank: '1#2026-03-20T12:00:00.000Z' };

  it('round-trips the last key', () => {
    expect(decodeNextToken(encodeNextToken(key), 'billing')).toEqual(key);
  });

  it.each([
    ['not base64url', '%%%'],
    ['not JSON', Buffer.from('hello').toString('base64url')],
    ['an array', Buffer.from('[1]').toString('base64url')],
    ['an extra field', Buffer.from(JSON.stringify({ ...key, status: 'x' })).toString('base64url')],
    [
      'a missing field',
      Buffer.from(JSON.stringify({ caseId: key.caseId, agentQueue: 'billing' })).toString('base64url'),
    ],
    ['a bad case id', Buffer.from(JSON.stringify({ ...key, caseId: 'case-1' })).toString('base64url')],
    ['a bad rank', Buffer.from(JSON.stringify({ ...key, agentRank: '9#x' })).toString('base64url')],
  ])('refuses %s', (_what, token) => {
    expect(decodeNextToken(token, 'billing')).toBeUndefined();
  });

  it("refuses another queue's token (it would page a different partition)", () => {
    expect(decodeNextToken(encodeNextToken(key), 'delivery')).toBeUndefined();
    expect(parseListQuery({ queue: 'delivery', nextToken: encodeNextToken(key) })).toMatchObject({
      ok: false,
      message: expect.stringContaining('nextToken'),
    });
  });
});

describe('agentRank', () => {
  it('sorts urgent, then high, then normal, each longest waiting first', () => {
    const ranks = [
      agentRank('normal', '2026-03-20T09:00:00.000Z'),
      agentRank('urgent', '2026-03-20T11:00:00.000Z'),
      agentRank('high', '2026-03-20T10:00:00.000Z'),
      agentRank('urgent', '2026-03-20T08:00:00.000Z'),
    ].sort();
    expect(ranks).toEqual([
      '0#2026-03-20T08:00:00.000Z',
      '0#2026-03-20T11:00:00.000Z',
      '1#2026-03-20T10:00:00.000Z',
      '2#2026-03-20T09:00:00.000Z',
    ]);
    expect(agentIndexFields('delivery', 'high', '2026-03-20T10:00:00.000Z')).toEqual({
      agentQueue: 'delivery',
      agentRank: '1#2026-03-20T10:00:00.000Z',
      dispatchedAt: '2026-03-20T10:00:00.000Z',
    });
  });
});

describe('listQueue: paging with a status filter', () => {
  // 12 cases; every third one is claimed. The listing asks for awaiting_agent only.
  const all = Array.from({ length: 12 }, (_, i) =>
    queued(
      i + 1,
      i < 4 ? 'urgent' : 'normal',
      new Date(Date.parse('2026-03-20T10:00:00.000Z') + i * 60_000).toISOString(),
      {
        status: i % 3 === 2 ? 'claimed' : 'awaiting_agent',
      },
    ),
  );
  const expected = all.filter((c) => c.status === 'awaiting_agent').map((c) => c.caseId);

  it.each([1, 3, 5, 100])(
    'reads every matching case exactly once across pages (index page size %i)',
    async (pageSize) => {
      const query = parseListQuery({ queue: 'billing', status: 'awaiting_agent', limit: '3' });
      if (!query.ok) throw new Error(query.message);
      const seen: string[] = [];
      let startKey = query.value.startKey;
      for (let guard = 0; guard < 20; guard++) {
        const { readPage } = fakeIndex(all, query.value.statuses, pageSize);
        const page = await listQueue({ ...query.value, startKey }, readPage, NOW);
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.items.map((item) => item.caseId));
        if (!page.nextToken) break;
        startKey = decodeNextToken(page.nextToken, 'billing');
        expect(startKey).toBeDefined();
      }
      expect(seen).toEqual(expected);
    },
  );

  it('keeps reading pages while the filter leaves fewer than limit', async () => {
    const query = parseListQuery({ queue: 'billing', status: 'claimed', limit: '4' });
    if (!query.ok) throw new Error(query.message);
    const { readPage, reads } = fakeIndex(all, query.value.statuses, 2);
    const page = await listQueue(query.value, readPage, NOW);
    expect(page.items.map((i) => i.status)).toEqual(['claimed', 'claimed', 'claimed', 'claimed']);
    expect(reads.length).toBeGreaterThan(1);
    expect(page.nextToken).toBeNull();
  });

  it('ends with no token when the index is exhausted', async () => {
    const { readPage } = fakeIndex(all.slice(0, 2), ['awaiting_agent'], 10);
    const page = await listQueue(
      { queue: 'billing', statuses: ['awaiting_agent'], limit: 25, startKey: undefined },
      readPage,
      NOW,
    );
    expect(page.items).toHaveLength(2);
    expect(page.nextToken).toBeNull();
  });
});

describe('queueItem', () => {
  it('shows the wait and, while nobody is on it, the SLA deadline (injected clock)', () => {
    const item = queueItem(queued(1, 'high', '2026-03-20T12:00:00.000Z'), NOW);
    expect(item).toMatchObject({
      priority: 'high',
      queue: 'billing',
      waitedSeconds: 600,
      slaDeadline: '2026-03-20T12:05:00.000Z',
      escalations: 0,
      claimedBy: null,
      reason: 'high_value',
      intent: 'billing_refund',
    });
  });

  it('has no SLA deadline once claimed, and names who claimed it', () => {
    const item = queueItem(
      queued(1, 'urgent', '2026-03-20T12:00:00.000Z', { status: 'claimed', claimedBy: 'agent-1' }),
      NOW,
    );
    expect(item).toMatchObject({
      priority: 'urgent',
      slaDeadline: null,
      claimedBy: 'agent-1',
      status: 'claimed',
    });
  });

  it('previews the first 200 characters of the (redacted) message', () => {
    const item = queueItem(
      queued(1, 'normal', '2026-03-20T12:00:00.000Z', { message: 'x'.repeat(500) }),
      NOW,
    );
    expect(item.message).toHaveLength(200);
  });
});

describe('atStake', () => {
  it("is the billing errors' refundable totals per currency, never one sum across them", () => {
    const facts = {
      billing: {
        refundableTotals: [
          { currency: 'EUR', amount: 1299 },
          { currency: 'USD', amount: 1499 },
        ],
      },
      order: { found: false, total: 0, currency: null },
    };
    expect(atStake(facts)).toEqual([
      { currency: 'EUR', amount: 1299 },
      { currency: 'USD', amount: 1499 },
    ]);
  });

  it("else the order's total when an order was found", () => {
    expect(
      atStake({ billing: { refundableTotals: [] }, order: { found: true, total: 129900, currency: 'USD' } }),
    ).toEqual([{ currency: 'USD', amount: 129900 }]);
  });

  it('else nothing (a security case)', () => {
    expect(
      atStake({ billing: { refundableTotals: [] }, order: { found: false, total: 0, currency: '' } }),
    ).toEqual([]);
    expect(atStake(undefined)).toEqual([]);
  });
});
