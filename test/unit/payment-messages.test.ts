/** What the customer reads about a refund's provider status, and how the Stripe adapter sorts Stripe's errors. Pure. */
import { describe, expect, it } from 'vitest';
import { outcomeRecord } from '../../functions/record-outcome/domain.js';
import { resolutionMessage } from '../../functions/record-outcome/resolution.js';
import { isRetryable, refundStatusOf } from '../../functions/shared/payments/stripe.js';
import {
  failureInWords,
  refundConfirmedMessage,
  refundFailedMessage,
} from '../../functions/shared/refund-words.js';
import { caseState } from './case-state-fixtures.js';

const line = (status: 'pending' | 'succeeded' | 'failed', failureReason?: string) => ({
  chargeId: 'ch-1',
  amount: 1499,
  currency: 'USD',
  status,
  ...(failureReason ? { failureReason } : {}),
});

describe('the customer is told where the money is', () => {
  it('an automatic refund the provider has not settled yet is "issued", with a promise to say when it is confirmed', () => {
    const record = outcomeRecord(
      caseState({
        refund: {
          refundedChargeIds: ['ch-1'],
          refundedAmount: 1499,
          currency: 'USD',
          refunds: [line('pending')],
        },
      }),
    );
    expect(record.message.subject).toBe('Your refund has been issued');
    expect(record.message.body).toContain('issued a refund of $14.99');
    expect(record.message.body).toContain('when it is confirmed');
  });

  it('a settled automatic refund says it is on its way', () => {
    const record = outcomeRecord(
      caseState({
        refund: {
          refundedChargeIds: ['ch-1'],
          refundedAmount: 1499,
          currency: 'USD',
          refunds: [line('succeeded')],
        },
      }),
    );
    expect(record.message.subject).toBe('Your refund is on its way');
  });

  it('a refund the provider refused says so in words and that a person will pay it another way', () => {
    const record = outcomeRecord(
      caseState({
        decision: {
          outcome: 'human_handoff',
          rule: 9,
          reason: 'refund_failed',
          queue: 'billing',
          priority: 'high',
        },
        refund: {
          refundedChargeIds: [],
          refundedAmount: 0,
          refunds: [line('failed', 'charge_disputed')],
          failed: true,
        },
      }),
    );
    expect(record.fields).toMatchObject({
      status: 'awaiting_agent',
      handoffQueue: 'billing',
      reason: 'refund_failed',
    });
    expect(record.message.subject).toBe('Your refund could not be completed');
    expect(record.message.body).toContain('$14.99');
    expect(record.message.body).toContain('disputed with your bank');
    expect(record.message.body).not.toContain('charge_disputed');
  });

  it('confirmation and failure notices name the amount, never a provider code', () => {
    expect(refundConfirmedMessage({ amount: 4500, currency: 'EUR' }).body).toContain('€45.00');
    const failed = refundFailedMessage({
      amount: 4500,
      currency: 'JPY',
      failureReason: 'expired_or_canceled_card',
    });
    expect(failed.body).toContain('¥4,500');
    expect(failed.body).toContain('closed or has expired');
    expect(failureInWords('something_new')).toBe('the payment provider could not complete it');
  });

  it('a goodwill credit the provider could not book is not announced as added', () => {
    const message = resolutionMessage(
      { decision: 'goodwill_credit', amount: 2500, currency: 'USD' },
      0,
      'failed',
    );
    expect(message.body).toContain('could not book it');
    expect(
      resolutionMessage({ decision: 'goodwill_credit', amount: 2500, currency: 'USD' }, 0, 'succeeded').body,
    ).toContain('added a goodwill credit of $25.00');
  });
});

describe('Stripe errors: retry what may succeed, with the same key; the rest is final', () => {
  it.each([
    [{ type: 'StripeConnectionError' }, true],
    [{ type: 'StripeAPIError', statusCode: 500 }, true],
    [{ type: 'StripeRateLimitError', statusCode: 429 }, true],
    [{ type: 'StripeIdempotencyError', statusCode: 409, code: 'idempotency_key_in_use' }, true],
    [{ type: 'StripeAPIError', statusCode: 500, headers: { 'stripe-should-retry': 'false' } }, false],
    [{ type: 'StripeInvalidRequestError', statusCode: 400, code: 'charge_disputed' }, false],
    [{ type: 'StripeInvalidRequestError', statusCode: 400, code: 'amount_too_large' }, false],
    [
      { type: 'StripeInvalidRequestError', statusCode: 400, headers: { 'stripe-should-retry': 'true' } },
      true,
    ],
    [{ type: 'StripeAuthenticationError', statusCode: 401 }, false],
    [new Error('ETIMEDOUT'), true],
  ])('%j → retry %s', (error, retry) => {
    expect(isRetryable(error)).toBe(retry);
  });

  it('maps Stripe refund statuses; requires_action waits like pending', () => {
    expect(
      ['pending', 'requires_action', 'succeeded', 'failed', 'canceled', undefined].map(refundStatusOf),
    ).toEqual(['pending', 'pending', 'succeeded', 'failed', 'canceled', 'pending']);
  });
});
