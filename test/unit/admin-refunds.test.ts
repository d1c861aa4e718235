import { describe, expect, it } from 'vitest';
import {
  creditLineOf,
  decodeCursor,
  encodeCursor,
  matches,
  parseQuery,
  refundLinesOf,
} from '../../functions/admin-refunds/domain.js';
import { decimalAmount, payoutCsv, totalsLine } from '../../scripts/refunds-export.js';

const CASE_A = `case-${'a'.repeat(32)}`;
const CASE_B = `case-${'b'.repeat(32)}`;

const ledgerItem = {
  customerId: 'C-1',
  chargeId: 'CH-1',
  refundedTotal: 1499,
  currency: 'USD',
  autoRefundCaseId: CASE_A,
  updatedAt: '2026-03-20T12:00:00Z',
  // Written before issue 13: no status, provider or key.
  [`case:${CASE_A}`]: { amount: 999, source: 'auto', at: '2026-03-20T12:00:00Z' },
  [`case:${CASE_B}`]: {
    amount: 500,
    source: 'agent',
    at: '2026-03-21T09:00:00-08:00',
    status: 'failed',
    provider: 'stripe',
    idempotencyKey: 'k-b',
    attempt: 1,
    providerRefundId: 're_1',
    failureReason: 'expired_or_canceled_card',
    updatedAt: '2026-03-21T18:00:00Z',
  },
};

describe('refund lines of a ledger item', () => {
  it('reads one line per case attribute, an older line as a succeeded ledger refund with its derived key', () => {
    const lines = refundLinesOf(ledgerItem);
    expect(lines).toEqual([
      {
        kind: 'refund',
        customerId: 'C-1',
        chargeId: 'CH-1',
        caseId: CASE_A,
        currency: 'USD',
        amount: 999,
        source: 'auto',
        at: '2026-03-20T12:00:00Z',
        status: 'succeeded',
        provider: 'ledger',
        idempotencyKey: `refund-hub:refund:${CASE_A}:CH-1:999`,
      },
      {
        kind: 'refund',
        customerId: 'C-1',
        chargeId: 'CH-1',
        caseId: CASE_B,
        currency: 'USD',
        amount: 500,
        source: 'agent',
        at: '2026-03-21T09:00:00-08:00',
        status: 'failed',
        provider: 'stripe',
        idempotencyKey: 'k-b',
        providerRefundId: 're_1',
        failureReason: 'expired_or_canceled_card',
      },
    ]);
  });

  it('reads a credit item, with the case key when it has none', () => {
    expect(
      creditLineOf({
        customerId: 'C-1',
        caseId: CASE_A,
        amount: 500,
        currency: 'EUR',
        at: '2026-03-20T12:00:00Z',
      }),
    ).toMatchObject({
      kind: 'credit',
      status: 'succeeded',
      provider: 'ledger',
      idempotencyKey: `refund-hub:credit:${CASE_A}`,
    });
  });
});

describe('GET /admin/refunds query', () => {
  it('filters by provider, any of several statuses, and since (as instants, not strings)', () => {
    // Prepare
    const query = parseQuery({
      provider: 'stripe',
      status: 'failed,canceled',
      since: '2026-03-21T16:00:00Z',
    });
    if (!query.ok) throw new Error(query.message);
    const [older, newer] = refundLinesOf(ledgerItem) as [never, never];

    // Assess: 09:00-08:00 is 17:00Z, after 16:00Z although "2026-03-21T09" sorts before "2026-03-21T16".
    expect(matches(newer, query.filters)).toBe(true);
    expect(matches(older, query.filters)).toBe(false);
  });

  it.each([
    [{ provider: 'paypal' }, /^provider: must be one of ledger, stripe/],
    [{ status: 'done' }, /^status: done is not one of/],
    [{ since: '2026-03-21' }, /^since: must be an ISO-8601 instant with an offset/],
    [{ customer: 'C-1' }, /^customer: is not a known parameter/],
  ])('refuses %o', (params, message) => {
    const query = parseQuery(params);
    expect(query.ok).toBe(false);
    expect(!query.ok && query.message).toMatch(message);
  });

  it('pages through the ledger, then the credits, and refuses a token it did not make', () => {
    expect(decodeCursor(undefined)).toEqual({ table: 'ledger' });
    const token = encodeCursor({ table: 'credits', startKey: { customerId: 'C-1', caseId: CASE_A } });
    expect(decodeCursor(token)).toEqual({
      table: 'credits',
      startKey: { customerId: 'C-1', caseId: CASE_A },
    });
    expect(decodeCursor('not-a-token')).toBeNull();
    expect(decodeCursor(Buffer.from('{"table":"cases"}').toString('base64url'))).toBeNull();
  });
});

describe('refunds export', () => {
  it.each([
    [1499, 'USD', '14.99'],
    [5, 'USD', '0.05'],
    [0, 'EUR', '0.00'],
    [1499, 'JPY', '1499'],
    [12345, 'KWD', '12.345'],
    [9007199254740991, 'USD', '90071992547409.91'],
  ])('writes %i %s as %s, in the currency’s own digits', (minor, currency, decimal) => {
    expect(decimalAmount(minor, currency)).toBe(decimal);
  });

  it('writes one CSV row per line, oldest first, and totals per currency without adding across them', () => {
    const lines = refundLinesOf(ledgerItem);
    const credit = creditLineOf({
      customerId: 'C-1',
      caseId: CASE_B,
      amount: 250,
      currency: 'EUR',
      at: '2026-03-19T00:00:00Z',
    });
    const csv = payoutCsv(lines, [credit]).trimEnd().split('\n');
    expect(csv[1]).toBe(
      `credit,${CASE_B},C-1,,250,2.50,EUR,succeeded,2026-03-19T00:00:00Z,refund-hub:credit:${CASE_B}`,
    );
    expect(csv[2]).toBe(
      `refund,${CASE_A},C-1,CH-1,999,9.99,USD,succeeded,2026-03-20T12:00:00Z,refund-hub:refund:${CASE_A}:CH-1:999`,
    );
    expect(totalsLine([...lines, credit])).toBe('USD 14.99 (2 rows), EUR 2.50 (1 row)');
  });
});
