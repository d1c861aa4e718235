/**
 * Demo customers for `npm start`: the example scenarios (../shared/scenarios/examples.jsonl beside
 * the repository, else the copy in local/demo-data.jsonl), seeded under their own customer ids so
 * each policy path can be tried by hand.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CustomerAccount } from '../functions/shared/accounts.js';
import { PROJECT_ROOT } from '../lib/paths.js';
import { seedAccount } from './cases.js';
import type { LocalRuntime } from './runtime.js';
import { accountOf, describeIssues, type Scenario, scenarioSchema } from './scenario.js';
import { accountWithStripe } from './stripe-emulator/index.js';

export const SHARED_EXAMPLES = path.join(PROJECT_ROOT, '..', 'shared', 'scenarios', 'examples.jsonl');
export const BUNDLED_EXAMPLES = path.join(PROJECT_ROOT, 'local', 'demo-data.jsonl');

export interface DemoCustomer {
  readonly customerId: string;
  readonly scenario: Scenario;
  /** One line: the path this customer exercises. */
  readonly description: string;
}

export function demoDataFile(): string {
  return existsSync(SHARED_EXAMPLES) ? SHARED_EXAMPLES : BUNDLED_EXAMPLES;
}

/** The demo customers, one per customer id (the first scenario that names it). */
export function loadDemoCustomers(file = demoDataFile()): DemoCustomer[] {
  const customers = new Map<string, DemoCustomer>();
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, index) => {
      if (text.trim() === '') return;
      const parsed = scenarioSchema.safeParse(JSON.parse(text));
      if (!parsed.success) throw new Error(`${file} line ${index + 1}: ${describeIssues(parsed.error)}`);
      const scenario = parsed.data;
      if (customers.has(scenario.customer.id)) return;
      customers.set(scenario.customer.id, {
        customerId: scenario.customer.id,
        scenario,
        description: describe(scenario),
      });
    });
  return [...customers.values()];
}

function describe(scenario: Scenario): string {
  const expect = scenario.expect ?? {};
  const path = expect.outcome
    ? `${expect.outcome}${expect.reason ? ` / ${expect.reason}` : ''}${expect.handoffQueue ? ` -> ${expect.handoffQueue} queue` : ''}`
    : 'try any message';
  return `${path} (${scenario.id})`;
}

export async function seedDemoCustomers(runtime: LocalRuntime, customers: readonly DemoCustomer[]) {
  // With paymentProvider=stripe the customers and their charges exist in the emulator too, under the same ids.
  await Promise.all(
    customers.map((c) =>
      seedAccount(runtime, accountWithStripe(runtime.stripe, accountOf(c.scenario, c.customerId))),
    ),
  );
}

const DAY_MS = 86_400_000;

/** The returns demo customer: the example scenarios' orders are from March 2026, long out of the return window. */
export const RETURNS_DEMO_CUSTOMER_ID = 'C-returns';
export const RETURNS_DEMO_DESCRIPTION =
  'returns: an order delivered 3 days before this start (the $599 chair is inspected, the mugs refunded at first scan)';

/** A customer whose order was delivered 3 days before `now`, so a return from the chat is in its window on any day. */
export function returnsDemoAccount(now: Date): CustomerAccount {
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  return {
    profile: { id: RETURNS_DEMO_CUSTOMER_ID, phone: '+12065550199' },
    subscriptions: [],
    charges: [{ id: 'CH-R-1', orderId: 'O-R-1', amount: 64_800, currency: 'USD', chargedAt: daysAgo(6) }],
    orders: [
      {
        id: 'O-R-1',
        total: 64_800,
        currency: 'USD',
        status: 'delivered',
        placedAt: daysAgo(6),
        deliveredAt: daysAgo(3),
        items: [
          { sku: 'SKU-CHAIR', name: 'Desk chair', quantity: 1, unitPrice: 59_900 },
          { sku: 'SKU-MUG', name: 'Mug', quantity: 2, unitPrice: 2_450 },
        ],
      },
    ],
  };
}

export async function seedReturnsDemoCustomer(runtime: LocalRuntime, now: Date) {
  await seedAccount(runtime, accountWithStripe(runtime.stripe, returnsDemoAccount(now)));
}
