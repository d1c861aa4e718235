/** What a benchmark child process reports, and the percentile both sides use. */
export interface ChildResult {
  readonly mode: 'replay' | 'floor';
  readonly cases: number;
  readonly seconds: number;
  readonly casesPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly mismatches: number;
  readonly failed: number;
}

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/** A child's report from its per-case durations (any order) and its wall time. */
export function childResult(
  mode: ChildResult['mode'],
  durations: number[],
  seconds: number,
  counts: { readonly mismatches: number; readonly failed: number },
): ChildResult {
  const sorted = [...durations].sort((a, b) => a - b);
  return {
    mode,
    cases: durations.length,
    seconds,
    casesPerSecond: durations.length / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    ...counts,
  };
}
