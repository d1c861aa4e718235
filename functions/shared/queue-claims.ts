/**
 * Each team queue's record of its recent claims: one item of the cases table (`caseId = QUEUE#<queue>`) holding the
 * latest claims (at most 20, of the last 24 hours: `appendClaims`) and a version. AgentClaim appends the claim it
 * made; RequestHumanCallback reads it (one GetItem) for the wait estimate. Without transactions (dynalite has none):
 * every write is conditional on the version it read, and a writer that lost re-reads and appends again, so two
 * claims at once never drop one another.
 */
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { appendClaims, type RecordedClaim } from './answers/wait.js';
import { queueClaimsKey } from './case-record.js';
import { isNamedError } from './errors.js';

/** Too many concurrent claims in a row on one queue: this claim is not recorded (the claim itself stands). */
export class QueueClaimsContended extends Error {
  override readonly name = 'QueueClaimsContended';
}

/**
 * Each lost write means another claim was written after this one's read, so of up to this many claims on one queue
 * at once every one is recorded; only a burst beyond it can leave one out (logged and counted by AgentClaim).
 */
export const RECORD_CLAIM_ATTEMPTS = 5;

export interface QueueClaims {
  readonly version: number;
  readonly claims: readonly RecordedClaim[];
}

function claimsOf(item: Record<string, unknown> | undefined): QueueClaims {
  const claims = Array.isArray(item?.claims) ? (item.claims as unknown[]) : [];
  return {
    version: typeof item?.version === 'number' ? item.version : 0,
    claims: claims.filter(
      (c): c is RecordedClaim =>
        typeof c === 'object' &&
        c !== null &&
        typeof (c as RecordedClaim).caseId === 'string' &&
        typeof (c as RecordedClaim).dispatchedAt === 'string' &&
        typeof (c as RecordedClaim).claimedAt === 'string',
    ),
  };
}

/** The queue's record (none yet: version 0, no claims). `consistent` for a writer about to write on its version. */
export async function readQueueClaims(
  client: DynamoDBDocumentClient,
  table: string,
  queue: string,
  consistent = false,
): Promise<QueueClaims> {
  const answer = await client.send(
    new GetCommand({
      TableName: table,
      Key: { caseId: queueClaimsKey(queue) },
      ProjectionExpression: 'claims, version',
      ConsistentRead: consistent,
    }),
  );
  return claimsOf(answer?.Item);
}

/**
 * Appends one claim to the queue's record: read (consistent), `appendClaims`, write conditional on the version read;
 * on ConditionalCheckFailed read again and retry, at most `RECORD_CLAIM_ATTEMPTS` times. Returns the record written.
 */
export async function recordClaim(
  client: DynamoDBDocumentClient,
  table: string,
  queue: string,
  claim: RecordedClaim,
  now: Date,
): Promise<RecordedClaim[]> {
  for (let attempt = 0; attempt < RECORD_CLAIM_ATTEMPTS; attempt += 1) {
    const { version, claims } = await readQueueClaims(client, table, queue, true);
    const next = appendClaims(claims, [claim], now);
    try {
      await client.send(
        new UpdateCommand({
          TableName: table,
          Key: { caseId: queueClaimsKey(queue) },
          UpdateExpression: 'SET claims = :claims, version = :next, updatedAt = :now',
          ConditionExpression: version === 0 ? 'attribute_not_exists(caseId)' : 'version = :version',
          ExpressionAttributeValues: {
            ':claims': next,
            ':next': version + 1,
            ':now': now.toISOString(),
            ...(version === 0 ? {} : { ':version': version }),
          },
        }),
      );
      return next;
    } catch (error) {
      if (!isNamedError(error, 'ConditionalCheckFailedException')) throw error;
      // Another claim on this queue wrote first: read again, with a little jitter so the two do not collide again.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * (attempt + 1)));
    }
  }
  throw new QueueClaimsContended(
    `The ${queue} queue's record of claims was contended ${RECORD_CLAIM_ATTEMPTS} times in a row`,
  );
}
