/**
 * Locally (`npm start`), a business-metric point that would fire an alarm on AWS prints one line naming that alarm;
 * other points and runs without REFUND_HUB_ALARM_LOG print nothing.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { count } from '../../functions/shared/metric-points.js';
import { countMetric, emitMetrics } from '../../functions/shared/metrics.js';

afterEach(() => {
  vi.restoreAllMocks();
  delete process.env.REFUND_HUB_ALARM_LOG;
});

function printed(run: () => void): string[] {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  run();
  return lines.filter((line) => line.startsWith('ALARM '));
}

describe('local alarm lines', () => {
  it('names the alarm a crossed budget or a failed refund fires, with its dimensions', () => {
    process.env.REFUND_HUB_ALARM_LOG = '1';
    expect(
      printed(() =>
        emitMetrics([count('BudgetExceeded', { currency: 'USD' }), count('Cases', { outcome: 'x' })]),
      ),
    ).toEqual(['ALARM AutoRefundBudgetExceeded would fire: BudgetExceeded (currency=USD)\n']);
    expect(printed(() => countMetric('RefundFailed'))).toEqual([
      'ALARM RefundFailures would fire: RefundFailed\n',
    ]);
  });

  it('prints nothing outside npm start', () => {
    expect(printed(() => emitMetrics([count('BudgetExceeded', { currency: 'USD' })]))).toEqual([]);
  });
});
