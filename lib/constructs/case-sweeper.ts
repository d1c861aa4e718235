import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { CASES_BY_STATUS_INDEX } from '../../functions/shared/case-record.js';
import { ENV } from '../../functions/shared/env.js';
import { ALARM_ON_METRIC } from '../../functions/shared/metric-points.js';
import { AT_LEAST_ONCE } from './alarms.js';
import { tableActions } from './iam.js';
import { StepLambda } from './step-lambda.js';

export interface CaseSweeperProps {
  readonly cases: dynamodb.ITable;
  readonly messages: dynamodb.ITable;
  readonly stateMachine: sfn.StateMachine;
  readonly gracePeriodSeconds: number;
  readonly scheduleMinutes: number;
}

/** The metric the sweeper's "marked needs_attention" log lines are counted in. */
export const SWEEPER_METRIC = { namespace: 'RefundHub', name: 'CasesSweptToNeedsAttention' } as const;

/**
 * No case stays stuck: a scheduled Lambda finds cases still open after a grace period and starts
 * the execution each one waits on (same name and input, so idempotent), or marks the case
 * needs_attention when that execution ended; an alarm fires on the latter.
 */
export class CaseSweeper extends Construct {
  public readonly sweeper: StepLambda;
  public readonly schedule: scheduler.Schedule;
  public readonly alarm: cloudwatch.Alarm;
  /** The role EventBridge Scheduler assumes to invoke the sweeper. */
  public readonly scheduleRole: iam.Role;

  constructor(scope: Construct, id: string, props: CaseSweeperProps) {
    super(scope, id);
    this.sweeper = new StepLambda(this, 'Sweeper', {
      entry: 'functions/sweeper/handler.ts',
      description: 'Starts the execution of cases left open after a crash, or marks them needs_attention',
      // Room for a large backlog; the handler stops taking cases before the timeout and the next run goes on.
      timeout: Duration.minutes(2),
      environment: {
        [ENV.casesTable]: props.cases.tableName,
        [ENV.messagesTable]: props.messages.tableName,
        [ENV.stateMachineArn]: props.stateMachine.stateMachineArn,
        [ENV.sweeperGracePeriodSeconds]: String(props.gracePeriodSeconds),
      },
    });
    const fn = this.sweeper.function;
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${props.cases.tableArn}/index/${CASES_BY_STATUS_INDEX}`],
      }),
    );
    fn.addToRolePolicy(tableActions(props.cases, ['dynamodb:UpdateItem']));
    fn.addToRolePolicy(tableActions(props.messages, ['dynamodb:PutItem']));
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['states:StartExecution'],
        resources: [props.stateMachine.stateMachineArn],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['states:DescribeExecution'],
        resources: [
          Stack.of(this).formatArn({
            service: 'states',
            resource: 'execution',
            // Every execution of this state machine: their names are the case ids.
            resourceName: `${props.stateMachine.stateMachineName}:*`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );

    this.scheduleRole = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'EventBridge Scheduler invokes the case sweeper',
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'Runs the case sweeper',
      schedule: scheduler.ScheduleExpression.rate(Duration.minutes(props.scheduleMinutes)),
      target: new targets.LambdaInvoke(fn, {
        input: scheduler.ScheduleTargetInput.fromObject({}),
        role: this.scheduleRole,
        // A missed run needs no dead-letter queue: the next one sweeps the same cases.
        retryAttempts: 2,
        maxEventAge: Duration.minutes(props.scheduleMinutes),
      }),
    });

    const metric = new logs.MetricFilter(this, 'NeedsAttentionLines', {
      logGroup: this.sweeper.logGroup,
      filterPattern: logs.FilterPattern.stringValue('$.sweeperAction', '=', 'needs_attention'),
      metricNamespace: SWEEPER_METRIC.namespace,
      metricName: SWEEPER_METRIC.name,
      metricValue: '1',
      defaultValue: 0,
    }).metric({ period: Duration.minutes(Math.max(5, props.scheduleMinutes)), statistic: 'Sum' });
    this.alarm = new cloudwatch.Alarm(this, ALARM_ON_METRIC.StuckCasesFound as string, {
      alarmDescription:
        'The sweeper found a case whose execution ended (failed, timed out, aborted) or kept being lost: it is marked needs_attention.',
      metric,
      ...AT_LEAST_ONCE,
    });
    new cloudwatch.Alarm(this, 'SweeperErrors', {
      alarmDescription: 'The case sweeper failed: stuck cases are not being recovered.',
      metric: fn.metricErrors({
        period: Duration.minutes(Math.max(5, props.scheduleMinutes)),
        statistic: 'Sum',
      }),
      ...AT_LEAST_ONCE,
    });
  }
}
