import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { mayFollowRefund, SYSTEM_ERROR_RULE } from '../../functions/request-human/domain.js';
import type { RefundHubStack } from '../../lib/refund-hub-stack.js';
import { synthStack } from '../synth-helpers.js';
import {
  type AslDefinition,
  type AslState,
  type ChoiceRule,
  comparisons,
  reachableFrom,
  state,
  stateMachineDefinition,
} from './state-machine-definition.js';

let stack: RefundHubStack;
let template: Template;
let definition: AslDefinition;
let synthError: unknown;

beforeAll(() => {
  try {
    stack = synthStack().stack;
  } catch (error) {
    synthError = error;
    throw error;
  }
  template = Template.fromStack(stack);
  definition = stateMachineDefinition(template);
}, 60_000);

const logicalId = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const tableArn = (table: dynamodb.ITable) => ({ 'Fn::GetAtt': [logicalId(table), 'Arn'] });

/** The statements of the default policy attached to a step function's role. */
function statementsOf(
  fn: lambda.IFunction,
): { Action: string | string[]; Resource: unknown; Effect: string }[] {
  const roleId = stack.getLogicalId(fn.role?.node.defaultChild as iam.CfnRole);
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
    (p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId })),
  );
  return policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
}

const actionsOf = (statement: { Action: string | string[] }) =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

const tasks = () => Object.entries(definition.States).filter(([, s]) => s.Type === 'Task');

/** The Pass state a choice rule leads to, and the decision it sets. */
function decisionAfter(rule: ChoiceRule | undefined): AslState['Parameters'] {
  if (!rule?.Next) throw new Error('choice rule without Next');
  return state(definition, rule.Next).Parameters;
}

describe('state machine: resilience', () => {
  it('retries every Task with exponential backoff before giving up', () => {
    expect(tasks().length).toBeGreaterThanOrEqual(8);
    for (const [name, task] of tasks()) {
      const backoff = (task.Retry ?? []).filter((r) => (r.MaxAttempts ?? 3) > 0 && (r.BackoffRate ?? 1) > 1);
      expect(backoff, `${name} has no Retry with backoff`).not.toHaveLength(0);
    }
  });

  it('does not retry a contract violation (InvalidStepInputError)', () => {
    for (const [name, task] of tasks()) {
      const retrier = task.Retry?.find((r) => r.ErrorEquals.includes('InvalidStepInputError'));
      expect(retrier?.MaxAttempts, name).toBe(0);
    }
  });

  it('catches every error of every Task, so no case is lost', () => {
    for (const [name, task] of tasks()) {
      const catchAll = task.Catch?.find((c) => c.ErrorEquals.includes('States.ALL'));
      expect(catchAll, `${name} has no catch-all`).toBeDefined();
      expect(definition.States[catchAll?.Next ?? ''], `${name} catches to a missing state`).toBeDefined();
    }
  });

  it('routes a failure to a person, and only the terminal MarkNeedsAttention to the Fail state', () => {
    const fails = Object.entries(definition.States)
      .filter(([, s]) => s.Type === 'Fail')
      .map(([name]) => name);
    for (const [name, task] of tasks()) {
      const target = task.Catch?.find((c) => c.ErrorEquals.includes('States.ALL'))?.Next ?? '';
      if (name === 'MarkNeedsAttention') expect(fails).toContain(target);
      else expect(fails, `${name} catches straight to a Fail state`).not.toContain(target);
    }
    expect(state(definition, 'MarkNeedsAttention').Parameters).toMatchObject({ mode: 'needs_attention' });
  });

  it('hands a case over after the refund step only as a system error or a failed refund (request-human reads the ledger then)', () => {
    expect(reachableFrom(definition, 'IssueRefund')).toContain('RequestHumanCallback');
    expect(
      reachableFrom(definition, 'IssueRefund', ['HandoffSystemError', 'Rule9HandoffRefundFailed']),
    ).not.toContain('RequestHumanCallback');
    expect(state(definition, 'HandoffSystemError').Parameters).toMatchObject({
      rule: SYSTEM_ERROR_RULE,
      reason: 'system_error',
    });
    expect(state(definition, 'Rule9HandoffRefundFailed').Parameters).toMatchObject({
      outcome: 'human_handoff',
      reason: 'refund_failed',
      queue: 'billing',
    });
    expect(mayFollowRefund({ outcome: 'human_handoff', rule: 9, reason: 'refund_failed' })).toBe(true);
  });

  it('hands a refund the provider failed to the billing queue, from the automatic and the agent refund alike', () => {
    const [failed] = state(definition, 'AnythingRefunded').Choices ?? [];
    expect(failed).toMatchObject({
      Variable: '$.refund.failed',
      BooleanEquals: true,
      Next: 'Rule9HandoffRefundFailed',
    });
    const [agentFailed] = state(definition, 'AgentRefundFailed').Choices ?? [];
    expect(agentFailed).toMatchObject({
      Variable: '$.agentRefund.failed',
      BooleanEquals: true,
      Next: 'Rule9HandoffRefundFailed',
    });
    // A refund that fails after the case was answered (a webhook) starts a follow-up with kind refund_failed.
    const [refundFailedFollowUp] = state(definition, 'IsCallbackFollowUp').Choices ?? [];
    expect(comparisons(refundFailedFollowUp ?? {}).map((c) => c.value)).toContain('refund_failed');
    expect(state(definition, refundFailedFollowUp?.Next ?? '').Next).toBe('Rule9HandoffRefundFailed');
  });

  it('fails the case only after marking it needs_attention', () => {
    const mark = state(definition, 'MarkNeedsAttention');
    expect(state(definition, mark.Next ?? '').Type).toBe('Fail');
  });
});

describe('state machine: the POLICY decision table', () => {
  /** The high-value test of one total: per configured currency And(currency = X, total > threshold), else Not(any X). */
  const expectHighValueCondition = (
    rule: ChoiceRule | undefined,
    currencyPath: string,
    totalPath: string,
  ) => {
    const thresholds = stack.config.highValueThresholds;
    const [perCurrency, unconfigured] = [rule?.Or?.slice(0, -1) ?? [], rule?.Or?.at(-1)];
    expect(perCurrency.map(comparisons)).toEqual(
      Object.entries(thresholds).map(([currency, threshold]) => [
        { variable: currencyPath, operator: 'StringEquals', value: currency },
        { variable: totalPath, operator: 'NumericGreaterThan', value: threshold },
      ]),
    );
    expect(unconfigured?.Not?.Or?.map(comparisons)).toEqual(
      Object.keys(thresholds).map((currency) => [
        { variable: currencyPath, operator: 'StringEquals', value: currency },
      ]),
    );
  };

  it('lists the rules in POLICY order, first rule that applies wins', () => {
    // Act
    const choices = state(definition, 'ApplyDecisionPolicy').Choices ?? [];
    const compared = choices.map(comparisons);

    // Assess
    expect(choices).toHaveLength(5);
    expect(compared[0]).toEqual([
      { variable: '$.classification.intent', operator: 'StringEquals', value: 'account_security' },
    ]);
    expect(compared[1]).toContainEqual({
      variable: '$.classification.humanRequested',
      operator: 'BooleanEquals',
      value: true,
    });
    expect(compared[2]).toEqual([
      { variable: '$.classification.intent', operator: 'StringEquals', value: 'billing_refund' },
    ]);
    expect(compared[3]).toEqual(
      expect.arrayContaining([
        { variable: '$.classification.intent', operator: 'StringEquals', value: 'order_tracking' },
        { variable: '$.account.order.deliveryProblem', operator: 'BooleanEquals', value: true },
      ]),
    );
    expect(choices[3]?.And).toBeDefined();
    expectHighValueCondition(choices[3]?.And?.at(-1), '$.account.order.currency', '$.account.order.total');
    expect(compared[4]).toEqual([
      { variable: '$.classification.frustrated', operator: 'BooleanEquals', value: true },
      { variable: '$.classification.urgent', operator: 'BooleanEquals', value: true },
    ]);
    expect(choices[4]?.Or).toBeDefined();
  });

  it('sets the decision each rule names (outcome, rule, reason, queue, priority)', () => {
    const choices = state(definition, 'ApplyDecisionPolicy').Choices ?? [];

    expect(decisionAfter(choices[0])).toMatchObject({
      outcome: 'human_handoff',
      rule: 1,
      reason: 'account_security',
      queue: 'security',
      priority: 'urgent',
    });
    expect(decisionAfter(choices[1])).toMatchObject({
      outcome: 'human_handoff',
      rule: 2,
      reason: 'customer_request',
    });
    // A billing refund the account decided for an unsure classifier is never compared for an automatic refund.
    const sure = state(definition, choices[2]?.Next ?? '');
    expect(comparisons(sure.Choices?.[0] ?? {})).toEqual([
      { variable: '$.account.intentDecision.unsure', operator: 'BooleanEquals', value: true },
    ]);
    expect(sure.Default).toBe('CompareBillingDates');
    expect(decisionAfter(choices[3])).toMatchObject({
      outcome: 'human_handoff',
      rule: 10,
      reason: 'high_value_delivery',
      queue: 'delivery',
    });
    expect(decisionAfter(choices[4])).toMatchObject({
      outcome: 'human_handoff',
      rule: 11,
      reason: 'sentiment',
    });
    const otherwise = state(definition, state(definition, 'ApplyDecisionPolicy').Default ?? '');
    expect(otherwise.Parameters).toMatchObject({
      outcome: 'self_service',
      rule: 12,
      'reason.$': '$.classification.intent',
    });
  });

  it('sends "by intent" handoffs (rules 2 and 11) through the queue-by-intent mapping', () => {
    const choices = state(definition, 'ApplyDecisionPolicy').Choices ?? [];
    for (const rule of [choices[1], choices[4]]) {
      expect(state(definition, rule?.Next ?? '').Next).toBe('SelectQueueByIntent');
    }
    const byIntent = state(definition, 'SelectQueueByIntent');
    const queueAfter = (next: string | undefined) => state(definition, next ?? '').Result;
    const mapping = Object.fromEntries(
      (byIntent.Choices ?? []).flatMap((c) => comparisons(c).map((x) => [x.value, queueAfter(c.Next)])),
    );
    expect(mapping).toEqual({
      billing_refund: 'billing',
      order_tracking: 'delivery',
      return_request: 'delivery',
      account_security: 'security',
    });
    expect(queueAfter(byIntent.Default)).toBe('general');
  });

  it('decides billing refunds: 0 → no refund due, several currencies → a person, over its currency threshold → a person', () => {
    // Act
    const billing = state(definition, 'BillingDecision');
    const [zero, mixed, high, approve, newCustomer] = billing.Choices ?? [];

    // Assess
    expect(comparisons(zero ?? {})).toEqual([
      { variable: '$.billing.refundableTotal', operator: 'IsNumeric', value: true },
      { variable: '$.billing.refundableTotal', operator: 'NumericEquals', value: 0 },
    ]);
    expect(decisionAfter(zero)).toMatchObject({
      outcome: 'no_refund_due',
      rule: 3,
      'reason.$': '$.billing.noRefundReason',
      callbackOffered: true,
    });
    expect(comparisons(mixed ?? {})).toEqual([
      { variable: '$.billing.mixedCurrency', operator: 'BooleanEquals', value: true },
    ]);
    expect(decisionAfter(mixed)).toMatchObject({
      outcome: 'human_handoff',
      rule: 4,
      reason: 'mixed_currency',
      queue: 'billing',
    });
    expectHighValueCondition(high, '$.billing.currency', '$.billing.refundableTotal');
    expect(decisionAfter(high)).toMatchObject({
      outcome: 'human_handoff',
      rule: 5,
      reason: 'high_value',
      queue: 'billing',
    });
    expect(comparisons(approve ?? {})).toEqual([
      { variable: '$.policy.autoRefundMode', operator: 'StringEquals', value: 'approve' },
    ]);
    expect(decisionAfter(approve)).toMatchObject({
      outcome: 'human_handoff',
      rule: 6,
      reason: 'approval_required',
      queue: 'billing',
    });
    // Rule 6 for new customers (refundHub:approvalForCustomersNewerThanDays): LoadCustomerAccount decides, the same handoff.
    expect(comparisons(newCustomer ?? {})).toEqual([
      { variable: '$.account.newCustomer.required', operator: 'BooleanEquals', value: true },
    ]);
    expect(newCustomer?.Next).toBe(approve?.Next);
    expect(state(definition, 'LoadCustomerAccount').Parameters).toMatchObject({
      'autoRefundMode.$': '$.policy.autoRefundMode',
      'approvalForCustomersNewerThanDays.$': '$.policy.approvalForCustomersNewerThanDays',
    });
    // Rules 7 and 8 are checked (and the day's budget reserved) by one step just before the money moves.
    expect(billing.Default).toBe('CheckRefundGuardrails');
    expect(state(definition, 'CheckRefundGuardrails').Next).toBe('GuardrailDecision');
    const guardrails = state(definition, 'GuardrailDecision');
    const [velocity, budget] = guardrails.Choices ?? [];
    expect(comparisons(velocity ?? {})).toEqual([
      { variable: '$.guardrails.verdict', operator: 'StringEquals', value: 'refund_velocity' },
    ]);
    expect(decisionAfter(velocity)).toMatchObject({
      outcome: 'human_handoff',
      rule: 7,
      reason: 'refund_velocity',
      queue: 'billing',
    });
    expect(comparisons(budget ?? {})).toEqual([
      { variable: '$.guardrails.verdict', operator: 'StringEquals', value: 'budget_exceeded' },
    ]);
    expect(decisionAfter(budget)).toMatchObject({
      outcome: 'human_handoff',
      rule: 8,
      reason: 'budget_exceeded',
      queue: 'billing',
    });
    expect(guardrails.Default).toBe('IssueRefund');
    expect(state(definition, 'IssueRefund').Parameters).toMatchObject({
      source: 'auto',
      'charges.$': '$.billing.refundableCharges',
    });
  });

  it('offers a callback on every no_refund_due decision', () => {
    const noRefund = Object.values(definition.States).filter(
      (s) => s.Parameters?.outcome === 'no_refund_due',
    );
    expect(noRefund.length).toBeGreaterThanOrEqual(2);
    for (const decision of noRefund) expect(decision.Parameters?.callbackOffered).toBe(true);
  });

  it('offers a callback after an automatic refund only to a frustrated or urgent customer', () => {
    const afterRefund = state(definition, 'AnythingRefunded');
    const [, nothing, upset] = afterRefund.Choices ?? [];

    expect(decisionAfter(nothing)).toMatchObject({ outcome: 'no_refund_due', reason: 'already_refunded' });
    expect(comparisons(upset ?? {}).map((c) => c.variable)).toEqual([
      '$.classification.frustrated',
      '$.classification.urgent',
    ]);
    expect(decisionAfter(upset)).toMatchObject({ outcome: 'auto_refunded', rule: 9, callbackOffered: true });
    expect(state(definition, afterRefund.Default ?? '').Parameters).toMatchObject({
      outcome: 'auto_refunded',
      callbackOffered: false,
    });
  });

  it('treats a classification under the confidence threshold as intent other', () => {
    const gate = state(definition, 'IsClassificationConfident');
    const [unsure] = gate.Choices ?? [];

    expect(comparisons(unsure ?? {})).toEqual([
      {
        variable: '$.classification.confidence',
        operator: 'NumericLessThan',
        value: stack.config.confidenceThreshold,
      },
    ]);
    const markers = {
      intent: 'other',
      'frustrated.$': '$.classification.frustrated',
      'urgent.$': '$.classification.urgent',
      'humanRequested.$': '$.classification.humanRequested',
    };
    // The model's alternatives go along when the classifier gave them (Bedrock and follow-ups may not).
    const present = state(definition, unsure?.Next ?? '');
    expect(present.Choices?.[0]).toMatchObject({
      Variable: '$.classification.alternatives',
      IsPresent: true,
    });
    expect(state(definition, present.Choices?.[0]?.Next ?? '').Parameters).toEqual({
      ...markers,
      'classifiedIntent.$': '$.classification.intent',
      'confidence.$': '$.classification.confidence',
      'alternatives.$': '$.classification.alternatives',
    });
    expect(state(definition, present.Default ?? '').Parameters).toEqual({
      ...markers,
      'classifiedIntent.$': '$.classification.intent',
      'confidence.$': '$.classification.confidence',
    });
  });

  it('keeps the high-value threshold and the other numbers as configuration, not literals', () => {
    expect(state(definition, 'StartCase').Parameters?.policy).toEqual({
      highValueThresholds: stack.config.highValueThresholds,
      confidenceThreshold: stack.config.confidenceThreshold,
      callbackSlaSeconds: stack.config.callbackSlaSeconds,
      maxEscalations: stack.config.maxEscalations,
      autoRefundMode: 'auto',
      approvalForCustomersNewerThanDays: 0,
      maxAutoRefundsPer30Days: 3,
      dailyAutoRefundBudgets: { AUD: 500_000, CAD: 500_000, EUR: 500_000, GBP: 500_000, USD: 500_000 },
    });
    expect(stack.config.highValueThresholds).toEqual({
      AUD: 50_000,
      CAD: 50_000,
      EUR: 50_000,
      GBP: 50_000,
      USD: 50_000,
    });
  });
});

describe('state machine: human handoff', () => {
  it('waits for the agent with a task token, and the callback SLA bounds the wait for a pickup', () => {
    // Act
    const wait = state(definition, 'RequestHumanCallback');

    // Assess: the SLA is the task timeout, or the heartbeat timeout when an agent's claim keeps the
    // task alive for longer (then the task timeout bounds the whole resolution).
    expect(wait.Resource).toMatch(/:states:::lambda:invoke\.waitForTaskToken$/);
    expect(wait.HeartbeatSeconds ?? wait.TimeoutSeconds).toBe(stack.config.callbackSlaSeconds);
    expect(wait.TimeoutSeconds).toBeGreaterThanOrEqual(stack.config.callbackSlaSeconds);
    expect(wait.Parameters).toMatchObject({
      Payload: expect.objectContaining({ 'taskToken.$': '$$.Task.Token' }),
    });
  });

  it('escalates an unanswered callback, up to maxEscalations, then marks the case needs_attention', () => {
    const wait = state(definition, 'RequestHumanCallback');
    const timeout = wait.Catch?.find((c) => c.ErrorEquals.includes('States.Timeout'));
    const heartbeat = wait.Catch?.find((c) => c.ErrorEquals.includes('States.HeartbeatTimeout'));
    expect(heartbeat?.Next).toBe(timeout?.Next);
    for (const error of ['States.Timeout', 'States.HeartbeatTimeout']) {
      expect(wait.Retry?.find((r) => r.ErrorEquals.includes(error))?.MaxAttempts, error).toBe(0);
    }
    const canEscalate = state(definition, timeout?.Next ?? '');

    expect(canEscalate.Choices?.[0]).toMatchObject({
      Variable: '$.escalation.count',
      NumericGreaterThanEquals: stack.config.maxEscalations,
      Next: 'MarkNeedsAttention',
    });
    expect(state(definition, canEscalate.Default ?? '').Next).toBe('RequestHumanCallback');
  });

  it('refunds through the ledger only when the agent approves a refund', () => {
    const agent = state(definition, 'AgentDecision');

    expect(agent.Choices).toEqual([
      expect.objectContaining({
        And: [
          { Variable: '$.resolution.decision', StringEquals: 'approve_refund' },
          { Variable: '$.resolution.charges', IsPresent: true },
        ],
      }),
      // A goodwill credit is booked through the payment provider before the resolution is recorded.
      expect.objectContaining({
        Variable: '$.resolution.decision',
        StringEquals: 'goodwill_credit',
        Next: 'BookGoodwillCredit',
      }),
      // An approval naming no charges cannot be paid: a supervisor gets it.
      expect.objectContaining({
        Variable: '$.resolution.decision',
        StringEquals: 'approve_refund',
        Next: 'MarkNeedsAttention',
      }),
      // No money: deny and resolve are recorded as they are.
      expect.objectContaining({
        Or: [
          { Variable: '$.resolution.decision', StringEquals: 'deny' },
          { Variable: '$.resolution.decision', StringEquals: 'resolve' },
        ],
        Next: 'RecordResolution',
      }),
    ]);
    expect(state(definition, 'BookGoodwillCredit').Next).toBe('RecordResolution');
    expect(state(definition, agent.Choices?.[0]?.Next ?? '').Parameters).toMatchObject({ source: 'agent' });
    expect(agent.Default).toBe('MarkNeedsAttention');
  });
});

describe('state machine: runs on the embedded runtime and is observable', () => {
  it('uses JSONPath only: no JSONata and no Assign', () => {
    expect([undefined, 'JSONPath']).toContain(definition.QueryLanguage);
    for (const [name, s] of Object.entries(definition.States)) {
      expect([undefined, 'JSONPath'], name).toContain(s.QueryLanguage);
      expect(s.Assign, name).toBeUndefined();
    }
    expect(JSON.stringify(definition)).not.toContain('{%');
  });

  it('is a Standard workflow with full logging and X-Ray tracing', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({
        Level: 'ALL',
        Destinations: [Match.objectLike({ CloudWatchLogsLogGroup: Match.anyValue() })],
      }),
    });
  });
});

describe('resources', () => {
  it('runs every Lambda function on nodejs22.x with tracing', () => {
    // aws-s3-deployment's upload handler (the web app's files) is its own, in Python: the only function not ours.
    const all = Object.entries(template.findResources('AWS::Lambda::Function'));
    const functions = all.filter(([id]) => !id.startsWith('CustomCDKBucketDeployment')).map(([, fn]) => fn);
    expect(all.length - functions.length).toBeLessThanOrEqual(1);
    expect(functions.length).toBeGreaterThanOrEqual(8);
    for (const fn of functions) {
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    }
  });

  it('encrypts every DynamoDB table and keeps point-in-time recovery on', () => {
    const tables = Object.values(template.findResources('AWS::DynamoDB::Table'));
    expect(tables).toHaveLength(8);
    for (const table of tables) {
      expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true });
      expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    }
  });

  it('keeps customer data when the stack is deleted (integration events are only a 30-day dedup record)', () => {
    const tables = Object.entries(template.findResources('AWS::DynamoDB::Table'));
    for (const [logicalId, table] of tables) {
      expect(table.DeletionPolicy, logicalId).toBe(
        logicalId.includes('IntegrationEvents') ? 'Delete' : 'Retain',
      );
    }
  });

  it('denies publishing to the callback topic without TLS', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it("filters each team queue's subscription on the queue message attribute", () => {
    for (const team of ['billing', 'delivery', 'security', 'general']) {
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'sqs',
        FilterPolicy: { queue: [team] },
      });
    }
  });

  it('leaves every resource name to CloudFormation (no hard-coded names)', () => {
    const named: [string, string][] = [
      ['AWS::DynamoDB::Table', 'TableName'],
      ['AWS::SNS::Topic', 'TopicName'],
      ['AWS::SQS::Queue', 'QueueName'],
      ['AWS::Lambda::Function', 'FunctionName'],
      ['AWS::StepFunctions::StateMachine', 'StateMachineName'],
    ];
    for (const [type, property] of named) {
      for (const [id, resource] of Object.entries(template.findResources(type))) {
        expect(resource.Properties?.[property], `${id}.${property}`).toBeUndefined();
      }
    }
  });

  it('exports ApiUrl, StateMachineArn and CallbackTopicArn', () => {
    template.hasOutput('ApiUrl', {});
    template.hasOutput('StateMachineArn', { Value: { Ref: logicalId(stack.workflow.stateMachine) } });
    template.hasOutput('CallbackTopicArn', { Value: { Ref: logicalId(stack.dispatch.topic) } });
  });
});

describe('least privilege', () => {
  it('gives IssueRefund exactly ledger GetItem/UpdateItem and accounts GetItem: the ledger is its only write', () => {
    // Prepare
    const { accounts, refundLedger } = stack.data;
    const roleId = stack.getLogicalId(
      stack.workflow.steps.issueRefund?.function.role?.node.defaultChild as iam.CfnRole,
    );

    // Assess: the intended grants are there...
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: roleId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
            Resource: tableArn(refundLedger),
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: roleId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: tableArn(accounts) }),
        ]),
      },
    });

    // ...and nothing else on DynamoDB.
    const fn = stack.workflow.steps.issueRefund?.function;
    if (!fn) throw new Error('no IssueRefund step');
    const grants = statementsOf(fn)
      .flatMap((s) => actionsOf(s).map((action) => `${action} ${JSON.stringify(s.Resource)}`))
      .filter((grant) => grant.startsWith('dynamodb:'))
      .sort();
    expect(grants).toEqual(
      [
        `dynamodb:GetItem ${JSON.stringify(tableArn(accounts))}`,
        `dynamodb:GetItem ${JSON.stringify(tableArn(refundLedger))}`,
        `dynamodb:UpdateItem ${JSON.stringify(tableArn(refundLedger))}`,
      ].sort(),
    );
  });

  it('gives CompareBilling no DynamoDB permission at all (it is pure)', () => {
    const fn = stack.workflow.steps.compareBilling?.function;
    if (!fn) throw new Error('no CompareBilling step');

    const dynamoActions = statementsOf(fn)
      .flatMap(actionsOf)
      .filter((a) => a.startsWith('dynamodb:'));

    expect(dynamoActions).toEqual([]);
    const env =
      template.findResources('AWS::Lambda::Function')[logicalId(fn)]?.Properties.Environment?.Variables;
    expect(Object.keys(env ?? {}).filter((k) => k.endsWith('_TABLE_NAME'))).toEqual([]);
  });

  it('grants no wildcard action to any role', () => {
    for (const [id, policy] of Object.entries(template.findResources('AWS::IAM::Policy'))) {
      for (const statement of policy.Properties.PolicyDocument.Statement) {
        for (const action of actionsOf(statement)) {
          expect(action, id).not.toBe('*');
          expect(action, id).not.toMatch(/^(dynamodb|sns|states|sqs):\*$/);
        }
      }
    }
  });

  it("gives RequestHuman, for the wait estimate, Query on the agents' index and GetItem on the queue records only", () => {
    const { cases, messages, refundLedger } = stack.data;
    const fn = stack.workflow.steps.requestHuman?.function;
    if (!fn) throw new Error('no RequestHuman step');
    const dynamo = statementsOf(fn).filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    const grants = dynamo
      .flatMap((s) => actionsOf(s).map((action) => `${action} ${JSON.stringify(s.Resource)}`))
      .sort();

    expect(grants).toEqual(
      [
        `dynamodb:UpdateItem ${JSON.stringify(tableArn(cases))}`,
        `dynamodb:GetItem ${JSON.stringify(tableArn(cases))}`,
        `dynamodb:Query ${JSON.stringify({ 'Fn::Join': ['', [tableArn(cases), '/index/byAgentQueue']] })}`,
        `dynamodb:Query ${JSON.stringify(tableArn(refundLedger))}`,
        `dynamodb:PutItem ${JSON.stringify(tableArn(messages))}`,
      ].sort(),
    );
    // The GetItem reaches the `QUEUE#<queue>` records and never a case (the task token, the customer's data).
    const get = dynamo.find((s) => actionsOf(s).includes('dynamodb:GetItem')) as { Condition?: unknown };
    expect(get.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['QUEUE#*'] } });
  });

  it('gives AgentClaim exactly GetItem and UpdateItem on the cases table: its queue record of claims needs no more', () => {
    const { cases } = stack.data;
    const fn = stack.node
      .findAll()
      .find(
        (c): c is lambda.Function =>
          c.node.path.includes('/AgentClaim/') && 'functionArn' in c && 'role' in c,
      );
    if (!fn) throw new Error('no AgentClaim function');
    const grants = statementsOf(fn)
      .flatMap((s) => actionsOf(s).map((action) => `${action} ${JSON.stringify(s.Resource)}`))
      .filter((grant) => grant.startsWith('dynamodb:'))
      .sort();

    expect(grants).toEqual([
      `dynamodb:GetItem ${JSON.stringify(tableArn(cases))}`,
      `dynamodb:UpdateItem ${JSON.stringify(tableArn(cases))}`,
    ]);
  });

  it('lets only RequestHuman publish callback requests', () => {
    const publishers = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      p.Properties.PolicyDocument.Statement.some((s: { Action: string | string[] }) =>
        actionsOf(s).includes('sns:Publish'),
      ),
    );
    const roleId = stack.getLogicalId(
      stack.workflow.steps.requestHuman?.function.role?.node.defaultChild as iam.CfnRole,
    );
    expect(publishers.map((p) => p.Properties.Roles)).toEqual([[{ Ref: roleId }]]);
  });
});

describe('case sweeper: no case stays stuck', () => {
  const sweeperFn = () => stack.sweeper.sweeper.function;

  it('indexes the cases table by status and last update, so open cases are found without a scan', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: Match.arrayWith([
        Match.objectLike({
          IndexName: 'byStatus',
          KeySchema: [
            { AttributeName: 'status', KeyType: 'HASH' },
            { AttributeName: 'updatedAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        }),
      ]),
    });
  });

  it('runs the sweeper on an EventBridge Scheduler rate, with the grace period from configuration', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: `rate(${stack.config.sweeperScheduleMinutes} minutes)`,
      State: 'ENABLED',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(sweeperFn()), 'Arn'] }, Input: '{}' }),
    });
    const env =
      template.findResources('AWS::Lambda::Function')[logicalId(sweeperFn())]?.Properties.Environment
        ?.Variables;
    expect(env).toMatchObject({
      SWEEPER_GRACE_PERIOD_SECONDS: String(stack.config.sweeperGracePeriodSeconds),
      STATE_MACHINE_ARN: { Ref: logicalId(stack.workflow.stateMachine) },
    });
    // Longer than intake can run: the sweeper never starts a case intake is still starting.
    expect(stack.config.sweeperGracePeriodSeconds).toBeGreaterThan(stack.config.lambdaTimeoutSeconds);
  });

  it('grants the approvals endpoint exactly: read and update cases, query accounts, ledger and the customer index, answer tasks', () => {
    const { accounts, cases, refundLedger } = stack.data;
    const grants = statementsOf(stack.api.agentApprovals.function)
      .flatMap((s) => actionsOf(s).map((action) => `${action} ${JSON.stringify(s.Resource)}`))
      .filter((grant) => !grant.startsWith('xray:'))
      .sort();
    const machine = JSON.stringify({ Ref: logicalId(stack.workflow.stateMachine) });

    expect(grants).toEqual(
      [
        `dynamodb:GetItem ${JSON.stringify(tableArn(cases))}`,
        `dynamodb:UpdateItem ${JSON.stringify(tableArn(cases))}`,
        `dynamodb:Query ${JSON.stringify({ 'Fn::Join': ['', [tableArn(cases), '/index/byCustomer']] })}`,
        `states:SendTaskFailure ${machine}`,
        `states:SendTaskHeartbeat ${machine}`,
        `states:SendTaskSuccess ${machine}`,
      ]
        .concat(grants.filter((g) => g.startsWith('dynamodb:Query') && !g.includes('/index/')))
        .sort(),
    );
    const queried = grants.filter((g) => g.startsWith('dynamodb:Query') && !g.includes('/index/')).join(' ');
    expect(queried).toContain(logicalId(accounts));
    expect(queried).toContain(logicalId(refundLedger));
  });

  it('lets the schedule invoke only the sweeper', () => {
    const roleId = stack.getLogicalId(stack.sweeper.scheduleRole.node.defaultChild as iam.CfnRole);
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements.flatMap(actionsOf)).toEqual(['lambda:InvokeFunction']);
    expect(JSON.stringify(statements)).toContain(logicalId(sweeperFn()));
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' } })],
      },
    });
  });

  it('grants the sweeper exactly: query the status index, update cases, post messages, describe and start executions', () => {
    const { cases, messages } = stack.data;
    const grants = statementsOf(sweeperFn())
      .flatMap((s) => actionsOf(s).map((action) => `${action} ${JSON.stringify(s.Resource)}`))
      .filter((grant) => !grant.startsWith('xray:'))
      .sort();
    const machine = logicalId(stack.workflow.stateMachine);

    expect(grants).toEqual(
      [
        `dynamodb:PutItem ${JSON.stringify(tableArn(messages))}`,
        `dynamodb:Query ${JSON.stringify({ 'Fn::Join': ['', [tableArn(cases), '/index/byStatus']] })}`,
        `dynamodb:UpdateItem ${JSON.stringify(tableArn(cases))}`,
        `states:DescribeExecution ${JSON.stringify({
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':states:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':execution:',
              { 'Fn::GetAtt': [machine, 'Name'] },
              ':*',
            ],
          ],
        })}`,
        `states:StartExecution ${JSON.stringify({ Ref: machine })}`,
      ].sort(),
    );
  });

  it('raises an alarm when the sweeper marks a case needs_attention, counted from its own log lines', () => {
    const logGroup = stack.getLogicalId(stack.sweeper.sweeper.logGroup.node.defaultChild as CfnElement);
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { Ref: logGroup },
      FilterPattern: '{ $.sweeperAction = "needs_attention" }',
      MetricTransformations: [
        Match.objectLike({
          MetricNamespace: 'RefundHub',
          MetricName: 'CasesSweptToNeedsAttention',
          MetricValue: '1',
        }),
      ],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'RefundHub',
      MetricName: 'CasesSweptToNeedsAttention',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(sweeperFn()) } }],
    });
  });

  it('passes the case id to LoadCustomerAccount, so a re-run does not count its own refund against itself', () => {
    expect(state(definition, 'LoadCustomerAccount').Parameters).toMatchObject({
      'caseId.$': '$.request.caseId',
    });
  });
});

describe('cdk-nag', () => {
  it('synthesizes with zero unacknowledged AwsSolutions findings', () => {
    expect(synthError).toBeUndefined();
    expect(template).toBeDefined();
  });
});
