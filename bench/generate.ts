/**
 * A mixed batch of replay scenarios covering every POLICY.md path, from a seeded PRNG, each with
 * its `expect` (so the benchmark also checks the answers). Messages come from a fixed set whose
 * classification by the bundled model is known; `CLASSIFICATIONS` gives it to the no-op floor.
 *
 * The cases are spread over days (every instant of a case moved together, so its `expect` holds): a day takes cases
 * until its automatic refunds would pass half the default daily budget (rule 8), so no 24 hours ever pass the budget
 * and no case meant to be refunded meets `budget_exceeded`. Customers have varied tenure: most a `customerSince`
 * somewhere in the year before their case, the others only their history (what rule 6's
 * `approvalForCustomersNewerThanDays` reads; off by default, so `expect` does not depend on it).
 */

import { mulberry32 as prng } from '../classifier/lib/prng.js';
import type { Classification, Order } from '../functions/shared/types.js';
import { DEFAULT_DAILY_AUTO_REFUND_BUDGET } from '../lib/config.js';
import type { ScenarioInput } from '../local/scenario.js';

const c = (
  intent: Classification['intent'],
  confidence: number,
  markers: Partial<Pick<Classification, 'frustrated' | 'urgent' | 'humanRequested'>> = {},
): Classification => ({
  intent,
  confidence,
  frustrated: markers.frustrated ?? false,
  urgent: markers.urgent ?? false,
  humanRequested: markers.humanRequested ?? false,
});

const M = {
  refund: 'Subscription refund',
  refundAfterCancel: 'I was billed after I cancelled my membership, I want my money back',
  refundLast: 'I cancelled Prime, please refund my last payment',
  refundRenewed: 'You renewed my business plan after I cancelled it. Refund please.',
  refundDuplicate: 'You charged me twice for my subscription this month, please refund the duplicate',
  refundAngry: 'This is ridiculous, you charged me again after I cancelled! Refund me now',
  refundUrgent: 'I need a refund for the charge after my cancellation, urgently please',
  security: 'Someone logged into my account and changed my email address',
  unknownCharge: "There is a charge on my card I don't recognise",
  phishing: 'I got a phishing email pretending to be you',
  human: 'Talk to a representative',
  callRefund: 'Please call me about my refund',
  where: 'where is my package?',
  late: 'Where is my order? It was supposed to arrive days ago',
  delivered: 'Tracking says my laptop was delivered but it never arrived',
  lost: 'My package is lost',
  whereAngry: "Where is my order? This is so frustrating, it's been weeks!",
  whereUrgent: 'Where is my package? I need it urgently today',
  returns: "I want to return the shoes I bought, they don't fit",
  cancel: 'How do I cancel my subscription?',
  product: 'Does this blender work with 220V?',
  hello: 'Hello',
  gibberish: 'asdf qwerty',
} as const;

/** What the bundled classifier answers for each message (checked by the real runs' `expect`). */
export const CLASSIFICATIONS: Readonly<Record<string, Classification>> = {
  [M.refund]: c('billing_refund', 1),
  [M.refundAfterCancel]: c('billing_refund', 1),
  [M.refundLast]: c('billing_refund', 0.999),
  [M.refundRenewed]: c('billing_refund', 1),
  [M.refundDuplicate]: c('billing_refund', 1),
  [M.refundAngry]: c('billing_refund', 1, { frustrated: true }),
  [M.refundUrgent]: c('billing_refund', 1, { urgent: true }),
  [M.security]: c('account_security', 0.998),
  [M.unknownCharge]: c('account_security', 0.999),
  [M.phishing]: c('account_security', 0.998),
  [M.human]: c('human_agent', 1, { humanRequested: true }),
  [M.callRefund]: c('billing_refund', 0.996, { humanRequested: true }),
  [M.where]: c('order_tracking', 1),
  [M.late]: c('order_tracking', 1),
  [M.delivered]: c('order_tracking', 1),
  [M.lost]: c('order_tracking', 0.997),
  [M.whereAngry]: c('order_tracking', 0.99, { frustrated: true }),
  [M.whereUrgent]: c('order_tracking', 0.998, { urgent: true }),
  [M.returns]: c('return_request', 1),
  [M.cancel]: c('cancellation', 0.993),
  [M.product]: c('product_question', 0.991),
  [M.hello]: c('other', 0.974),
  [M.gibberish]: c('other', 0.436),
};

const NOW = '2026-03-20T12:00:00Z';
const HIGH_VALUE = 50_000;

type Build = (n: number, rand: () => number) => Omit<ScenarioInput, 'id'>;

const int = (rand: () => number, min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;

const cancelledSub = {
  id: 'SUB-1',
  plan: 'prime-monthly',
  status: 'cancelled',
  cancelledAt: '2026-02-14T10:00:00Z',
} as const;
const charge = (id: string, amount: number, chargedAt: string, refundedAmount?: number) => ({
  id,
  subscriptionId: 'SUB-1',
  amount,
  currency: 'USD',
  chargedAt,
  billingPeriodStart: `${chargedAt.slice(0, 10)}T00:00:00Z`,
  ...(refundedAmount !== undefined ? { refundedAmount } : {}),
});
const order = (total: number, status: Order['status'], extra: Record<string, string> = {}) => ({
  id: 'O-1',
  total,
  currency: 'USD',
  status,
  placedAt: '2026-03-10T09:00:00Z',
  promisedBy: '2026-03-14T23:59:00Z',
  ...extra,
});

/** Every path of POLICY.md's decision table, with its weight in the mix. */
export const PATHS: readonly { readonly name: string; readonly weight: number; readonly build: Build }[] = [
  {
    name: 'rule1 account_security',
    weight: 8,
    build: (_n, rand) => ({
      customer: { id: 'C-1', phone: '+12065550101' },
      message: pick(rand, [M.security, M.unknownCharge, M.phishing]),
      expect: { outcome: 'human_handoff', reason: 'account_security', handoffQueue: 'security' },
    }),
  },
  {
    name: 'rule2 customer_request (general)',
    weight: 5,
    build: () => ({
      customer: { id: 'C-1', phone: '+12065550102' },
      message: M.human,
      expect: { outcome: 'human_handoff', reason: 'customer_request', handoffQueue: 'general' },
    }),
  },
  {
    name: 'rule2 customer_request (billing)',
    weight: 4,
    build: () => ({
      customer: { id: 'C-1' },
      message: M.callRefund,
      callbackPhone: '+12065550103',
      expect: { outcome: 'human_handoff', reason: 'customer_request', handoffQueue: 'billing' },
    }),
  },
  {
    name: 'rule3 no_billing_error',
    weight: 8,
    build: (_n, rand) => ({
      customer: { id: 'C-1' },
      subscriptions: [{ ...cancelledSub, cancelledAt: '2026-03-18T10:00:00Z' }],
      charges: [charge('CH-1', int(rand, 500, 5000), '2026-03-15T08:00:00Z')],
      message: M.refundLast,
      expect: {
        outcome: 'no_refund_due',
        reason: 'no_billing_error',
        refundedChargeIds: [],
        refundedAmount: 0,
        callbackOffered: true,
      },
    }),
  },
  {
    name: 'rule3 already_refunded',
    weight: 5,
    build: (_n, rand) => {
      const amount = int(rand, 500, 5000);
      return {
        customer: { id: 'C-1' },
        subscriptions: [cancelledSub],
        charges: [charge('CH-2', amount, '2026-03-15T08:00:00Z', amount)],
        message: M.refund,
        expect: {
          outcome: 'no_refund_due',
          reason: 'already_refunded',
          refundedAmount: 0,
          callbackOffered: true,
        },
      };
    },
  },
  {
    name: 'rule4 high_value',
    weight: 6,
    build: (_n, rand) => ({
      customer: { id: 'C-1' },
      subscriptions: [{ ...cancelledSub, plan: 'business-annual' }],
      charges: [charge('CH-4', int(rand, HIGH_VALUE + 1, 150_000), '2026-03-01T00:00:00Z')],
      message: M.refundRenewed,
      expect: { outcome: 'human_handoff', reason: 'high_value', handoffQueue: 'billing', refundedAmount: 0 },
    }),
  },
  {
    name: 'rule5 auto_refunded after cancellation',
    weight: 14,
    build: (_n, rand) => {
      // The threshold itself is not "over $500": refunded automatically.
      const amount = rand() < 0.1 ? HIGH_VALUE : int(rand, 100, 20_000);
      return {
        customer: { id: 'C-1' },
        subscriptions: [cancelledSub],
        charges: [
          charge('CH-1', 1499, '2026-01-15T08:00:00Z'),
          charge('CH-2', amount, '2026-03-15T08:00:00Z'),
        ],
        message: pick(rand, [M.refund, M.refundAfterCancel]),
        expect: {
          outcome: 'auto_refunded',
          reason: 'billing_error',
          refundedChargeIds: ['CH-2'],
          refundedAmount: amount,
          callbackOffered: false,
        },
      };
    },
  },
  {
    name: 'rule5 auto_refunded duplicate',
    weight: 6,
    build: (_n, rand) => {
      const amount = int(rand, 100, 5000);
      return {
        customer: { id: 'C-1' },
        subscriptions: [{ id: 'SUB-1', plan: 'prime-monthly', status: 'active' }],
        charges: [
          charge('CH-A', amount, '2026-03-15T08:00:00Z'),
          charge('CH-B', amount, '2026-03-15T09:30:00Z'),
        ],
        message: M.refundDuplicate,
        expect: { outcome: 'auto_refunded', refundedChargeIds: ['CH-B'], refundedAmount: amount },
      };
    },
  },
  {
    name: 'rule5 auto_refunded, upset (callback offered)',
    weight: 6,
    build: (_n, rand) => {
      const amount = int(rand, 100, 20_000);
      return {
        customer: { id: 'C-1' },
        subscriptions: [cancelledSub],
        charges: [charge('CH-2', amount, '2026-03-15T08:00:00Z')],
        message: pick(rand, [M.refundAngry, M.refundUrgent]),
        expect: { outcome: 'auto_refunded', refundedAmount: amount, callbackOffered: true },
      };
    },
  },
  {
    name: 'rule6 high_value_delivery (delivered, lost, late)',
    weight: 8,
    build: (_n, rand) => {
      const total = int(rand, HIGH_VALUE + 1, 300_000);
      const variant = pick(rand, ['delivered', 'lost', 'late'] as const);
      return {
        customer: { id: 'C-1', phone: '+12065550107' },
        orders: [
          variant === 'delivered'
            ? order(total, 'delivered', { deliveredAt: '2026-03-14T15:02:00Z' })
            : variant === 'lost'
              ? order(total, 'lost')
              : order(total, 'shipped'),
        ],
        message: variant === 'delivered' ? M.delivered : variant === 'lost' ? M.lost : M.late,
        expect: { outcome: 'human_handoff', reason: 'high_value_delivery', handoffQueue: 'delivery' },
      };
    },
  },
  {
    name: 'rule7 sentiment',
    weight: 6,
    build: (_n, rand) => ({
      customer: { id: 'C-1' },
      orders: [order(int(rand, 500, 20_000), 'shipped', { promisedBy: '2026-03-25T23:59:00Z' })],
      message: pick(rand, [M.whereAngry, M.whereUrgent]),
      expect: { outcome: 'human_handoff', reason: 'sentiment', handoffQueue: 'delivery' },
    }),
  },
  {
    name: 'rule8 self_service order_tracking',
    weight: 8,
    build: (_n, rand) => {
      const variant = pick(rand, ['low', 'high-on-time', 'none'] as const);
      return {
        customer: { id: 'C-1' },
        orders:
          variant === 'none'
            ? []
            : [
                order(
                  variant === 'low' ? int(rand, 500, 20_000) : int(rand, HIGH_VALUE + 1, 200_000),
                  'shipped',
                  {
                    promisedBy: '2026-03-25T23:59:00Z',
                  },
                ),
              ],
        message: M.where,
        expect: { outcome: 'self_service', reason: 'order_tracking', handoffQueue: null },
      };
    },
  },
  {
    name: 'rule8 self_service other intents',
    weight: 10,
    build: (_n, rand) => {
      const [message, reason] = pick(rand, [
        [M.returns, 'return_request'],
        [M.cancel, 'cancellation'],
        [M.product, 'product_question'],
        [M.hello, 'other'],
      ] as const);
      return {
        customer: { id: 'C-1' },
        message,
        expect: { outcome: 'self_service', reason, handoffQueue: null, callbackOffered: false },
      };
    },
  },
  {
    name: 'low confidence counts as other',
    weight: 4,
    build: () => ({
      customer: { id: 'C-1' },
      message: M.gibberish,
      expect: { intent: 'other', outcome: 'self_service', reason: 'other' },
    }),
  },
];

const DAY_MS = 86_400_000;
/** A day's automatic refunds stay within half the daily budget: any 24 hours then see at most two days' worth. */
export const DAY_REFUND_LIMIT = DEFAULT_DAILY_AUTO_REFUND_BUDGET / 2;
/** At most this many cases on one day, whatever they refund. */
export const CASES_PER_DAY = 100;
/** A day's cases fall in its last 6 hours (before noon UTC), so a 24-hour window never reaches three days. */
const DAY_SPREAD_MS = 6 * 3_600_000;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** Every instant of a scenario (now, charges, orders, subscriptions, customerSince) moved by `ms`. */
function shifted<T>(value: T, ms: number): T {
  if (typeof value === 'string') return (INSTANT.test(value) ? iso(Date.parse(value) + ms) : value) as T;
  if (Array.isArray(value)) return value.map((v) => shifted(v, ms)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, k === 'message' ? v : shifted(v, ms)]),
    ) as T;
  return value;
}

/** The earliest instant a scenario's account shows (its charges, orders and subscriptions), if any. */
function earliestHistory(s: Omit<ScenarioInput, 'id'>): number | null {
  const instants = [
    ...(s.charges ?? []).map((ch) => ch.chargedAt),
    ...(s.orders ?? []).map((o) => o.placedAt),
    ...(s.subscriptions ?? []).flatMap((sub) => [sub.cancelledAt, sub.cancellationEffectiveAt]),
  ].filter((at): at is string => typeof at === 'string');
  return instants.length === 0 ? null : Math.min(...instants.map((at) => Date.parse(at)));
}

/** The refund a scenario expects to be made at once (0 when it expects none). */
function expectedAutoRefund(s: Omit<ScenarioInput, 'id'>): number {
  return s.expect?.outcome === 'auto_refunded' ? (s.expect.refundedAmount ?? 0) : 0;
}

/** `count` scenarios, every path present, mixed by weight, spread over days ending at NOW, reproducible from `seed`. */
export function generateScenarios(count: number, seed = 42): ScenarioInput[] {
  const built = pickScenarios(count, seed);
  // Days in file order (the replay runs the file in order); then the last day is the one of NOW.
  const days: number[] = [];
  let day = 0;
  let onDay = 0;
  let refundedOnDay = 0;
  for (const s of built) {
    const refund = expectedAutoRefund(s);
    if (onDay >= CASES_PER_DAY || refundedOnDay + refund > DAY_REFUND_LIMIT) {
      day += 1;
      onDay = 0;
      refundedOnDay = 0;
    }
    onDay += 1;
    refundedOnDay += refund;
    days.push(day);
  }
  // A PRNG of its own for the clock and the tenure: the mix of paths is the one `seed` always gave.
  const rand = prng(seed + 1);
  return built.map((s, n) => {
    const offset = -((day - (days[n] ?? 0)) * DAY_MS) - Math.floor(rand() * (DAY_SPREAD_MS / 1000)) * 1000;
    const moved = shifted(s, offset);
    const first = earliestHistory(moved);
    const now = Date.parse(NOW) + offset;
    // Three in four customers have a customerSince in the year before the case (not after their first charge or order).
    const since = now - Math.floor(rand() * 365 * 86_400) * 1000;
    const customerSince = rand() < 0.75 ? iso(Math.min(since, first ?? since)) : undefined;
    return {
      id: `bench-${String(n).padStart(6, '0')}`,
      ...moved,
      now: iso(now),
      customer: { ...moved.customer, ...(customerSince ? { customerSince } : {}) },
    };
  });
}

/** The scenarios as every path builds them on NOW, mixed by weight. */
function pickScenarios(count: number, seed: number): Omit<ScenarioInput, 'id'>[] {
  const rand = prng(seed);
  const totalWeight = PATHS.reduce((sum, p) => sum + p.weight, 0);
  const scenarios: Omit<ScenarioInput, 'id'>[] = [];
  for (let n = 0; n < count; n += 1) {
    // The first round visits every path once; then by weight.
    let path = PATHS[n];
    if (!path) {
      let r = rand() * totalWeight;
      path =
        PATHS.find((p) => {
          r -= p.weight;
          return r < 0;
        }) ?? (PATHS[PATHS.length - 1] as (typeof PATHS)[number]);
    }
    scenarios.push({ now: NOW, ...path.build(n, rand) });
  }
  return scenarios;
}
