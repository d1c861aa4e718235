/**
 * readQueue, the SQS consumer the benchmark and the LocalStack test use (agents no longer read SQS:
 * `agent queue` reads the cases table through the API). A peek leaves messages; ack deletes them.
 */
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { readQueue } from '../../cli/queue.js';

const sqsMock = mockClient(SQSClient);
afterEach(() => sqsMock.reset());

const callback = (caseId: string, receives: number) => ({
  MessageId: `m-${caseId}`,
  ReceiptHandle: `rh-${caseId}`,
  Attributes: { ApproximateReceiveCount: String(receives) },
  Body: JSON.stringify({ caseId, queue: 'security', priority: 'urgent' }),
});

describe('readQueue', () => {
  it('peeks by default (nothing deleted) and deletes what it showed with ack', async () => {
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [callback('case-1', 1), callback('case-2', 4)] })
      .resolves({ Messages: [callback('case-1', 2)] });
    sqsMock.on(DeleteMessageCommand).resolves({});
    const sqs = new SQSClient({ region: 'us-east-1' });

    const peeked = await readQueue(sqs, 'https://sqs/q');
    expect(peeked.map((m) => m.MessageId)).toEqual(['m-case-1', 'm-case-2']);
    expect(sqsMock.commandCalls(DeleteMessageCommand)).toHaveLength(0);
    expect(sqsMock.commandCalls(ReceiveMessageCommand)[0]?.args[0].input.VisibilityTimeout).toBe(0);

    sqsMock.resetHistory();
    await readQueue(sqs, 'https://sqs/q', { ack: true });
    expect(sqsMock.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input.ReceiptHandle)).toEqual([
      'rh-case-1',
      'rh-case-2',
    ]);
  });
});
