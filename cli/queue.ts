/**
 * Reading a team's SQS callback queue as an integration consumer does (the benchmark's agents drain it
 * with `ack`; the LocalStack test checks a handoff reached it). Not for agents: `agent queue` reads the
 * cases table, because every receive counts towards the queue's maxReceiveCount (5) and a request
 * peeked five times moves to the dead-letter queue. A peek receives with a zero visibility timeout.
 */
import {
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

export const MAX_RECEIVE_COUNT = 5;

export interface QueueOptions {
  readonly ack?: boolean;
  /** Most messages to show. @default 10 */
  readonly max?: number;
  /** Long-poll wait of the first receive (seconds). @default 1 */
  readonly waitSeconds?: number;
}

export async function readQueue(
  sqs: SQSClient,
  queueUrl: string,
  options: QueueOptions = {},
): Promise<Message[]> {
  const max = options.max ?? 10;
  const seen = new Map<string, Message>();
  for (let attempt = 0; attempt < 5 && seen.size < max; attempt++) {
    const result = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, max - seen.size),
        WaitTimeSeconds: attempt === 0 ? (options.waitSeconds ?? 1) : 0,
        // A peek leaves the message visible to the agents' tooling; an ack hides it until deleted.
        VisibilityTimeout: options.ack ? 30 : 0,
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
        MessageAttributeNames: ['All'],
      }),
    );
    const fresh = (result.Messages ?? []).filter((m) => m.MessageId && !seen.has(m.MessageId));
    if (fresh.length === 0) break;
    for (const message of fresh) seen.set(message.MessageId as string, message);
  }
  const messages = [...seen.values()];
  if (options.ack) {
    for (const message of messages) {
      if (message.ReceiptHandle)
        await sqs.send(
          new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }),
        );
    }
  }
  return messages;
}
