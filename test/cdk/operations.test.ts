/** The operator's dashboard and alarms: every alarm of the stack reaches the operations topic, and who hears it. */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALARM_ON_METRIC, BUSINESS_METRICS } from '../../functions/shared/metric-points.js';
import { synthStack } from '../synth-helpers.js';

let template: Template;

beforeAll(() => {
  template = Template.fromStack(synthStack({ 'refundHub:alertEmail': 'oncall@example.com' }).stack);
}, 120_000);

const topicRef = () => {
  const topics = template.findResources('AWS::SNS::Topic', {
    Properties: { DisplayName: 'Refund Hub operations alarms' },
  });
  const [id] = Object.keys(topics);
  if (!id) throw new Error('no operations topic');
  return id;
};

describe('operations: alarms that reach someone', () => {
  it('gives every alarm in the stack an action on the operations topic', () => {
    const alarms = Object.entries(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThan(20);
    const withoutAction = alarms.filter(
      ([, a]) => !JSON.stringify(a.Properties.AlarmActions ?? []).includes(topicRef()),
    );
    expect(withoutAction.map(([id]) => id)).toEqual([]);
  });

  it("alarms on each of the project's Lambda functions' errors and throttles", () => {
    const functions = Object.keys(template.findResources('AWS::Lambda::Function')).filter(
      (id) => !/CustomResource|Provider|LogRetention|BucketDeployment/.test(id),
    );
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    for (const fn of functions) {
      for (const metricName of ['Errors', 'Throttles']) {
        const watched = alarms.some(
          (a) =>
            a.Properties.MetricName === metricName &&
            JSON.stringify(a.Properties.Dimensions ?? []).includes(fn),
        );
        expect(watched, `${fn} ${metricName}`).toBe(true);
      }
    }
  });

  it('alarms on failed executions of both workflows (needs_attention), the dead letters and the cases the sweeper found', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    const failed = alarms.filter((a) => a.Properties.MetricName === 'ExecutionsFailed');
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(alarms.some((a) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible')).toBe(true);
    expect(alarms.some((a) => /sweeper found a case/.test(String(a.Properties.AlarmDescription)))).toBe(true);
    for (const a of alarms) {
      expect(a.Properties.Threshold).toBe(1);
      expect(a.Properties.TreatMissingData).toBe('notBreaching');
    }
  });

  it('alarms on API 5xx, a crossed refund budget and refund failures', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: '5XXError',
      Namespace: 'AWS/ApiGateway',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'BudgetExceeded',
      Namespace: 'RefundHub',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'RefundFailed',
      Namespace: 'RefundHub',
    });
  });

  it('subscribes the configured e-mail to the operations topic', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
      TopicArn: { Ref: topicRef() },
    });
  });

  it('draws one dashboard with the business and the technical metrics', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]?.Properties.DashboardBody);
    for (const title of [
      'Cases by outcome',
      'Handoffs by queue',
      'Lambda errors',
      'API: 4xx, 5xx, latency p90',
      'dead letters',
    ]) {
      expect(body).toContain(title);
    }
    // Each metric a handler emits (functions/shared/metric-points.ts) is drawn, so none is emitted for nobody.
    for (const name of BUSINESS_METRICS) expect(body, name).toContain(name);
    template.hasOutput('OperationsTopicArn', Match.anyValue());
  });
});

describe('the alarms the local runtime names (ALARM_ON_METRIC)', () => {
  it('exist in the stack under those names', () => {
    const ids = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));
    for (const name of Object.values(ALARM_ON_METRIC))
      expect(ids.some((id) => id.includes(name as string))).toBe(true);
  });
});
