/**
 * Demo customers for `npm start`: the example scenarios (../shared/scenarios/examples.jsonl beside
 * the repository, else the copy in local/demo-data.jsonl), seeded under their own customer ids so
 * each policy path can be tried by hand.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CustomerAccount } from '../functions/shared/accounts.js';
import type { Order, OrderItem } from '../functions/shared/types.js';
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
  'returns: six orders (one delivered 3 days before this start: the $599 chair is inspected, the mugs refunded at first scan; ' +
  'three more returnable, one not delivered yet, one out of its window)';

/**
 * A customer whose orders were delivered days before `now`, so a return from the chat is in its window on any day.
 * Four are returnable (the suggestions name three: the fourth is only in the order picker), one is on its way, one
 * is past its window; six orders take two pages of the picker.
 */
export function returnsDemoAccount(now: Date): CustomerAccount {
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  const delivered = (id: string, placed: number, deliveredDays: number, items: OrderItem[]): Order => ({
    id,
    total: items.reduce((sum, i) => sum + i.quantity * i.unitPrice, 0),
    currency: 'USD',
    status: 'delivered',
    placedAt: daysAgo(placed),
    deliveredAt: daysAgo(deliveredDays),
    carrier: 'UPS',
    trackingId: `1ZDEMO${id.replace(/\W/g, '')}`,
    items,
  });
  const orders: Order[] = [
    delivered('O-R-1', 6, 3, [
      { sku: 'SKU-CHAIR', name: 'Desk chair', quantity: 1, unitPrice: 59_900 },
      { sku: 'SKU-MUG', name: 'Mug', quantity: 2, unitPrice: 2_450 },
    ]),
    delivered('O-R-2', 9, 6, [{ sku: 'SKU-LAMP', name: 'Desk lamp', quantity: 1, unitPrice: 3_900 }]),
    delivered('O-R-3', 13, 10, [{ sku: 'SKU-PILLOW', name: 'Throw pillow', quantity: 2, unitPrice: 1_800 }]),
    delivered('O-R-4', 20, 16, [
      { sku: 'SKU-GRINDER', name: 'Coffee grinder', quantity: 1, unitPrice: 4_500 },
      { sku: 'SKU-GIFT', name: 'Gift card', quantity: 1, unitPrice: 2_500, finalSale: true },
    ]),
    {
      id: 'O-R-5',
      total: 1_200,
      currency: 'USD',
      status: 'shipped',
      placedAt: daysAgo(2),
      promisedBy: daysAgo(-3),
      carrier: 'UPS',
      trackingId: '1ZDEMOOR5',
      items: [{ sku: 'SKU-TEA', name: 'Tea sampler', quantity: 1, unitPrice: 1_200 }],
    },
    delivered('O-R-6', 50, 45, [{ sku: 'SKU-BLENDER', name: 'Blender', quantity: 1, unitPrice: 8_900 }]),
  ];
  return {
    profile: { id: RETURNS_DEMO_CUSTOMER_ID, phone: '+12065550199' },
    subscriptions: [],
    charges: orders.map((o, i) => ({
      id: `CH-R-${i + 1}`,
      orderId: o.id,
      amount: o.total,
      currency: o.currency,
      chargedAt: o.placedAt,
    })),
    orders,
  };
}

export async function seedReturnsDemoCustomer(runtime: LocalRuntime, now: Date) {
  await seedAccount(runtime, accountWithStripe(runtime.stripe, returnsDemoAccount(now)));
}
