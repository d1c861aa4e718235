import { describe, expect, it } from 'vitest';
import { dateInWords, resolutionMessage } from '../../functions/record-outcome/resolution.js';

describe("the customer's message after an agent's decision", () => {
  it('names the refunded amount and the charge by its date, never its id or the internal note', () => {
    const message = resolutionMessage(
      {
        decision: 'approve_refund',
        currency: 'USD',
        note: 'INTERNAL: goodwill exception approved by lead',
        charges: [{ chargeId: 'CH-LAPTOP', amount: 129_900, chargedAt: '2026-03-15T10:00:00Z' }],
      },
      129_900,
    );

    expect(message.body).toContain('$1,299.00 for your charge of Mar 15, 2026');
    expect(message.body).not.toContain('CH-LAPTOP');
    expect(message.body).not.toContain('INTERNAL');
  });

  it('lists several charges by date, in time order', () => {
    const message = resolutionMessage(
      {
        decision: 'approve_refund',
        currency: 'USD',
        charges: [
          { chargeId: 'CH-2', amount: 1499, chargedAt: '2026-04-15T08:00:00Z' },
          { chargeId: 'CH-1', amount: 1499, chargedAt: '2026-03-15T08:00:00Z' },
        ],
      },
      2998,
    );

    expect(message.body).toContain('for your charges of Mar 15, 2026 and Apr 15, 2026');
  });

  it.each(['deny', 'resolve'] as const)(
    'a %s speaks with the agent customerMessage, never the note',
    (decision) => {
      const message = resolutionMessage(
        { decision, note: 'SECRET internal', customerMessage: 'We secured your account.' },
        0,
      );

      expect(message.body).toContain('We secured your account.');
      expect(message.body).not.toContain('SECRET');
    },
  );

  it('a resolve is not called a refusal', () => {
    expect(resolutionMessage({ decision: 'resolve', customerMessage: 'Done.' }, 0).body).not.toContain(
      'could not approve',
    );
  });

  it('dates are UTC dates', () => {
    expect(dateInWords('2026-03-15T23:30:00-05:00')).toBe('Mar 16, 2026');
  });
});
