import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../shared/clients.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { customerIdOf, HttpError, httpHandler, json } from '../shared/http.js';

const messagesTable = requiredEnv(ENV.messagesTable);
const MAX_PAGE = 100;

function decodeCursor(cursor: string | undefined, customerId: string): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    // A cursor only ever pages through the caller's own messages.
    if (key.customerId !== customerId) throw new Error('foreign cursor');
    return key;
  } catch {
    throw new HttpError(400, 'invalid_cursor', 'nextToken is not a cursor this API returned.');
  }
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
