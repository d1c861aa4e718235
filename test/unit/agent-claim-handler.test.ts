/**
 * AgentClaim's write to its queue's record of recent claims (functions/shared/queue-claims.ts): conditional on the
 * version it read, read again and retried when another claim wrote first, and never the agent's problem when it fails.
 */
import { SendTaskHeartbeatCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiEvent, bodyOf, lambdaContext } from './lambda-fixtures.js';

vi.hoisted(() => {
  process.env.AWS_REGION = 'us-east-1';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.CASES_TABLE_NAME = 'cases-table';
});

const emitted = vi.hoisted(() => [] as { name: string; dimensions: Record<string, string> }[]);
vi.mock('../../functions/shared/metrics.js', () => ({
  emitMetrics: (points: { name: string; dimensions: Record<string, string> }[]) => emitted.push(...points),
}));

const { handler } = await import('../../functions/agent-claim/handler.js');
const { RECORD_CLAIM_ATTEMPTS } = await import('../../functions/shared/queue-claims.js');

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
const context = lambdaContext('agent-claim');

const caseId = 'case-0123456789abcdef0123456789abcdef';
const queueKey = { caseId: 'QUEUE#billing' };
const dispatchedAt = new Date(Date.now() - 4 * 60_000).toISOString();
const waiting = {
  caseId,
  customerId: 'cust-1',
  status: 'awaiting_agent',
  taskToken: 'token-1',
  agentQueue: 'billing',
  dispatchedAt,
};
const earlier = {
  caseId: 'case-ffffffffffffffffffffffffffffffff',
  dispatchedAt: new Date(Date.now() - 30 * 60_000).toISOString(),
  claimedAt: new Date(Date.now() - 28 * 60_000).toISOString(),
};
/** Another agent's claim on the same queue, written between this handler's read and its write. */
const concurrent = {
  caseId: 'case-eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee',
  dispatchedAt: new Date(Date.now() - 3 * 60_000).toISOString(),
  claimedAt: new Date(Date.now() - 1_000).toISOString(),
};
const conditionFailed = () =>
  Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });

function claim(): Promise<APIGatewayProxyResult> {
  const event = apiEvent({ customerId: null, pathParameters: { caseId } });
  const signed = {
    ...event,
    requestContext: { ...event.requestContext, identity: { userArn: 'arn:aws:iam::1:user/ann' } },
  } as unknown as APIGatewayProxyEvent;
  return handler(signed, context) as Promise<APIGatewayProxyResult>;
}

const queueWrites = () =>
  ddb.commandCalls(UpdateCommand, { Key: queueKey }).map((call) => call.args[0].input);
const caseWrites = () => ddb.commandCalls(UpdateCommand, { Key: { caseId } });

beforeEach(() => {
  emitted.length = 0;
  sfn.on(SendTaskHeartbeatCommand).resolves({});
  ddb.on(GetCommand, { Key: { caseId } }).resolves({ Item: waiting });
  ddb.on(UpdateCommand, { Key: { caseId } }).resolves({});
});

afterEach(() => {
  ddb.reset();
  sfn.reset();
});

describe("AgentClaim: the queue's record of recent claims", () => {
  it('creates the record with the first claim of a queue (only if no one else did)', async () => {
    ddb.on(GetCommand, { Key: queueKey }).resolves({});
    ddb.on(UpdateCommand, { Key: queueKey }).resolves({});

    const answer = await claim();

    expect(answer.statusCode).toBe(200);
    const [write] = queueWrites();
    expect(write?.ConditionExpression).toBe('attribute_not_exists(caseId)');
    expect(write?.ExpressionAttributeValues).toMatchObject({
      ':next': 1,
      ':claims': [{ caseId, dispatchedAt, claimedAt: bodyOf(answer).claimedAt }],
    });
  });

  it('on ConditionalCheckFailed reads the record again and keeps the other claim as well as its own', async () => {
    ddb
      .on(GetCommand, { Key: queueKey })
      .resolvesOnce({ Item: { version: 3, claims: [earlier] } })
      .resolves({ Item: { version: 4, claims: [concurrent, earlier] } });
    ddb.on(UpdateCommand, { Key: queueKey }).rejectsOnce(conditionFailed()).resolves({});

    const answer = await claim();

    expect(answer.statusCode).toBe(200);
    const writes = queueWrites();
    expect(writes).toHaveLength(2);
    expect(writes[0]).toMatchObject({
      ConditionExpression: 'version = :version',
      ExpressionAttributeValues: { ':version': 3, ':next': 4 },
    });
    // The second write is on the version the other claim wrote, and loses neither claim: latest first.
    expect(writes[1]).toMatchObject({ ExpressionAttributeValues: { ':version': 4, ':next': 5 } });
    const claims = writes[1]?.ExpressionAttributeValues?.[':claims'] as { caseId: string }[];
    expect(claims.map((c) => c.caseId)).toEqual([caseId, concurrent.caseId, earlier.caseId]);
    // Every read before a write is consistent: an eventually consistent read could miss the winner's claim.
    const reads = ddb.commandCalls(GetCommand, { Key: queueKey }).map((c) => c.args[0].input.ConsistentRead);
    expect(reads).toEqual([true, true]);
    expect(emitted.map((p) => p.name)).not.toContain('ClaimsNotRecorded');
  });

  it(`still answers the claim when the record stays contended (${RECORD_CLAIM_ATTEMPTS} tries), and counts it`, async () => {
    ddb.on(GetCommand, { Key: queueKey }).resolves({ Item: { version: 7, claims: [earlier] } });
    ddb.on(UpdateCommand, { Key: queueKey }).rejects(conditionFailed());

    const answer = await claim();

    expect(answer.statusCode).toBe(200);
    expect(bodyOf(answer)).toMatchObject({ status: 'claimed', claimedBy: 'arn:aws:iam::1:user/ann' });
    expect(caseWrites()).toHaveLength(1);
    expect(queueWrites()).toHaveLength(RECORD_CLAIM_ATTEMPTS);
    expect(emitted).toContainEqual(
      expect.objectContaining({ name: 'ClaimsNotRecorded', dimensions: { queue: 'billing' } }),
    );
  });

  it('still answers the claim when the record cannot be read at all (a fault, not a race): no retry', async () => {
    ddb
      .on(GetCommand, { Key: queueKey })
      .rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));

    const answer = await claim();

    expect(answer.statusCode).toBe(200);
    expect(queueWrites()).toHaveLength(0);
    expect(ddb.commandCalls(GetCommand, { Key: queueKey })).toHaveLength(1);
    expect(emitted.map((p) => p.name)).toContain('ClaimsNotRecorded');
  });

  it('records nothing when the claim is refused (another agent has it) or is the same agent again', async () => {
    ddb.on(GetCommand, { Key: { caseId } }).resolves({
      Item: { ...waiting, status: 'claimed', claimedBy: 'arn:aws:iam::1:user/bob', claimedAt: dispatchedAt },
    });
    expect((await claim()).statusCode).toBe(409);
    ddb.on(GetCommand, { Key: { caseId } }).resolves({
      Item: { ...waiting, status: 'claimed', claimedBy: 'arn:aws:iam::1:user/ann', claimedAt: dispatchedAt },
    });
    expect((await claim()).statusCode).toBe(200);
    expect(queueWrites()).toHaveLength(0);
  });
});
