/**
 * Business metrics (Powertools Metrics, CloudWatch embedded metric format), one singleton per function. Handlers add
 * metrics and publish them before they return; the operations dashboard and alarms (lib/constructs/operations.ts) read
 * them from this namespace. Locally POWERTOOLS_METRICS_DISABLED keeps them out of the runtime's output.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { ALARM_ON_METRIC, type BusinessMetric, type MetricPoint } from './metric-points.js';

export const METRIC_NAMESPACE = 'RefundHub';

export const metrics = new Metrics({ namespace: METRIC_NAMESPACE, serviceName: 'refund-hub' });

/** Adds one count of `name` (with its own dimensions) and publishes it at once: a step emits at most a few. */
export function countMetric(name: string, dimensions: Record<string, string> = {}, value = 1): void {
  const single = metrics.singleMetric();
  for (const [key, dimension] of Object.entries(dimensions)) single.addDimension(key, dimension);
  single.addMetric(name, MetricUnit.Count, value);
  logLocalAlarm(name, dimensions);
}

/** Locally (`npm start` sets REFUND_HUB_ALARM_LOG=1): one line for a point that would fire an alarm on AWS. */
function logLocalAlarm(name: string, dimensions: Readonly<Record<string, string>>): void {
  if (process.env.REFUND_HUB_ALARM_LOG !== '1') return;
  const alarm = ALARM_ON_METRIC[name as BusinessMetric];
  if (!alarm) return;
  const where = Object.entries(dimensions).map(([key, value]) => `${key}=${value}`);
  process.stdout.write(`ALARM ${alarm} would fire: ${name}${where.length ? ` (${where.join(', ')})` : ''}\n`);
}

/** Publishes the points a step's pure mapping (functions/shared/metric-points.ts) produced, each with its dimensions. */
export function emitMetrics(points: readonly MetricPoint[]): void {
  for (const point of points) {
    const single = metrics.singleMetric();
    for (const [key, dimension] of Object.entries(point.dimensions)) single.addDimension(key, dimension);
    single.addMetric(point.name, UNITS[point.unit], point.value);
    logLocalAlarm(point.name, point.dimensions);
  }
}

const UNITS = {
  Count: MetricUnit.Count,
  Milliseconds: MetricUnit.Milliseconds,
  None: MetricUnit.NoUnit,
} as const;
