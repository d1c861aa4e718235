import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ENV } from '../../functions/shared/env.js';
import type { RefundHubConfig } from '../config.js';
import { AT_LEAST_ONCE } from './alarms.js';
import { queryOnly, tableActions } from './iam.js';
import { invokeStep, StepLambda, transientRetry } from './step-lambda.js';

export interface ReturnsWorkflowProps {
  readonly config: RefundHubConfig;
  readonly accounts: dynamodb.ITable;
  readonly messages: dynamodb.ITable;
  readonly refundLedger: dynamodb.ITable;
  readonly returns: dynamodb.ITable;
  /** The Stripe API key's secret, when `paymentProvider` is `stripe`: only the refund step reads it. */
  readonly stripeSecretKey?: secretsmanager.ISecret;
}

/** The environment every returns Lambda that decides eligibility gets: the policy numbers from lib/config.ts. */
export function returnsPolicyEnvironment(config: RefundHubConfig): Record<string, string> {
  return {
    [ENV.returnWindowDays]: String(config.returnWindowDays),
    [ENV.maxReturnsPer90Days]: String(config.maxReturnsPer90Days),
    [ENV.labelLifeDays]: String(config.labelLifeDays),
    [ENV.highValueThresholds]: JSON.stringify(config.highValueThresholds),
  };
}

const C = sfn.Condition;

/**
 * Returns with "refund at first scan" (POLICY.md v2 "Returns"): a second Standard state machine, one Lambda per step,
 * JSONPath only (the embedded runtime runs it unchanged). Check eligibility again, create the label, wait for the
 * carrier (the label's life is the timeout: `expired`), then refund at the first scan, or wait for the warehouse
 * and an agent's inspection. Every Task retries faults and then hands the return to a person: nothing is lost or stuck.
 */
export class ReturnsWorkflow extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  public readonly steps: Readonly<Record<string, StepLambda>>;

  constructor(scope: Construct, id: string, props: ReturnsWorkflowProps) {
    super(scope, id);
    const { config } = props;
    const fns = new Construct(this, 'Steps');
    const timeout = Duration.seconds(config.lambdaTimeoutSeconds);
    const returnsEnv = { [ENV.returnsTable]: props.returns.tableName };

    const check = new StepLambda(fns, 'CheckEligibility', {
      timeout,
      entry: 'functions/returns-check/handler.ts',
      description:
        'Checks a return again against the stored account and earlier returns; decides its refund policy',
      environment: {
        ...returnsEnv,
        [ENV.accountsTable]: props.accounts.tableName,
        [ENV.refundLedgerTable]: props.refundLedger.tableName,
        ...returnsPolicyEnvironment(config),
      },
    });
    check.function.addToRolePolicy(queryOnly([props.accounts, props.refundLedger]));
    check.function.addToRolePolicy(returnsIndexQuery(props.returns, 'byCustomer'));

    const label = new StepLambda(fns, 'CreateLabel', {
      timeout,
      entry: 'functions/returns-label/handler.ts',
      description: "Gets the return's prepaid label from the carrier port and records label_created",
      environment: {
        ...returnsEnv,
        [ENV.messagesTable]: props.messages.tableName,
        [ENV.labelLifeDays]: String(config.labelLifeDays),
        [ENV.carrier]: 'simulated',
      },
    });
    label.function.addToRolePolicy(tableActions(props.returns, ['dynamodb:GetItem', 'dynamodb:UpdateItem']));
    label.function.addToRolePolicy(tableActions(props.messages, ['dynamodb:PutItem']));

    const carrierWaitStep = new StepLambda(fns, 'WaitForCarrier', {
      timeout,
      entry: 'functions/returns-wait/handler.ts',
      description:
        "Stores the carrier wait's task token on the return; resumes at once for an event already stored",
      environment: returnsEnv,
    });
    carrierWaitStep.function.addToRolePolicy(tableActions(props.returns, ['dynamodb:UpdateItem']));

    const awaitInspection = new StepLambda(fns, 'AwaitInspection', {
      timeout,
      entry: 'functions/returns-wait/inspection-handler.ts',
      description: "Puts a return awaiting_inspection in the delivery team's list with its task token",
      environment: { ...returnsEnv, [ENV.messagesTable]: props.messages.tableName },
    });
    awaitInspection.function.addToRolePolicy(
      tableActions(props.returns, ['dynamodb:GetItem', 'dynamodb:UpdateItem']),
    );
    awaitInspection.function.addToRolePolicy(tableActions(props.messages, ['dynamodb:PutItem']));

    const paymentEnvironment: Record<string, string> = {
      [ENV.paymentProvider]: config.paymentProvider,
      ...(config.paymentProvider === 'stripe' && props.stripeSecretKey
        ? { [ENV.stripeSecretKeyArn]: props.stripeSecretKey.secretArn }
        : {}),
    };
    const refund = new StepLambda(fns, 'IssueReturnRefund', {
      timeout,
      entry: 'functions/returns-refund/handler.ts',
      description:
        "Refunds a return once on the order's charge, at most its remainder, through the ledger and provider",
      environment: {
        [ENV.accountsTable]: props.accounts.tableName,
        [ENV.refundLedgerTable]: props.refundLedger.tableName,
        ...paymentEnvironment,
      },
    });
    refund.function.addToRolePolicy(tableActions(props.accounts, ['dynamodb:GetItem']));
    refund.function.addToRolePolicy(
      tableActions(props.refundLedger, ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:Query']),
    );
    if (config.paymentProvider === 'stripe' && props.stripeSecretKey)
      props.stripeSecretKey.grantRead(refund.function);

    const record = new StepLambda(fns, 'RecordReturn', {
      timeout,
      entry: 'functions/returns-record/handler.ts',
      description: "Records a return's outcome on its timeline and in the customer's message center",
      environment: { ...returnsEnv, [ENV.messagesTable]: props.messages.tableName },
    });
    record.function.addToRolePolicy(tableActions(props.returns, ['dynamodb:GetItem', 'dynamodb:UpdateItem']));
    record.function.addToRolePolicy(tableActions(props.messages, ['dynamodb:PutItem']));

    this.steps = { check, label, wait: carrierWaitStep, awaitInspection, refund, record };

    const who = { 'returnId.$': '$.request.returnId', 'customerId.$': '$.request.customerId' };

    // ---- The fail-safe: any fault, after its retries, hands the return to a person ----
    const failed = new sfn.Fail(this, 'ReturnNeedsAttention', {
      error: 'ReturnNeedsAttention',
      cause: 'The return could not be completed automatically; it is with a person (needs_attention).',
    });
    const markNeedsAttention = this.invoke('HandReturnToPerson', record, {
      mode: 'needs_attention',
      ...who,
      'queue.$': '$.attention.queue',
      'reason.$': '$.attention.reason',
      'error.$': '$.lastError',
    });
    markNeedsAttention.addCatch(failed, { resultPath: '$.lastError' });
    markNeedsAttention.next(failed);
    const attention = (name: string, queue: string, reason: string) =>
      new sfn.Pass(this, name, { parameters: { queue, reason }, resultPath: '$.attention' }).next(
        markNeedsAttention,
      );
    const systemFault = attention('ReturnStepFailed', 'delivery', 'system_error');
    const catchToPerson = (task: tasks.LambdaInvoke) =>
      task.addCatch(systemFault, { resultPath: '$.lastError' });

    const done = new sfn.Succeed(this, 'ReturnClosed');
    const recordTask = (name: string, payload: Record<string, unknown>) => {
      const task = this.invoke(name, record, { ...who, ...payload });
      catchToPerson(task);
      return task.next(done);
    };

    // ---- Refund ----
    const issueRefund = this.invoke(
      'IssueReturnRefund',
      refund,
      { ...who, 'chargeId.$': '$.check.chargeId', 'amount.$': '$.check.refundAmount' },
      '$.refund',
    );
    catchToPerson(issueRefund);
    issueRefund.next(
      new sfn.Choice(this, 'ReturnRefunded')
        // The provider refused it for good, as the support workflow's refund_failed: billing pays another way.
        .when(
          C.booleanEquals('$.refund.failed', true),
          attention('ReturnRefundFailed', 'billing', 'refund_failed'),
        )
        // Nothing left on the order's charge (or no charge): never pay more than it; billing looks at it.
        .when(
          C.numberEquals('$.refund.refundedAmount', 0),
          attention('ReturnNothingLeftToRefund', 'billing', 'nothing_left_to_refund'),
        )
        .otherwise(recordTask('RecordRefunded', { mode: 'refunded', 'refund.$': '$.refund' })),
    );

    // ---- Inspection ----
    const inspectionWait = new tasks.LambdaInvoke(this, 'AwaitInspection', {
      lambdaFunction: awaitInspection.function,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: sfn.TaskInput.fromObject({
        taskToken: sfn.JsonPath.taskToken,
        'returnId.$': '$.request.returnId',
      }),
      taskTimeout: sfn.Timeout.duration(Duration.days(config.inspectionTimeoutDays)),
      resultPath: '$.inspection',
      retryOnServiceExceptions: false,
    });
    waitRetries(inspectionWait);
    inspectionWait.addCatch(attention('InspectionOverdue', 'delivery', 'inspection_overdue'), {
      errors: ['States.Timeout'],
      resultPath: '$.lastError',
    });
    catchToPerson(inspectionWait);
    inspectionWait.next(
      new sfn.Choice(this, 'InspectionResult')
        .when(C.stringEquals('$.inspection.result', 'pass'), issueRefund)
        .when(
          C.stringEquals('$.inspection.result', 'fail'),
          recordTask('RecordInspectionFailed', { mode: 'inspection_failed', 'inspection.$': '$.inspection' }),
        )
        .otherwise(systemFault),
    );

    // ---- The carrier ----
    const carrierWait = (name: string, wait: 'first_scan' | 'delivered_to_warehouse') => {
      const task = new tasks.LambdaInvoke(this, name, {
        lambdaFunction: carrierWaitStep.function,
        integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        payload: sfn.TaskInput.fromObject({
          taskToken: sfn.JsonPath.taskToken,
          'returnId.$': '$.request.returnId',
          wait,
        }),
        // The label's life: no scan by then and the label is void.
        taskTimeout: sfn.Timeout.duration(Duration.days(config.labelLifeDays)),
        resultPath: '$.scan',
        retryOnServiceExceptions: false,
      });
      waitRetries(task);
      return task;
    };
    const waitForWarehouse = carrierWait('WaitForWarehouse', 'delivered_to_warehouse');
    // Scanned but never at the warehouse within the label's life: a lost return, the delivery team looks for it.
    waitForWarehouse.addCatch(attention('ReturnNeverArrived', 'delivery', 'return_not_at_warehouse'), {
      errors: ['States.Timeout'],
      resultPath: '$.lastError',
    });
    catchToPerson(waitForWarehouse);
    waitForWarehouse.next(inspectionWait);

    const firstScan = carrierWait('WaitForFirstScan', 'first_scan');
    firstScan.addCatch(recordTask('RecordExpired', { mode: 'expired' }), {
      errors: ['States.Timeout'],
      resultPath: '$.lastError',
    });
    catchToPerson(firstScan);
    firstScan.next(
      new sfn.Choice(this, 'RefundPolicy')
        .when(C.stringEquals('$.check.refundPolicy', 'refund_at_first_scan'), issueRefund)
        .when(
          C.stringEquals('$.check.refundPolicy', 'inspect_then_refund'),
          new sfn.Choice(this, 'AlreadyAtWarehouse')
            .when(C.stringEquals('$.scan.event', 'delivered_to_warehouse'), inspectionWait)
            .otherwise(waitForWarehouse),
        )
        .otherwise(systemFault),
    );

    const createLabel = this.invoke(
      'CreateLabel',
      label,
      { ...who, 'orderId.$': '$.request.orderId', 'requestedAt.$': '$.request.requestedAt' },
      '$.label',
    );
    catchToPerson(createLabel);
    createLabel.next(firstScan);

    const checkTask = this.invoke(
      'CheckEligibility',
      check,
      {
        ...who,
        'orderId.$': '$.request.orderId',
        'items.$': '$.request.items',
        'requestedAt.$': '$.request.requestedAt',
      },
      '$.check',
    );
    catchToPerson(checkTask);
    checkTask.next(
      new sfn.Choice(this, 'StillEligible')
        .when(C.booleanEquals('$.check.eligible', true), createLabel)
        .otherwise(recordTask('RecordRejected', { mode: 'rejected', 'rejection.$': '$.check.rejection' })),
    );

    const start = new sfn.Pass(this, 'StartReturn', {
      comment: 'Keeps the request and gives every later path a defined value.',
      parameters: {
        'request.$': '$',
        check: {
          eligible: false,
          rejection: null,
          refundPolicy: 'none',
          refundAmount: 0,
          currency: '',
          chargeId: null,
        },
        label: { trackingId: '' },
        scan: { event: 'none' },
        inspection: { result: 'none' },
        refund: { refundedAmount: 0, failed: false },
        attention: { queue: 'delivery', reason: 'none' },
        lastError: { Error: 'none', Cause: '' },
      },
    });
    start.next(checkTask);

    const logGroup = new logs.LogGroup(this, 'ExecutionLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(start),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      comment:
        'Refund Hub returns: label, carrier scan, refund at first scan or after inspection, exactly once',
    });

    // The wait step resumes its own wait when the event was already stored (the race with the webhook).
    // A policy of its own (not the role's default one, which the function depends on): no dependency cycle.
    const role = carrierWaitStep.function.role;
    if (role)
      new iam.Policy(this, 'WaitStepResumesItself', {
        roles: [role],
        statements: [
          new iam.PolicyStatement({
            actions: ['states:SendTaskSuccess'],
            resources: [this.stateMachine.stateMachineArn],
          }),
        ],
      });

    new cloudwatch.Alarm(this, 'ReturnsNeedAttention', {
      alarmDescription:
        'A return was handed to a person: a step kept failing, a refund failed or nothing was left to refund.',
      metric: this.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
      ...AT_LEAST_ONCE,
    });
  }

  /** A Lambda Task with the workflow's retry policy; its result lands at `resultPath`. */
  private invoke(
    name: string,
    step: StepLambda,
    payload: Record<string, unknown>,
    resultPath: string = sfn.JsonPath.DISCARD,
  ): tasks.LambdaInvoke {
    return invokeStep(this, name, step, payload, resultPath);
  }
}

/** A wait's timeout is its answer, never retried; a fault registering the token is. */
function waitRetries(task: tasks.LambdaInvoke): void {
  task.addRetry({ errors: ['States.Timeout', 'InvalidStepInputError'], maxAttempts: 0 });
  task.addRetry(transientRetry());
}

/** Only the returns table's given index: the steps read one customer's returns, nothing wider. */
export function returnsIndexQuery(table: dynamodb.ITable, index: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: ['dynamodb:Query'],
    resources: [`${table.tableArn}/index/${index}`],
  });
}
