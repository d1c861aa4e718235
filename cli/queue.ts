/**
 * The callback requests waiting on a team's queue. Reading is a peek by default: messages are
 * received with a zero visibility timeout and left on the queue; `--ack` deletes what was shown.
 * Every receive counts towards the queue's maxReceiveCount (5): a request peeked five times moves
 * to the dead-letter queue, so the listing warns when one is close.
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

interface CallbackBody {
  caseId?: string;
  customerId?: string;
  priority?: string;
  reason?: string;
  contact?: string;
  phoneNumber?: string | null;
  message?: string;
  intent?: string;
  escalation?: number;
  requestedAt?: string;
}

/** Two lines per callback request: who and why, then the customer's words. */
export function formatCallback(message: Message): string[] {
  let body: CallbackBody;
  try {
    body = JSON.parse(message.Body ?? '{}') as CallbackBody;
  } catch {
    return [`  ${message.MessageId}: ${message.Body ?? ''}`];
  }
  const receives = Number(message.Attributes?.ApproximateReceiveCount ?? 0);
  const warning =
    receives >= MAX_RECEIVE_COUNT - 1
      ? ` [received ${receives}x: at ${MAX_RECEIVE_COUNT} it moves to the dead-letter queue]`
      : '';
  const contact = body.contact === 'call' && body.phoneNumber ? `call ${body.phoneNumber}` : 'live chat';
  return [
    `${body.caseId ?? message.MessageId}  ${body.priority ?? 'normal'}  ${body.reason ?? ''}  customer ${body.customerId ?? '?'}  ${contact}${body.escalation ? `  escalation ${body.escalation}` : ''}${warning}`,
    `    "${body.message ?? ''}" (intent ${body.intent ?? '?'}, requested ${body.requestedAt ?? '?'})`,
  ];
}
