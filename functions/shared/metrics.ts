/**
 * Business metrics (Powertools Metrics, CloudWatch embedded metric format), one singleton per function. Handlers add
 * metrics and publish them before they return; the operations dashboard and alarms (lib/constructs/operations.ts) read
 * them from this namespace. Locally POWERTOOLS_METRICS_DISABLED keeps them out of the runtime's output.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricPoint } from './metric-points.js';

export const METRIC_NAMESPACE = 'RefundHub';

export const metrics = new Metrics({ namespace: METRIC_NAMESPACE, serviceName: 'refund-hub' });

/** Adds one count of `name` (with its own dimensions) and publishes it at once: a step emits at most a few. */
export function countMetric(name: string, dimensions: Record<string, string> = {}, value = 1): void {
  const single = metrics.singleMetric();
  for (const [key, dimension] of Object.entries(dimensions)) single.addDimension(key, dimension);
  single.addMetric(name, MetricUnit.Count, value);
}

/** Publishes the points a step's pure mapping (functions/shared/metric-points.ts) produced, each with its dimensions. */
export function emitMetrics(points: readonly MetricPoint[]): void {
  for (const point of points) {
    const single = metrics.singleMetric();
    for (const [key, dimension] of Object.entries(point.dimensions)) single.addDimension(key, dimension);
    single.addMetric(point.name, UNITS[point.unit], point.value);
  }
}

const UNITS = {
  Count: MetricUnit.Count,
  Milliseconds: MetricUnit.Milliseconds,
  None: MetricUnit.NoUnit,
} as const;
