import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor, pageLimit } from '../shared/cursor.js';
import { documentClient } from '../shared/document-client.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { customerIdOf, httpHandler, json } from '../shared/http.js';
import * as z from '../shared/zod.js';

const messagesTable = requiredEnv(ENV.messagesTable);
const MAX_PAGE = 100;

/** The bySentAt page key DynamoDB returns: exactly the table key (customerId, messageKey) and the index's sentAt. */
const cursorSchema = (customerId: string) =>
  z.strictObject({
    // A cursor only ever pages through the caller's own messages.
    customerId: z.literal(customerId),
    messageKey: z.string().check(z.regex(/^case-[0-9a-f]{32}#[a-z0-9_-]{1,64}$/)),
    sentAt: z.iso.datetime(),
  });

/** GET /v1/messages?limit=&nextToken=: the caller's message center, newest first. */
export const handler = httpHandler(async (event) => {
  const customerId = customerIdOf(event);
  const limit = pageLimit(event.queryStringParameters?.limit, 20, MAX_PAGE);
  const startKey = decodeCursor(event.queryStringParameters?.nextToken, cursorSchema(customerId));
  const page = await documentClient.send(
    new QueryCommand({
      TableName: messagesTable,
      IndexName: 'bySentAt',
      KeyConditionExpression: 'customerId = :c',
      ExpressionAttributeValues: { ':c': customerId },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: startKey,
    }),
  );
  const messages = (page.Items ?? []).map((m) => ({
    caseId: m.caseId,
    subject: m.subject,
    body: m.body,
    sentAt: m.sentAt,
  }));
  return json(200, { messages, nextToken: encodeCursor(page.LastEvaluatedKey) });
});
