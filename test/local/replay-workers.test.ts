/**
 * Replay with several worker processes (`--workers N`) decides the guardrails as one process does: the daily budget
 * (POLICY.md v2 rule 8) is one budget for the whole run, counted across workers, and a customer's refund velocity
 * (rule 7) comes out the same wherever the customer's cases run. Each run is the command line in a process of its own.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayCli } from './replay-cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'replay-workers-'));
const NOW = '2026-06-10T12:00:00Z';

interface Result {
  id: string;
  intent: string;
  outcome: string;
  reason: string;
  refundedAmount: number;
}

function writeScenarios(name: string, scenarios: readonly object[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${scenarios.map((s) => JSON.stringify(s)).join('\n')}\n`);
  return file;
}

/** A customer charged after cancelling: a billing error of `amount`, refunded automatically unless a guardrail stops it. */
function chargedAfterCancelling(
  id: string,
  customerId: string,
  amount: number,
  currency: string,
  extra: object = {},
) {
  return {
    id,
    now: NOW,
    customer: { id: customerId },
    subscriptions: [
      { id: 'S1', plan: 'music-monthly', status: 'cancelled', cancelledAt: '2026-06-01T00:00:00Z' },
    ],
    charges: [{ id: 'C1', subscriptionId: 'S1', amount, currency, chargedAt: '2026-06-05T08:00:00Z' }],
    message: 'I cancelled my music plan on the first and you charged me again on the fifth, please refund me',
    ...extra,
  };
}

async function replayFile(file: string, ...extra: string[]) {
  const { code, stdout, stderr } = await replayCli([file, '--no-progress', ...extra]);
  const results = stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Result);
  return { code, stderr, results };
}

function refundedByCurrency(results: readonly Result[], currencyOf: ReadonlyMap<string, string>) {
  const totals: Record<string, number> = {};
  for (const r of results) {
    const currency = currencyOf.get(r.id) ?? 'unknown';
    totals[currency] = (totals[currency] ?? 0) + r.refundedAmount;
  }
  return totals;
}

const count = (results: readonly Result[], reason: string) =>
  results.filter((r) => r.reason === reason).length;

describe('replay --workers 2 decides the guardrails as one process does', () => {
  it('counts one daily budget per currency across the workers: never more refunded than the budget, as with one worker', async () => {
    // Equal amounts per currency: whichever cases arrive first, exactly 3 USD and 2 EUR refunds fit. Two of each in
    // turn, so each currency's cases reach both workers.
    const budgets = { USD: 3500, EUR: 2000 };
    const scenarios = Array.from({ length: 20 }, (_, i) =>
      i % 4 < 2
        ? chargedAfterCancelling(`usd-${i}`, `U-${i}`, 1000, 'USD')
        : chargedAfterCancelling(`eur-${i}`, `E-${i}`, 700, 'EUR'),
    );
    const currencyOf = new Map(scenarios.map((s) => [s.id, s.charges[0]?.currency ?? '']));
    const file = writeScenarios('budget.jsonl', scenarios);
    const config = ['--config', `dailyAutoRefundBudgets=${JSON.stringify(budgets)}`];

    const one = await replayFile(file, ...config, '--workers', '1');
    const two = await replayFile(file, ...config, '--workers', '2');
    for (const run of [one, two]) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.results).toHaveLength(20);
      expect(run.results.every((r) => r.intent === 'billing_refund')).toBe(true);
      const totals = refundedByCurrency(run.results, currencyOf);
      expect(totals.USD).toBeLessThanOrEqual(budgets.USD);
      expect(totals.EUR).toBeLessThanOrEqual(budgets.EUR);
    }
    expect(refundedByCurrency(one.results, currencyOf)).toEqual({ USD: 3000, EUR: 1400 });
    expect(refundedByCurrency(two.results, currencyOf)).toEqual(refundedByCurrency(one.results, currencyOf));
    expect(count(two.results, 'budget_exceeded')).toBe(15);
    expect(count(two.results, 'budget_exceeded')).toBe(count(one.results, 'budget_exceeded'));
    expect(two.stderr).not.toContain('counted in each worker apart');
  }, 180_000);

  it("gives a customer's cases spread over the file the same velocity outcome as one worker (rule 7, ledger history)", async () => {
    const autoRefund = (chargeId: string, at: string) => ({
      chargeId,
      amount: 500,
      currency: 'USD',
      source: 'auto',
      at,
    });
    const history = (refunds: number) => ({
      charges: [
        { id: 'C1', subscriptionId: 'S1', amount: 1299, currency: 'USD', chargedAt: '2026-06-05T08:00:00Z' },
        ...Array.from({ length: refunds }, (_, i) => ({
          id: `H${i + 1}`,
          subscriptionId: 'S1',
          amount: 500,
          currency: 'USD',
          chargedAt: '2026-05-02T08:00:00Z',
        })),
      ],
      ledger: Array.from({ length: refunds }, (_, i) =>
        autoRefund(`H${i + 1}`, `2026-05-${20 + i}T09:00:00Z`),
      ),
    });
    const velocity = { outcome: 'human_handoff', reason: 'refund_velocity', refundedAmount: 0 };
    const refunded = { outcome: 'auto_refunded', reason: 'billing_error', refundedAmount: 1299 };
    // One customer's cases (three automatic refunds already, or two) between other customers' cases.
    const scenarios = Array.from({ length: 16 }, (_, i) => {
      if (i % 4 === 0)
        return chargedAfterCancelling(`v1-third-${i}`, 'V-1', 1299, 'USD', {
          ...history(2),
          expect: refunded,
        });
      if (i % 4 === 2)
        return chargedAfterCancelling(`v1-fourth-${i}`, 'V-1', 1299, 'USD', {
          ...history(3),
          expect: velocity,
        });
      return chargedAfterCancelling(`other-${i}`, `O-${i}`, 1299, 'USD', { expect: refunded });
    });
    const file = writeScenarios('velocity.jsonl', scenarios);

    const one = await replayFile(file, '--workers', '1');
    const two = await replayFile(file, '--workers', '2');
    expect(one.code, one.stderr).toBe(0);
    expect(two.code, two.stderr).toBe(0);
    expect(count(two.results, 'refund_velocity')).toBe(4);
    expect(two.results).toEqual(
      one.results.map((r) => expect.objectContaining({ id: r.id, outcome: r.outcome, reason: r.reason })),
    );
  }, 180_000);

  it('with --concurrency 1 runs the file in order whatever --workers says: the budget edge falls where the file puts it', async () => {
    const run = await replayFile('scenarios/guardrail-paths.jsonl', '--concurrency', '1', '--workers', '2');
    expect(run.code, run.stderr).toBe(0);
    expect(run.results.find((r) => r.id === 'budget-exceeded-by-the-next-case')).toMatchObject({
      reason: 'budget_exceeded',
    });
  }, 120_000);
});
