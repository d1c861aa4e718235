import { SendTaskHeartbeatCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiEvent, bodyOf, lambdaContext } from '../lambda-fixtures.js';

vi.hoisted(() => {
  process.env.AWS_REGION = 'us-east-1';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.CASES_TABLE_NAME = 'cases';
});

const { handler } = await import('../../../functions/agent-claim/handler.js');

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
const CASE = 'case-0123456789abcdef0123456789abcdef';
const ANN = 'arn:aws:iam::1:user/ann';
const waiting = {
  caseId: CASE,
  customerId: 'C-1',
  status: 'awaiting_agent',
  taskToken: 't-1',
  updatedAt: 'x',
  timeline: [],
};

async function claim(agent: string): Promise<APIGatewayProxyResult> {
  const event = apiEvent({ body: {}, customerId: null, pathParameters: { caseId: CASE } });
  const withIdentity = {
    ...event,
    requestContext: {
      ...event.requestContext,
      identity: { ...event.requestContext.identity, userArn: agent },
    },
  } as APIGatewayProxyEvent;
  return (await handler(withIdentity, lambdaContext('agent-claim'))) as APIGatewayProxyResult;
}

beforeEach(() => {
  ddb.on(GetCommand).resolves({ Item: waiting });
  ddb.on(UpdateCommand).resolves({});
  sfn.on(SendTaskHeartbeatCommand).resolves({});
});

afterEach(() => {
  ddb.reset();
  sfn.reset();
});

describe('claim endpoint', () => {
  it('claims a waiting case: heartbeat, then status claimed from awaiting_agent (conditional)', async () => {
    const response = await claim(ANN);

    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toMatchObject({ status: 'claimed', claimedBy: ANN });
    expect(sfn.commandCalls(SendTaskHeartbeatCommand)[0]?.args[0].input.taskToken).toBe('t-1');
    const write = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(write?.ConditionExpression).toBe('#status = :waiting AND taskToken = :token');
    expect(write?.ExpressionAttributeValues).toMatchObject({ ':claimed': 'claimed', ':agent': ANN });
  });

  it('the same agent claiming again refreshes the heartbeat (200) without another write', async () => {
    ddb
      .on(GetCommand)
      .resolves({ Item: { ...waiting, status: 'claimed', claimedBy: ANN, claimedAt: 'then' } });

    const response = await claim(ANN);

    expect(response.statusCode).toBe(200);
    expect(sfn.commandCalls(SendTaskHeartbeatCommand)).toHaveLength(1);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('another agent on a claimed case gets 409 already_claimed naming who', async () => {
    ddb
      .on(GetCommand)
      .resolves({ Item: { ...waiting, status: 'claimed', claimedBy: ANN, claimedAt: 'then' } });

    const response = await claim('arn:aws:iam::1:user/bob');

    expect(response.statusCode).toBe(409);
    expect(bodyOf(response)).toMatchObject({
      error: { code: 'already_claimed', message: expect.stringContaining(ANN) },
    });
    expect(sfn.commandCalls(SendTaskHeartbeatCommand)).toHaveLength(0);
  });

  it('two agents at once: the one whose conditional write loses gets 409 already_claimed', async () => {
    ddb.on(UpdateCommand).rejects(Object.assign(new Error('c'), { name: 'ConditionalCheckFailedException' }));
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: waiting })
      .resolves({ Item: { ...waiting, status: 'claimed', claimedBy: ANN } });

    const response = await claim('arn:aws:iam::1:user/bob');

    expect(response.statusCode).toBe(409);
    expect(bodyOf(response)).toMatchObject({ error: { code: 'already_claimed' } });
  });
});
