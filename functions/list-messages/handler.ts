import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { documentClient } from '../shared/clients.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { customerIdOf, HttpError, httpHandler, json } from '../shared/http.js';

const messagesTable = requiredEnv(ENV.messagesTable);
const MAX_PAGE = 100;

/** The bySentAt page key DynamoDB returns: exactly the table key (customerId, messageKey) and the index's sentAt. */
const cursorSchema = (customerId: string) =>
  z.strictObject({
    // A cursor only ever pages through the caller's own messages.
    customerId: z.literal(customerId),
    messageKey: z.string().regex(/^case-[0-9a-f]{32}#[a-z0-9_-]{1,64}$/),
    sentAt: z.iso.datetime(),
  });

function decodeCursor(cursor: string | undefined, customerId: string): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const parsed = cursorSchema(customerId).safeParse(key);
  if (!parsed.success)
    throw new HttpError(400, 'invalid_cursor', 'nextToken is not a cursor this API returned.');
  return parsed.data;
}

/** GET /v1/messages?limit=&nextToken=: the caller's message center, newest first. */
export const handler = httpHandler(async (event) => {
  const customerId = customerIdOf(event);
  const rawLimit = event.queryStringParameters?.limit ?? '20';
  const limit = Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new HttpError(400, 'invalid_limit', `limit must be a whole number from 1 to ${MAX_PAGE}.`);
  }
  const startKey = decodeCursor(event.queryStringParameters?.nextToken, customerId);
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
  const nextToken = page.LastEvaluatedKey
    ? Buffer.from(JSON.stringify(page.LastEvaluatedKey), 'utf8').toString('base64url')
    : null;
  return json(200, { messages, nextToken });
});
