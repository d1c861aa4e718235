import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENV } from '../../functions/shared/env.js';
import { AT_LEAST_ONCE } from './alarms.js';
import { tableActions } from './iam.js';
import { StepLambda } from './step-lambda.js';

export interface StripeSecretsProps {
  /** Use this existing secret for the API key (complete ARN) instead of creating one. */
  readonly stripeSecretKeyArn?: string;
  /** Use this existing secret for the webhook signing secret (complete ARN) instead of creating one. */
  readonly stripeWebhookSecretArn?: string;
}

/**
 * The two Stripe secrets in Secrets Manager: the API key (the payment provider and the webhook's
 * customer look-ups) and the webhook signing secret. Created empty (the operator puts the values in,
 * they never pass through CloudFormation), or imported by ARN. Functions get the ARN, never the value.
 */
export class StripeSecrets extends Construct {
  public readonly apiKey: secretsmanager.ISecret;
  public readonly webhookSigningSecret: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, props: StripeSecretsProps = {}) {
    super(scope, id);
    this.apiKey = this.secret(
      'ApiKey',
      props.stripeSecretKeyArn,
      'Refund Hub: the Stripe secret API key (sk_live_… or a restricted rk_live_… key with refunds, charges, customers, ' +
        'payment intents and customer balance). Set it with: aws secretsmanager put-secret-value --secret-id <this ARN> --secret-string sk_live_…',
    );
    this.webhookSigningSecret = this.secret(
      'WebhookSigningSecret',
      props.stripeWebhookSecretArn,
      "Refund Hub: the signing secret of the Stripe webhook endpoint (whsec_…, shown on the endpoint's page in the Stripe dashboard). " +
        'Set it with: aws secretsmanager put-secret-value --secret-id <this ARN> --secret-string whsec_…',
    );
  }

  private secret(id: string, arn: string | undefined, description: string): secretsmanager.ISecret {
    if (arn) return secretsmanager.Secret.fromSecretCompleteArn(this, id, arn);
    const secret = new secretsmanager.Secret(this, id, { description });
    // No generated value: an empty secret (CloudFormation creates one when neither value property is given).
    (secret.node.defaultChild as secretsmanager.CfnSecret).addPropertyDeletionOverride(
      'GenerateSecretString',
    );
    return secret;
  }

  /** secretsmanager:GetSecretValue on exactly these secrets. */
  public grantRead(grantee: iam.IGrantable, which: readonly secretsmanager.ISecret[]): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: which.map((s) => s.secretArn),
      }),
    );
  }
}

export interface StripeIntegrationProps {
  readonly secrets: StripeSecrets;
  readonly accounts: dynamodb.ITable;
  readonly refundLedger: dynamodb.ITable;
  readonly integrationEvents: dynamodb.ITable;
  /** For the hand-off of a refund Stripe failed: the case, the customer's message, the follow-up execution. */
  readonly cases: dynamodb.ITable;
  readonly messages: dynamodb.ITable;
  readonly stateMachine: sfn.IStateMachine;
  readonly paymentProvider: 'ledger' | 'stripe';
  readonly webhookToleranceSeconds: number;
  readonly reconcileScheduleMinutes: number;
  /** @default Duration.seconds(10) */
  readonly lambdaTimeout?: Duration;
}

/** The metric reconciliation's report lines are counted in. */
export const RECONCILE_METRIC = { namespace: 'RefundHub', name: 'ReconciliationDisagreements' } as const;

/**
 * The Stripe integration: the webhook Lambda (refund statuses, refunds made outside Refund Hub,
 * subscriptions and charges), and reconciliation of the ledger with the provider on a schedule
 * (and on demand through the admin API), with an alarm when they disagree.
 */
export class StripeIntegration extends Construct {
  public readonly webhook: StepLambda;
  public readonly reconcile: StepLambda;
  public readonly schedule: scheduler.Schedule;
  /** The role EventBridge Scheduler assumes to invoke reconciliation. */
  public readonly scheduleRole: iam.Role;
  public readonly disagreementsAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: StripeIntegrationProps) {
    super(scope, id);
    const { secrets } = props;
    const secretEnv = {
      [ENV.stripeSecretKeyArn]: secrets.apiKey.secretArn,
      [ENV.paymentProvider]: props.paymentProvider,
    };

    this.webhook = new StepLambda(this, 'Webhook', {
      ...(props.lambdaTimeout ? { timeout: props.lambdaTimeout } : {}),
      entry: 'functions/stripe-webhook/handler.ts',
      description:
        'POST /v1/integrations/stripe/webhook: verified Stripe events update refunds and accounts, once per event',
      environment: {
        ...secretEnv,
        [ENV.stripeWebhookSecretArn]: secrets.webhookSigningSecret.secretArn,
        [ENV.stripeWebhookToleranceSeconds]: String(props.webhookToleranceSeconds),
        [ENV.accountsTable]: props.accounts.tableName,
        [ENV.refundLedgerTable]: props.refundLedger.tableName,
        [ENV.integrationEventsTable]: props.integrationEvents.tableName,
        [ENV.casesTable]: props.cases.tableName,
        [ENV.messagesTable]: props.messages.tableName,
        [ENV.stateMachineArn]: props.stateMachine.stateMachineArn,
      },
    });
    const webhook = this.webhook.function;
    secrets.grantRead(webhook, [secrets.apiKey, secrets.webhookSigningSecret]);
    webhook.addToRolePolicy(
      tableActions(props.integrationEvents, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']),
    );
    webhook.addToRolePolicy(
      tableActions(props.accounts, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']),
    );
    webhook.addToRolePolicy(tableActions(props.refundLedger, ['dynamodb:GetItem', 'dynamodb:UpdateItem']));
    // The hand-off: the case gets the failure and a follow-up execution takes it to a person.
    webhook.addToRolePolicy(tableActions(props.cases, ['dynamodb:GetItem', 'dynamodb:UpdateItem']));
    webhook.addToRolePolicy(tableActions(props.messages, ['dynamodb:PutItem']));
    props.stateMachine.grantStartExecution(webhook);

    this.reconcile = new StepLambda(this, 'Reconcile', {
      entry: 'functions/reconcile/handler.ts',
      description:
        'Compares the refund ledger with the payment provider and reports disagreements (pays nothing)',
      // A large ledger: the run stops asking before the timeout and reports itself incomplete.
      timeout: Duration.minutes(5),
      environment: { ...secretEnv, [ENV.refundLedgerTable]: props.refundLedger.tableName },
    });
    const reconcile = this.reconcile.function;
    secrets.grantRead(reconcile, [secrets.apiKey]);
    // Every line: a scan (reconciliation reads the whole ledger).
    reconcile.addToRolePolicy(tableActions(props.refundLedger, ['dynamodb:Scan']));

    this.scheduleRole = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'EventBridge Scheduler invokes reconciliation',
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'Reconciles the refund ledger with the payment provider',
      schedule: scheduler.ScheduleExpression.rate(Duration.minutes(props.reconcileScheduleMinutes)),
      target: new targets.LambdaInvoke(reconcile, {
        input: scheduler.ScheduleTargetInput.fromObject({}),
        role: this.scheduleRole,
        // A missed run needs no dead-letter queue: the next one compares the same lines.
        retryAttempts: 2,
        maxEventAge: Duration.minutes(Math.min(props.reconcileScheduleMinutes, 1_440)),
      }),
    });

    const period = Duration.minutes(Math.max(5, props.reconcileScheduleMinutes));
    const disagreements = new logs.MetricFilter(this, 'DisagreementLines', {
      logGroup: this.reconcile.logGroup,
      filterPattern: logs.FilterPattern.numberValue('$.disagreements', '>=', 0),
      metricNamespace: RECONCILE_METRIC.namespace,
      metricName: RECONCILE_METRIC.name,
      metricValue: '$.disagreements',
      defaultValue: 0,
    }).metric({ period, statistic: 'Maximum' });
    this.disagreementsAlarm = new cloudwatch.Alarm(this, 'ReconciliationDisagreements', {
      alarmDescription:
        'The refund ledger and the payment provider disagree (a status, an unknown refund, a refund stuck before the provider call): ' +
        'see the reconcile log or run npm run reconcile.',
      metric: disagreements,
      ...AT_LEAST_ONCE,
    });
    new cloudwatch.Alarm(this, 'ReconcileErrors', {
      alarmDescription: 'Reconciliation failed: the ledger is not being compared with the payment provider.',
      metric: reconcile.metricErrors({ period, statistic: 'Sum' }),
      ...AT_LEAST_ONCE,
    });
  }
}
