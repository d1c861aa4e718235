import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { CASES_BY_CUSTOMER_INDEX, type CaseRecord } from '../shared/case-record.js';
import { decodeCursor, encodeCursor, pageLimit } from '../shared/cursor.js';
import { documentClient } from '../shared/document-client.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { customerIdOf, httpHandler, json } from '../shared/http.js';
import * as z from '../shared/zod.js';

const casesTable = requiredEnv(ENV.casesTable);
const MAX_PAGE = 50;

/** The byCustomer page key DynamoDB returns: the table key (caseId) and the index's customerId and createdAt. */
const cursorSchema = (customerId: string) =>
  z.strictObject({
    // A cursor only ever pages through the caller's own cases.
    customerId: z.literal(customerId),
    caseId: z.string().check(z.regex(/^case-[0-9a-f]{32}$/)),
    createdAt: z.iso.datetime(),
  });

/** What the list shows of a case: where it stands, never the task token, the note or the fingerprint. */
function summary(record: CaseRecord) {
  return {
    caseId: record.caseId,
    status: record.status,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    message: record.message,
    intent: record.intent ?? null,
    outcome: record.outcome ?? null,
    reason: record.reason ?? null,
    handoffQueue: record.handoffQueue ?? null,
    refundedTotals: record.refundedTotals ?? [],
  };
}

/** GET /v1/support-requests?limit=&nextToken=: the caller's own cases, newest first. */
export const handler = httpHandler(async (event) => {
  const customerId = customerIdOf(event);
  const limit = pageLimit(event.queryStringParameters?.limit, 20, MAX_PAGE);
  const startKey = decodeCursor(event.queryStringParameters?.nextToken, cursorSchema(customerId));
  const page = await documentClient.send(
    new QueryCommand({
      TableName: casesTable,
      IndexName: CASES_BY_CUSTOMER_INDEX,
      KeyConditionExpression: 'customerId = :c',
      ExpressionAttributeValues: { ':c': customerId },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: startKey,
    }),
  );
  const cases = (page.Items ?? []).map((item) => summary(item as CaseRecord));
  return json(200, { cases, nextToken: encodeCursor(page.LastEvaluatedKey) });
});
