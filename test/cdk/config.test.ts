import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { configFromContext } from '../../lib/config.js';
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
  // As `-c refundHub:highValueThresholds='{...}'` gives it: a JSON string.
  'refundHub:highValueThresholds': '{"USD":100000,"EUR":75000,"JPY":80000}',
  'refundHub:confidenceThreshold': 0.7,
  'refundHub:callbackSlaSeconds': 120,
  'refundHub:maxEscalations': 3,
  'refundHub:maxMessageLength': 800,
  'refundHub:sweeperGracePeriodSeconds': 900,
  'refundHub:sweeperScheduleMinutes': 10,
  'refundHub:autoRefundMode': 'approve',
  // As `-c refundHub:approvalForCustomersNewerThanDays=30` gives it: a string.
  'refundHub:approvalForCustomersNewerThanDays': '30',
  'refundHub:maxAutoRefundsPer30Days': 5,
  'refundHub:dailyAutoRefundBudgets': '{"USD":250000,"EUR":100000}',
};

let stack: RefundHubStack;
let template: Template;
let definition: AslDefinition;

beforeAll(() => {
  stack = synthStack(context).stack;
  template = Template.fromStack(stack);
  definition = stateMachineDefinition(template);
}, 60_000);

/** Per currency, the threshold a Choice state compares `variable` against (And(currency = X, total > t)). */
const thresholdsIn = (stateName: string, variable: string) =>
  Object.fromEntries(
    (state(definition, stateName).Choices ?? []).flatMap((choice) =>
      (choice.Or ?? [choice, ...(choice.And ?? []).flatMap((c) => c.Or ?? [])])
        .map(comparisons)
        .filter(
          (pair) =>
            pair.length === 2 && pair[0]?.operator === 'StringEquals' && pair[1]?.variable === variable,
        )
        .map(([currency, total]) => [currency?.value, total?.value]),
    ),
  );

/** The configuration in force for some `refundHub:*` context, as the stack reads it. */
const configWith = (values: Record<string, unknown>) => configFromContext(new App({ context: values }).node);

describe('operator configuration from CDK context', () => {
  it('moves the per-currency high-value thresholds of rules 5 and 10 together', () => {
    const configured = { EUR: 75000, JPY: 80000, USD: 100000 };
    expect(stack.config.highValueThresholds).toEqual(configured);
    expect(thresholdsIn('BillingDecision', '$.billing.refundableTotal')).toEqual(configured);
    expect(thresholdsIn('ApplyDecisionPolicy', '$.account.order.total')).toEqual(configured);
    // The map replaces the defaults: GBP now has no threshold, so any GBP total counts as high value.
    expect(JSON.stringify(definition)).not.toMatch(/\b50000\b/);
    expect(JSON.stringify(state(definition, 'BillingDecision'))).not.toContain('GBP');
  });

  it('keeps refundHub:highValueThresholdMinor as the USD shorthand; a USD in highValueThresholds wins over it', () => {
    expect(configWith({}).highValueThresholds).toEqual({
      AUD: 50000,
      CAD: 50000,
      EUR: 50000,
      GBP: 50000,
      USD: 50000,
    });
    expect(configWith({ 'refundHub:highValueThresholdMinor': 100000 }).highValueThresholds).toEqual({
      AUD: 50000,
      CAD: 50000,
      EUR: 50000,
      GBP: 50000,
      USD: 100000,
    });
    expect(
      configWith({
        'refundHub:highValueThresholdMinor': 100000,
        'refundHub:highValueThresholds': { USD: 70000, JPY: 60000 },
      }).highValueThresholds,
    ).toEqual({ JPY: 60000, USD: 70000 });
    expect(
      configWith({
        'refundHub:highValueThresholdMinor': 100000,
        'refundHub:highValueThresholds': { JPY: 60000 },
      }).highValueThresholds,
    ).toEqual({ JPY: 60000, USD: 100000 });
  });

  it.each([
    ['not JSON', '{"USD": 50000'],
    ['a lower-case code', { usd: 50000 }],
    ['not an ISO 4217 code', { XYZ: 50000 }],
    ['a negative threshold', { EUR: -1 }],
    ['a fractional threshold', { EUR: 500.5 }],
    ['a list', [50000]],
  ])('fails the synth with refundHub:highValueThresholds named for %s', (_what, value) => {
    expect(() => configWith({ 'refundHub:highValueThresholds': value })).toThrow(
      /refundHub:highValueThresholds/,
    );
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
      highValueThresholds: { EUR: 75000, JPY: 80000, USD: 100000 },
      confidenceThreshold: 0.7,
      callbackSlaSeconds: 120,
      maxEscalations: 3,
      autoRefundMode: 'approve',
      approvalForCustomersNewerThanDays: 30,
      maxAutoRefundsPer30Days: 5,
      dailyAutoRefundBudgets: { EUR: 100000, USD: 250000 },
    });
  });

  it('keeps approvalForCustomersNewerThanDays off (0) by default, and refuses a value that is not whole days', () => {
    expect(configWith({}).approvalForCustomersNewerThanDays).toBe(0);
    for (const bad of ['-1', '1.5', 'soon'])
      expect(() => configWith({ 'refundHub:approvalForCustomersNewerThanDays': bad })).toThrow(
        /refundHub:approvalForCustomersNewerThanDays/,
      );
  });

  it('defaults the daily automatic-refund budget to 500000 for each currency with a threshold, and validates it', () => {
    expect(configWith({ 'refundHub:highValueThresholds': '{"JPY":80000}' }).dailyAutoRefundBudgets).toEqual({
      JPY: 500_000,
    });
    expect(() => configWith({ 'refundHub:dailyAutoRefundBudgets': '{"usd":100}' })).toThrow(
      /dailyAutoRefundBudgets/,
    );
    expect(() => configWith({ 'refundHub:autoRefundMode': 'sometimes' })).toThrow(/autoRefundMode/);
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
