/**
 * Reads what the wait estimate needs from the cases table's byAgentQueue index: how many cases of this queue still
 * wait ahead of a new dispatch, and the dispatch-to-claim times of the queue's cases claimed and not yet resolved
 * (the index keeps a case from its dispatch to its resolution). One Query of the cases ranked ahead of this one
 * (`agentRank < mine`), nearest first, at most `maxItems`: a deep queue costs a bounded read on every handoff (its
 * depth is then a lower bound, and the estimate already long), however many cases wait behind it.
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { agentRank } from '../agent-cases/domain.js';
import type { QueueState, RecentClaim } from '../shared/answers/wait.js';
import { CASES_BY_AGENT_QUEUE_INDEX } from '../shared/case-record.js';
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
  let ahead = 0;
  const recentClaims: RecentClaim[] = [];
  const page = await client.send(
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
  );
  for (const item of page.Items ?? []) {
    if (item.caseId === caseId) continue;
    if (item.status === 'awaiting_agent') ahead += 1;
    if (typeof item.claimedAt === 'string' && typeof item.dispatchedAt === 'string')
      recentClaims.push({ dispatchedAt: item.dispatchedAt, claimedAt: item.claimedAt });
  }
  return { ahead, recentClaims };
}
