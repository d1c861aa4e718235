/**
 * Reads what the wait estimate needs, in two reads at once:
 * - the cases table's byAgentQueue index: how many cases of this queue still wait ahead of a new dispatch. One Query
 *   of the cases ranked ahead of this one (`agentRank < mine`), nearest first, at most `maxItems`: a deep queue costs
 *   a bounded read on every handoff (its depth is then a lower bound, and the estimate already long);
 * - the queue's record of recent claims (one GetItem, functions/shared/queue-claims.ts): the dispatch-to-claim times
 *   of its latest claims, resolved or not. The claimed cases the Query meets are added to them (counted once), so a
 *   claim the record missed (its write failed) still counts while the case is open.
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { agentRank } from '../agent-cases/domain.js';
import { appendClaims, type QueueState, type RecordedClaim } from '../shared/answers/wait.js';
import { CASES_BY_AGENT_QUEUE_INDEX } from '../shared/case-record.js';
import { readQueueClaims } from '../shared/queue-claims.js';
import type { Priority, TeamQueue } from '../shared/types.js';

export async function readQueueState(
  client: DynamoDBDocumentClient,
  table: string,
  queue: TeamQueue,
  priority: Priority,
  dispatchedAt: string,
  caseId: string,
  maxItems = 30,
): Promise<QueueState> {
  const mine = agentRank(priority, dispatchedAt);
  const [page, recorded] = await Promise.all([
    client.send(
      new QueryCommand({
        TableName: table,
        IndexName: CASES_BY_AGENT_QUEUE_INDEX,
        KeyConditionExpression: 'agentQueue = :queue AND agentRank < :mine',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':queue': queue, ':mine': mine },
        ProjectionExpression: 'caseId, #status, agentRank, dispatchedAt, claimedAt',
        ScanIndexForward: false,
        Limit: maxItems,
      }),
    ),
    readQueueClaims(client, table, queue),
  ]);
  let ahead = 0;
  const open: RecordedClaim[] = [];
  for (const item of page?.Items ?? []) {
    if (item.caseId === caseId) continue;
    if (item.status === 'awaiting_agent') ahead += 1;
    if (typeof item.claimedAt === 'string' && typeof item.dispatchedAt === 'string')
      open.push({ caseId: String(item.caseId), dispatchedAt: item.dispatchedAt, claimedAt: item.claimedAt });
  }
  return { ahead, recentClaims: appendClaims(recorded.claims, open, new Date(dispatchedAt)) };
}
