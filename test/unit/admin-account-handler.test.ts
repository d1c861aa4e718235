import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiEvent, bodyOf, lambdaContext } from './lambda-fixtures.js';

vi.hoisted(() => {
  process.env.AWS_REGION = 'us-east-1';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.ACCOUNTS_TABLE_NAME = 'accounts-table';
  process.env.REFUND_LEDGER_TABLE_NAME = 'ledger-table';
});

const { handler } = await import('../../functions/admin-account/handler.js');

const ddb = mockClient(DynamoDBDocumentClient);
const context = lambdaContext('admin-account');
const ADMIN_ARN = 'arn:aws:iam::123456789012:role/RefundHubOperators';

async function put(body: unknown, options: { signed?: boolean; rawBody?: string } = {}) {
  const event = apiEvent({
    method: 'PUT',
    path: '/v1/admin/customers/C-1/account',
    pathParameters: { customerId: 'C-1' },
    customerId: null,
    ...(options.rawBody !== undefined ? { rawBody: options.rawBody } : { body }),
  });
  const signed: APIGatewayProxyEvent = {
    ...event,
    requestContext: {
      ...event.requestContext,
      identity: {
        ...event.requestContext.identity,
        ...(options.signed === false ? {} : { userArn: ADMIN_ARN }),
      },
    },
  };
  return (await handler(signed, context)) as APIGatewayProxyResult;
}

afterEach(() => {
  ddb.reset();
});

describe('admin-account handler', () => {
  it('writes the account with one BatchWrite and answers the counts', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(BatchWriteCommand).resolves({});

    const response = await put({
      profile: { id: 'C-1' },
      charges: [{ id: 'CH-1', amount: 1499, currency: 'USD', chargedAt: '2026-03-15T08:00:00Z' }],
    });

    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual({
      customerId: 'C-1',
      written: { profile: 1, subscriptions: 0, charges: 1, orders: 0 },
    });
    const requests = ddb.commandCalls(BatchWriteCommand)[0]?.args[0].input.RequestItems?.['accounts-table'];
    expect(requests?.map((r) => r.PutRequest?.Item?.sk)).toEqual(['PROFILE', 'CHARGE#CH-1']);
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      TableName: 'ledger-table',
      ConsistentRead: true,
    });
  });

  it('refuses a call with no IAM identity (403) and a body that is not JSON (400), calling DynamoDB for neither', async () => {
    const unsigned = await put({ profile: { id: 'C-1' } }, { signed: false });
    const notJson = await put(undefined, { rawBody: '{"profile":' });

    expect(unsigned.statusCode).toBe(403);
    expect(notJson.statusCode).toBe(400);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('answers 503 retry_safe when DynamoDB fails before anything is written', async () => {
    ddb.on(QueryCommand).rejects(Object.assign(new Error('down'), { name: 'InternalServerError' }));

    const response = await put({
      charges: [{ id: 'CH-1', amount: 1499, currency: 'USD', chargedAt: '2026-03-15T08:00:00Z' }],
    });

    expect(response.statusCode).toBe(503);
    expect(bodyOf(response).error).toMatchObject({ code: 'retry_safe', written: 0 });
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(0);
  });
});
