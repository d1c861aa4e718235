/** The customer's message center: one item per message, newest last by sort key. */
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';

export interface CustomerMessage {
  readonly caseId: string;
  readonly subject: string;
  readonly body: string;
}

export async function postMessage(
  client: DynamoDBDocumentClient,
  messagesTable: string,
  customerId: string,
  message: CustomerMessage,
  sentAt: string,
  kind: string,
): Promise<void> {
  await client.send(
    new PutCommand({
      TableName: messagesTable,
      // A deterministic key: a retried step overwrites its own message instead of posting it twice.
      Item: { customerId, messageKey: `${message.caseId}#${kind}`, sentAt, ...message },
    }),
  );
}
