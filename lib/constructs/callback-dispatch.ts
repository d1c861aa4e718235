import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { QUEUES, type TeamQueue } from '../../functions/shared/types.js';
import { AT_LEAST_ONCE } from './alarms.js';

export interface CallbackDispatchProps {
  /** An e-mail address that also receives every callback request. @default none */
  readonly alertEmail?: string;
  /** An E.164 number that also receives every callback request by SMS. @default none */
  readonly alertSms?: string;
}

/**
 * "Call Me Now" dispatch: one SNS topic (TLS enforced); each team's SQS queue subscribes with a
 * filter on the `queue` message attribute and has a dead-letter queue.
 */
export class CallbackDispatch extends Construct {
  public readonly topic: sns.Topic;
  public readonly teamQueues: Readonly<Record<TeamQueue, sqs.Queue>>;

  constructor(scope: Construct, id: string, props: CallbackDispatchProps = {}) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'CallbackRequests', {
      displayName: 'Refund Hub callback requests',
      enforceSSL: true,
    });

    const queues = {} as Record<TeamQueue, sqs.Queue>;
    for (const team of QUEUES) {
      const deadLetters = new sqs.Queue(this, `${team}DeadLetters`, {
        retentionPeriod: Duration.days(14),
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
      });
      const queue = new sqs.Queue(this, `${team}Queue`, {
        retentionPeriod: Duration.days(4),
        visibilityTimeout: Duration.minutes(5),
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        deadLetterQueue: { queue: deadLetters, maxReceiveCount: 5 },
      });
      this.topic.addSubscription(
        new subscriptions.SqsSubscription(queue, {
          rawMessageDelivery: true,
          filterPolicy: { queue: sns.SubscriptionFilter.stringFilter({ allowlist: [team] }) },
        }),
      );
      queues[team] = queue;
      // A callback request that agents' tooling failed to process five times is a lost customer.
      new cloudwatch.Alarm(this, `${team}DeadLettersAlarm`, {
        alarmDescription: `Callback requests for the ${team} team are failing into the dead-letter queue.`,
        metric: deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
        ...AT_LEAST_ONCE,
      });
    }
    this.teamQueues = queues;

    if (props.alertEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alertEmail));
    if (props.alertSms) this.topic.addSubscription(new subscriptions.SmsSubscription(props.alertSms));
  }
}
