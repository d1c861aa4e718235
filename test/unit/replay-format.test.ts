/**
 * POLICY.md "Replay format", field by field: what a line may leave out (and what it then means), what makes a line
 * unreadable (replay exits 2 naming the line, before anything runs), and which `expect` fields are checked.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  describeIssues,
  expectationSchema,
  isReturnLine,
  returnScenarioSchema,
  scenarioSchema,
} from '../../local/scenario.js';

const minimal = { id: 's1', customer: { id: 'C-1' }, message: 'where is my package?' };
const problem = (value: unknown) => {
  const parsed = scenarioSchema.safeParse(value);
  return parsed.success ? null : describeIssues(parsed.error);
};

describe('a message line', () => {
  it('needs only id, customer.id and message: the account lists default to empty, now and expect stay absent', () => {
    const parsed = scenarioSchema.parse(minimal);
    expect(parsed).toMatchObject({ subscriptions: [], charges: [], orders: [], ledger: [] });
    // No `now`: the scenario runs on the real clock (the runner passes no clock at all).
    expect(parsed.now).toBeUndefined();
    expect(parsed.expect).toBeUndefined();
    expect(parsed.orderId).toBeUndefined();
    expect(parsed.callbackPhone).toBeUndefined();
  });

  it('keeps an instant with its offset as written (compared as an instant later, never as a string)', () => {
    const parsed = scenarioSchema.parse({ ...minimal, now: '2026-02-14T23:30:00-08:00' });
    expect(parsed.now).toBe('2026-02-14T23:30:00-08:00');
  });

  it.each([
    [{ ...minimal, id: '' }, 'id:'],
    [{ id: 's1', message: 'hi' }, 'customer:'],
    [{ ...minimal, customer: {} }, 'customer.id:'],
    [{ id: 's1', customer: { id: 'C-1' } }, 'message:'],
    [{ ...minimal, message: '   ' }, 'message: must not be empty'],
    [{ ...minimal, now: '2026-03-20T12:00:00' }, 'now: expected an ISO-8601 instant with an offset'],
    [{ ...minimal, now: '20 March 2026' }, 'now:'],
  ])('refuses %j (%s)', (line, where) => {
    expect(problem(line)).toContain(where);
  });

  it('refuses money that is not integer minor units, a currency that is not ISO 4217, and refunds over the charge', () => {
    const charge = { id: 'CH-1', amount: 1499, currency: 'USD', chargedAt: '2026-03-15T08:00:00Z' };
    expect(problem({ ...minimal, charges: [charge] })).toBeNull();
    expect(problem({ ...minimal, charges: [{ ...charge, amount: 14.99 }] })).toContain(
      'charges.0.amount: expected integer',
    );
    expect(problem({ ...minimal, charges: [{ ...charge, amount: -1 }] })).toContain('charges.0.amount');
    expect(problem({ ...minimal, charges: [{ ...charge, currency: 'US$' }] })).toContain(
      'charges.0.currency',
    );
    expect(problem({ ...minimal, charges: [{ ...charge, refundedAmount: 1500 }] })).toContain(
      'refundedAmount cannot exceed amount',
    );
  });

  it('refuses a subscription or order state the policy does not name', () => {
    const subscription = { id: 'S1', plan: 'prime', status: 'paused' };
    expect(problem({ ...minimal, subscriptions: [subscription] })).toContain('subscriptions.0.status');
    const order = {
      id: 'O-1',
      total: 100,
      currency: 'USD',
      status: 'returned',
      placedAt: '2026-03-01T00:00:00Z',
    };
    expect(problem({ ...minimal, orders: [order] })).toContain('orders.0.status');
  });

  it('takes ledger history with a source of auto or agent only, at an instant', () => {
    const entry = {
      chargeId: 'CH-1',
      amount: 500,
      currency: 'USD',
      source: 'auto',
      at: '2026-03-16T10:00:00Z',
    };
    expect(problem({ ...minimal, ledger: [entry] })).toBeNull();
    expect(problem({ ...minimal, ledger: [{ ...entry, source: 'manual' }] })).toContain('ledger.0.source');
    expect(problem({ ...minimal, ledger: [{ ...entry, at: 'yesterday' }] })).toContain('ledger.0.at');
  });
});

describe('expect', () => {
  it('checks only the fields it has: every output field is optional', () => {
    expect(expectationSchema.parse({})).toEqual({});
    expect(expectationSchema.parse({ outcome: 'human_handoff', handoffQueue: null })).toEqual({
      outcome: 'human_handoff',
      handoffQueue: null,
    });
  });

  it('refuses a value no result can have (an outcome, intent or queue the policy does not name)', () => {
    expect(problem({ ...minimal, expect: { outcome: 'refunded' } })).toContain('expect.outcome');
    expect(problem({ ...minimal, expect: { intent: 'refund' } })).toContain('expect.intent');
    expect(problem({ ...minimal, expect: { handoffQueue: 'support' } })).toContain('expect.handoffQueue');
    expect(problem({ ...minimal, expect: { refundedAmount: '1499' } })).toContain('expect.refundedAmount');
  });
});

describe('a return line (`return` instead of `message`)', () => {
  const line = {
    id: 'r1',
    customer: { id: 'C-1' },
    return: { orderId: 'O-1', items: [{ sku: 'MUG-2', quantity: 1 }], reason: 'damaged' },
  };

  it('is told apart from a message line by `return` without `message`', () => {
    expect(isReturnLine(line)).toBe(true);
    expect(isReturnLine(minimal)).toBe(false);
    expect(isReturnLine({ ...minimal, return: line.return })).toBe(false);
    expect(isReturnLine(null)).toBe(false);
  });

  it('defaults carrierEvents, returns and the account lists to empty', () => {
    expect(returnScenarioSchema.parse(line)).toMatchObject({
      carrierEvents: [],
      returns: [],
      orders: [],
      charges: [],
      ledger: [],
    });
  });

  it('refuses a reason, carrier event or quantity the policy does not name', () => {
    const issue = (value: unknown) => {
      const parsed = returnScenarioSchema.safeParse(value);
      return parsed.success ? null : describeIssues(parsed.error);
    };
    expect(issue({ ...line, return: { ...line.return, reason: 'too_big' } })).toContain('return.reason');
    expect(issue({ ...line, return: { ...line.return, items: [] } })).toContain('return.items');
    expect(issue({ ...line, return: { ...line.return, items: [{ sku: 'MUG-2', quantity: 0 }] } })).toContain(
      'return.items.0.quantity',
    );
    expect(issue({ ...line, carrierEvents: [{ event: 'picked_up', at: '2026-03-21T09:30:00Z' }] })).toContain(
      'carrierEvents.0.event',
    );
  });
});

describe("the project's policy-conformance scenario files", () => {
  it.each(['scenarios/policy-conformance.jsonl', 'scenarios/policy-conformance-approve.jsonl'])(
    '%s: every line is readable, named pc-<rule>-..., unique, and says what it expects',
    (file) => {
      const lines = readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '');
      const ids = new Set<string>();
      for (const text of lines) {
        const value = JSON.parse(text) as unknown;
        const parsed = isReturnLine(value) ? returnScenarioSchema.parse(value) : scenarioSchema.parse(value);
        expect(parsed.id).toMatch(/^pc-[a-z0-9]+(-[a-z0-9]+)+$/);
        expect(ids.has(parsed.id)).toBe(false);
        ids.add(parsed.id);
        expect(Object.keys(parsed.expect ?? {}).length).toBeGreaterThan(0);
      }
      expect(ids.size).toBe(lines.length);
    },
  );
});
