/** The Stripe integration in the synthesized template: secrets, the two Lambdas, their grants, the schedule, the routes. */
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/shared/env.js';
import type { RefundHubStack } from '../../lib/refund-hub-stack.js';
import { synthStack } from '../synth-helpers.js';

let stack: RefundHubStack;
let template: Template;

beforeAll(() => {
  stack = synthStack().stack;
  template = Template.fromStack(stack);
}, 60_000);

const logicalId = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
function statementsOf(t: Template, s: RefundHubStack, fn: lambda.IFunction): Statement[] {
  const roleId = s.getLogicalId(fn.role?.node.defaultChild as iam.CfnRole);
  return Object.values(t.findResources('AWS::IAM::Policy'))
    .filter((p) =>
      (p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId })),
    )
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}
const actionsOf = (statement: Statement) => [statement.Action].flat();

describe('Stripe secrets', () => {
  it('are two Secrets Manager secrets created empty, each telling the operator how to put the value', () => {
    // The carrier webhook's secret (returns) is the third; these are Stripe's.
    const secrets = Object.entries(template.findResources('AWS::SecretsManager::Secret'))
      .filter(([id]) => id.startsWith('StripeSecrets'))
      .map(([, secret]) => secret);
    expect(secrets).toHaveLength(2);
    for (const secret of secrets) {
      expect(secret.Properties.GenerateSecretString).toBeUndefined();
      expect(secret.Properties.SecretString).toBeUndefined();
      expect(secret.Properties.Description).toContain('aws secretsmanager put-secret-value');
    }
  });

  it('reach the functions as ARNs only, never as values', () => {
    for (const fn of [stack.stripe.webhook.function, stack.stripe.reconcile.function]) {
      const variables =
        template.findResources('AWS::Lambda::Function')[logicalId(fn)]?.Properties.Environment.Variables;
      expect(variables[ENV.stripeSecretKeyArn]).toEqual({ Ref: logicalId(stack.stripeSecrets.apiKey) });
      expect(variables[ENV.stripeSecretKey]).toBeUndefined();
      expect(variables[ENV.stripeWebhookSecret]).toBeUndefined();
    }
    const webhookVariables =
      template.findResources('AWS::Lambda::Function')[logicalId(stack.stripe.webhook.function)]?.Properties
        .Environment.Variables;
    expect(webhookVariables[ENV.stripeWebhookSecretArn]).toEqual({
      Ref: logicalId(stack.stripeSecrets.webhookSigningSecret),
    });
    expect(webhookVariables[ENV.stripeWebhookToleranceSeconds]).toBe('300');
  });

  it('can be read (GetSecretValue) by exactly the functions that need them: the webhook both, reconciliation the API key', () => {
    const secretStatements = (fn: lambda.IFunction) =>
      statementsOf(template, stack, fn).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('secretsmanager:')),
      );
    const webhook = secretStatements(stack.stripe.webhook.function);
    expect(webhook.map(actionsOf)).toEqual([['secretsmanager:GetSecretValue']]);
    expect(webhook[0]?.Resource).toEqual([
      { Ref: logicalId(stack.stripeSecrets.apiKey) },
      { Ref: logicalId(stack.stripeSecrets.webhookSigningSecret) },
    ]);
    const reconcile = secretStatements(stack.stripe.reconcile.function);
    expect(reconcile.map((s) => s.Resource)).toEqual([{ Ref: logicalId(stack.stripeSecrets.apiKey) }]);
    const others = stack.node
      .findAll()
      .filter(
        (c): c is lambda.Function => 'role' in c && 'functionArn' in c && c !== stack.stripe.webhook.function,
      );
    expect(others.length).toBeGreaterThan(5);
    for (const fn of others)
      expect(JSON.stringify(statementsOf(template, stack, fn))).not.toContain(
        logicalId(stack.stripeSecrets.webhookSigningSecret),
      );
  });

  it('are imported by ARN when the operator names existing ones (nothing created)', () => {
    const key = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:stripe/key-AbCdEf';
    const hook = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:stripe/webhook-GhIjKl';
    const imported = synthStack({
      'refundHub:stripeSecretKeyArn': key,
      'refundHub:stripeWebhookSecretArn': hook,
    });
    const t = Template.fromStack(imported.stack);
    expect(
      Object.keys(t.findResources('AWS::SecretsManager::Secret')).filter((id) =>
        id.startsWith('StripeSecrets'),
      ),
    ).toEqual([]);
    const variables =
      t.findResources('AWS::Lambda::Function')[
        imported.stack.getLogicalId(imported.stack.stripe.webhook.function.node.defaultChild as CfnElement)
      ]?.Properties.Environment.Variables;
    expect(variables[ENV.stripeSecretKeyArn]).toBe(key);
    expect(variables[ENV.stripeWebhookSecretArn]).toBe(hook);
  }, 60_000);

  it('refuses an ARN without its 6-character suffix (a grant would not name the secret)', () => {
    expect(() =>
      synthStack({
        'refundHub:stripeWebhookSecretArn': 'arn:aws:secretsmanager:us-east-1:123456789012:secret:stripe',
      }),
    ).toThrow(/refundHub:stripeWebhookSecretArn/);
  });
});

describe('Stripe integration functions', () => {
  it('the webhook writes only the tables it must (no Scan, no Delete)', () => {
    const actions = statementsOf(template, stack, stack.stripe.webhook.function).flatMap(actionsOf);
    expect(actions.filter((a) => a.startsWith('dynamodb:')).sort()).not.toContain('dynamodb:Scan');
    expect(actions).not.toContain('dynamodb:DeleteItem');
    expect(actions).toContain('dynamodb:PutItem');
  });

  it('reconciliation only reads the ledger (Scan) and the API key: it can pay nothing', () => {
    const statements = statementsOf(template, stack, stack.stripe.reconcile.function);
    const dynamo = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    expect(dynamo.flatMap(actionsOf)).toEqual(['dynamodb:Scan']);
    expect(dynamo[0]?.Resource).toEqual({ 'Fn::GetAtt': [logicalId(stack.data.refundLedger), 'Arn'] });
  });

  it('reconciliation runs on a schedule every reconcileScheduleMinutes, and an alarm counts disagreements', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 hour)',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [logicalId(stack.stripe.reconcile.function), 'Arn'] },
      }),
    });
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.disagreements >= 0 }',
      MetricTransformations: [
        Match.objectLike({ MetricName: 'ReconciliationDisagreements', MetricValue: '$.disagreements' }),
      ],
    });
  });
});

describe('routes', () => {
  const methodFor = (fn: lambda.IFunction) =>
    Object.values(template.findResources('AWS::ApiGateway::Method')).filter((m) =>
      JSON.stringify(m.Properties.Integration?.Uri ?? '').includes(logicalId(fn)),
    );

  it('POST /integrations/stripe/webhook: no authorizer, no request model or validator (the body arrives as sent)', () => {
    const [method, ...others] = methodFor(stack.stripe.webhook.function);
    expect(others).toHaveLength(0);
    expect(method?.Properties).toMatchObject({ HttpMethod: 'POST', AuthorizationType: 'NONE' });
    expect(method?.Properties.RequestModels).toBeUndefined();
    expect(method?.Properties.RequestValidatorId).toBeUndefined();
  });

  it('POST /admin/reconciliation: IAM-authorized', () => {
    const [method] = methodFor(stack.stripe.reconcile.function);
    expect(method?.Properties).toMatchObject({ HttpMethod: 'POST', AuthorizationType: 'AWS_IAM' });
  });

  it('the stack outputs the webhook URL to give Stripe', () => {
    const outputs = template.findOutputs('StripeWebhookUrl');
    expect(JSON.stringify(outputs)).toContain('integrations/stripe/webhook');
  });
});
