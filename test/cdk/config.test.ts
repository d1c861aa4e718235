import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { RefundHubStack } from '../../lib/refund-hub-stack.js';
import { synthStack } from '../synth-helpers.js';
import {
  type AslDefinition,
  comparisons,
  state,
  stateMachineDefinition,
} from './state-machine-definition.js';

/** Operator configuration given as CDK context, as `cdk deploy -c refundHub:<key>=<value>` would. */
const context = {
  'refundHub:highValueThresholdMinor': 100000,
  'refundHub:confidenceThreshold': 0.7,
  'refundHub:callbackSlaSeconds': 120,
  'refundHub:maxEscalations': 3,
  'refundHub:maxMessageLength': 800,
  'refundHub:sweeperGracePeriodSeconds': 900,
  'refundHub:sweeperScheduleMinutes': 10,
};

let stack: RefundHubStack;
let template: Template;
let definition: AslDefinition;

beforeAll(() => {
  stack = synthStack(context).stack;
  template = Template.fromStack(stack);
  definition = stateMachineDefinition(template);
}, 60_000);

const thresholdsIn = (stateName: string, variable: string) =>
  (state(definition, stateName).Choices ?? [])
    .flatMap(comparisons)
    .filter((c) => c.variable === variable && c.operator === 'NumericGreaterThan')
    .map((c) => c.value);

describe('operator configuration from CDK context', () => {
  it('moves the high-value threshold of rules 4 and 6 together', () => {
    expect(stack.config.highValueThresholdMinor).toBe(100000);
    expect(thresholdsIn('BillingDecision', '$.billing.refundableTotal')).toEqual([100000]);
    expect(thresholdsIn('ApplyDecisionPolicy', '$.account.order.total')).toEqual([100000]);
    expect(JSON.stringify(definition)).not.toContain('50000');
  });

  it('uses the configured confidence threshold, callback SLA and escalation limit', () => {
    expect(state(definition, 'IsClassificationConfident').Choices?.[0]).toMatchObject({
      NumericLessThan: 0.7,
    });
    const wait = state(definition, 'RequestHumanCallback');
    expect(wait.HeartbeatSeconds ?? wait.TimeoutSeconds).toBe(120);
    expect(state(definition, 'CanEscalateCallback').Choices?.[0]).toMatchObject({
      NumericGreaterThanEquals: 3,
    });
  });

  it('records the thresholds in force on every case (the receipt shows them)', () => {
    expect(state(definition, 'StartCase').Parameters?.policy).toEqual({
      highValueThresholdMinor: 100000,
      confidenceThreshold: 0.7,
      callbackSlaSeconds: 120,
      maxEscalations: 3,
    });
  });

  it('passes the message length limit to the intake function and the API model', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { MAX_MESSAGE_LENGTH: '800' } },
    });
    template.hasResourceProperties('AWS::ApiGateway::Model', {
      Schema: { properties: { message: { maxLength: 800 } } },
    });
  });

  it('runs the case sweeper on the configured schedule with the configured grace period', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(10 minutes)' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SWEEPER_GRACE_PERIOD_SECONDS: '900' }) },
    });
  });

  it.each([
    ['refundHub:sweeperGracePeriodSeconds', 30],
    ['refundHub:sweeperGracePeriodSeconds', 'soon'],
    ['refundHub:sweeperScheduleMinutes', 0],
    ['refundHub:sweeperScheduleMinutes', 2.5],
  ])('fails the synth naming %s when it is %s', (key, value) => {
    const app = new App({ context: { [key]: value } });

    expect(() => new RefundHubStack(app, 'Invalid')).toThrow(new RegExp(key));
  });

  it('refuses a sweeper grace period no longer than the Lambda timeout (intake may still be starting the case)', () => {
    const app = new App({
      context: { 'refundHub:lambdaTimeoutSeconds': 120, 'refundHub:sweeperGracePeriodSeconds': 120 },
    });

    expect(() => new RefundHubStack(app, 'Invalid')).toThrow(
      /refundHub:sweeperGracePeriodSeconds: must be longer than lambdaTimeoutSeconds/,
    );
  });

  it('fails the synth with the key named when a value is invalid', () => {
    const app = new App({ context: { 'refundHub:highValueThresholdMinor': -1 } });

    expect(() => new RefundHubStack(app, 'Invalid')).toThrow(/refundHub:highValueThresholdMinor/);
  });
});
