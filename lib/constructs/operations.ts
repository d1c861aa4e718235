import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ALARM_ON_METRIC } from '../../functions/shared/metric-points.js';
import { METRIC_NAMESPACE } from '../../functions/shared/metrics.js';
import { AT_LEAST_ONCE } from './alarms.js';

export interface OperationsProps {
  readonly api: apigateway.RestApi;
  /** Who hears the alarms (e-mail / SMS subscriptions of the operations topic). */
  readonly alertEmail?: string;
  readonly alertSms?: string;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * The operator's view: one dashboard and an operations topic that every alarm of the stack notifies. Created last in
 * the stack: it finds the stack's functions, state machines, dead-letter queues and alarms itself, so a new Lambda or
 * alarm is watched without anyone remembering to add it here.
 */
export class Operations extends Construct {
  public readonly topic: sns.Topic;
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const all = stack.node.findAll();
    const functions = all.filter(
      (c): c is lambda.Function => c instanceof lambda.Function && !isCdkProvided(c),
    );
    const stateMachines = all.filter((c): c is sfn.StateMachine => c instanceof sfn.StateMachine);
    const deadLetterQueues = all.filter(
      (c): c is sqs.Queue => c instanceof sqs.Queue && /DeadLetters|Dlq/i.test(c.node.id),
    );
    const existingAlarms = all.filter((c): c is cloudwatch.Alarm => c instanceof cloudwatch.Alarm);

    this.topic = new sns.Topic(this, 'OperationsTopic', {
      displayName: 'Refund Hub operations alarms',
      enforceSSL: true,
    });
    if (props.alertEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alertEmail));
    if (props.alertSms) this.topic.addSubscription(new subscriptions.SmsSubscription(props.alertSms));
    const notify = new actions.SnsAction(this.topic);

    const alarm = (name: string, description: string, metric: cloudwatch.IMetric) => {
      const created = new cloudwatch.Alarm(this, name, {
        alarmDescription: description,
        metric,
        ...AT_LEAST_ONCE,
      });
      created.addAlarmAction(notify);
      return created;
    };

    for (const fn of functions) {
      const name = fn.node.path.split('/').slice(1, -1).join('-') || fn.node.id;
      alarm(
        `${name}Errors`,
        `${fn.node.path}: the function failed.`,
        fn.metricErrors({ period: FIVE_MINUTES }),
      );
      alarm(
        `${name}Throttles`,
        `${fn.node.path}: invocations were throttled.`,
        fn.metricThrottles({ period: FIVE_MINUTES }),
      );
    }
    alarm(
      'Api5xx',
      'The API answered 5xx.',
      props.api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
    );
    for (const machine of stateMachines) {
      const name = machine.node.path.split('/').slice(1, -1).join('-');
      alarm(
        `${name}TimedOut`,
        `${machine.node.path}: an execution timed out.`,
        machine.metricTimedOut({ period: FIVE_MINUTES }),
      );
    }
    alarm(
      ALARM_ON_METRIC.BudgetExceeded as string,
      "A case crossed the day's automatic-refund budget of its currency (POLICY rule 8); it went to billing.",
      businessMetric('BudgetExceeded'),
    );
    alarm(
      ALARM_ON_METRIC.RefundFailed as string,
      'The payment provider failed a refund; a person pays it another way.',
      businessMetric('RefundFailed'),
    );
    // The alarms other constructs own (needs_attention, dead letters, reconciliation, sweeper) reach the same people.
    for (const existing of existingAlarms) existing.addAlarmAction(notify);

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${stack.stackName}-operations`,
      defaultInterval: Duration.hours(24),
    });
    const graph = (title: string, metrics: cloudwatch.IMetric[], width = 12) =>
      new cloudwatch.GraphWidget({ title, left: metrics, width, height: 6 });
    this.dashboard.addWidgets(
      graph(
        'Cases by outcome',
        ['auto_refunded', 'no_refund_due', 'human_handoff', 'self_service'].map((o) =>
          businessMetric('Cases', { outcome: o }),
        ),
      ),
      graph(
        'Handoffs by queue',
        ['billing', 'delivery', 'security', 'general'].map((q) => businessMetric('Handoffs', { queue: q })),
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'Refunded (minor units), USD / EUR / GBP',
        ['USD', 'EUR', 'GBP'].map((c) => businessMetric('RefundedMinorUnits', { currency: c })),
      ),
      graph('Goodwill credits (minor units) and failed credits', [
        ...['USD', 'EUR', 'GBP'].map((c) => businessMetric('CreditedMinorUnits', { currency: c })),
        businessMetric('CreditFailed'),
      ]),
      graph('Time to decision and callback wait (ms, p90)', [
        businessMetric('TimeToDecision', {}, 'p90'),
        ...['billing', 'delivery', 'security', 'general'].map((q) =>
          businessMetric('CallbackWait', { queue: q }, 'p90'),
        ),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Refund failures, budget crossings, velocity handoffs', [
        businessMetric('RefundFailed'),
        businessMetric('BudgetExceeded'),
        businessMetric('RefundVelocityHandoffs'),
      ]),
      graph('Sweeper: stuck cases found, lost executions restarted', [
        businessMetric('StuckCasesFound'),
        businessMetric('CasesRestarted'),
      ]),
      graph('API: 4xx, 5xx, latency p90', [
        props.api.metricClientError({ period: FIVE_MINUTES }),
        props.api.metricServerError({ period: FIVE_MINUTES }),
        props.api.metricLatency({ period: FIVE_MINUTES, statistic: 'p90' }),
      ]),
    );
    this.dashboard.addWidgets(
      graph(
        'SLA escalations by queue (no agent within the callback SLA); claims missing from the wait estimate',
        [
          ...['billing', 'delivery', 'security', 'general'].map((q) =>
            businessMetric('SlaEscalations', { queue: q }),
          ),
          ...['billing', 'delivery', 'security', 'general'].map((q) =>
            businessMetric('ClaimsNotRecorded', { queue: q }),
          ),
        ],
        8,
      ),
      graph(
        'Returns started by policy',
        ['refund_at_first_scan', 'inspect_then_refund'].map((p) =>
          businessMetric('ReturnsStarted', { policy: p }),
        ),
        8,
      ),
      graph(
        'Returns finished by status',
        ['refunded', 'rejected', 'inspection_failed', 'expired', 'needs_attention'].map((st) =>
          businessMetric('ReturnsFinished', { status: st }),
        ),
        8,
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'Cases by reason',
        [
          new cloudwatch.MathExpression({
            expression: `SEARCH('{${METRIC_NAMESPACE},reason,service} MetricName="CasesByReason"', 'Sum', 300)`,
            label: 'CasesByReason',
            period: FIVE_MINUTES,
          }),
        ],
        24,
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'Lambda errors',
        functions.map((f) => f.metricErrors({ period: FIVE_MINUTES })),
      ),
      graph(
        'Lambda throttles',
        functions.map((f) => f.metricThrottles({ period: FIVE_MINUTES })),
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'Lambda duration p90',
        functions.map((f) => f.metricDuration({ period: FIVE_MINUTES, statistic: 'p90' })),
      ),
      graph('Executions failed / timed out, dead letters', [
        ...stateMachines.flatMap((m) => [
          m.metricFailed({ period: FIVE_MINUTES }),
          m.metricTimedOut({ period: FIVE_MINUTES }),
        ]),
        ...deadLetterQueues.map((q) => q.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES })),
      ]),
    );
  }
}

/** A metric the handlers emit with Powertools Metrics (EMF), in the project's namespace. */
function businessMetric(
  name: string,
  dimensions: Record<string, string> = {},
  statistic = 'Sum',
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRIC_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: 'refund-hub', ...dimensions },
    statistic,
    period: FIVE_MINUTES,
  });
}

/** Functions CDK adds for itself (custom resources, log retention, bucket deployment) are not ours to alarm on. */
function isCdkProvided(fn: lambda.Function): boolean {
  return /Provider|CustomResource|LogRetention|BucketDeployment|AWS679f53fac002430cb0da5b7982bd2287/.test(
    fn.node.path,
  );
}
