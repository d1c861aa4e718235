/**
 * The benchmark's scenario generator: its cases are spread over days so that no 24 hours of expected automatic refunds
 * pass the default daily budget (rule 8), which would turn them into budget_exceeded and break their `expect`; each
 * case's instants move together; customers have varied tenure.
 */
import { describe, expect, it } from 'vitest';
import { CASES_PER_DAY, generateScenarios, PATHS } from '../../bench/generate.js';
import { DEFAULT_DAILY_AUTO_REFUND_BUDGET } from '../../lib/config.js';
import { scenarioSchema } from '../../local/scenario.js';

const DAY_MS = 86_400_000;
const scenarios = generateScenarios(3000);

describe('generateScenarios', () => {
  it('writes valid replay lines, every policy path present', () => {
    for (const s of scenarios) expect(scenarioSchema.safeParse(s).success).toBe(true);
    expect(new Set(scenarios.map((s) => s.id)).size).toBe(3000);
    expect(scenarios.length).toBeGreaterThanOrEqual(PATHS.length);
  });

  it('keeps the expected automatic refunds of any 24 hours within the default daily budget', () => {
    const refunds = scenarios
      .filter((s) => s.expect?.outcome === 'auto_refunded')
      .map((s) => ({ at: Date.parse(s.now ?? ''), amount: s.expect?.refundedAmount ?? 0 }));
    // Rule 8's window ends at each case's now: (now - 24 h, now].
    const worst = Math.max(
      ...refunds.map(({ at }) =>
        refunds.filter((r) => r.at <= at && r.at > at - DAY_MS).reduce((sum, r) => sum + r.amount, 0),
      ),
    );
    expect(worst).toBeLessThanOrEqual(DEFAULT_DAILY_AUTO_REFUND_BUDGET);
    // Spread, not piled on one day: at most CASES_PER_DAY cases share a date, over weeks.
    const perDay = new Map<string, number>();
    for (const s of scenarios)
      perDay.set(s.now?.slice(0, 10) ?? '', (perDay.get(s.now?.slice(0, 10) ?? '') ?? 0) + 1);
    expect(Math.max(...perDay.values())).toBeLessThanOrEqual(CASES_PER_DAY);
    expect(perDay.size).toBeGreaterThan(30);
    expect(scenarios.at(-1)?.now?.slice(0, 10)).toBe('2026-03-20');
  });

  it('moves every instant of a case with its now: a charge after cancellation stays 5 days before the case', () => {
    const afterCancel = scenarios.filter(
      (s) => s.charges?.some((c) => c.id === 'CH-2') && s.subscriptions?.length,
    );
    expect(afterCancel.length).toBeGreaterThan(100);
    for (const s of afterCancel) {
      const now = Date.parse(s.now ?? '');
      const charge = s.charges?.find((c) => c.id === 'CH-2');
      expect(now - Date.parse(charge?.chargedAt ?? '')).toBe(
        Date.parse('2026-03-20T12:00:00Z') - Date.parse('2026-03-15T08:00:00Z'),
      );
    }
  });

  it('gives customers tenures over the year before their case: customerSince for most, history alone for the others', () => {
    const tenures = scenarios.flatMap((s) =>
      s.customer.customerSince
        ? [(Date.parse(s.now ?? '') - Date.parse(s.customer.customerSince)) / DAY_MS]
        : [],
    );
    const share = tenures.length / scenarios.length;
    expect(share).toBeGreaterThan(0.65);
    expect(share).toBeLessThan(0.85);
    expect(Math.min(...tenures)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...tenures)).toBeLessThanOrEqual(366);
    expect(tenures.filter((d) => d < 90).length / tenures.length).toBeGreaterThan(0.15);
    expect(tenures.filter((d) => d > 180).length / tenures.length).toBeGreaterThan(0.4);
  });

  it('is reproducible from its seed', () => {
    expect(generateScenarios(200, 7)).toEqual(generateScenarios(200, 7));
  });
});
