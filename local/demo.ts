/**
 * Demo customers for `npm start`: the example scenarios (../shared/scenarios/examples.jsonl beside
 * the repository, else the copy in local/demo-data.jsonl), seeded under their own customer ids so
 * each policy path can be tried by hand.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
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
