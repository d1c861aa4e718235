/**
 * Reads what the wait estimate needs from the cases table's byAgentQueue index: how many cases of this queue still
 * wait ahead of a new dispatch, and the dispatch-to-claim times of the queue's cases claimed and not yet resolved
 * (the index keeps a case from its dispatch to its resolution). One paginated Query of the queue's partition,
 * capped at `maxItems`, so a very deep queue costs a bounded read (its depth is then a lower bound).
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
  maxItems = 1000,
): Promise<QueueState> {
  const mine = agentRank(priority, dispatchedAt);
  let ahead = 0;
  const recentClaims: RecentClaim[] = [];
  let seen = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: table,
        IndexName: CASES_BY_AGENT_QUEUE_INDEX,
        KeyConditionExpression: 'agentQueue = :queue',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':queue': queue },
        ProjectionExpression: 'caseId, #status, agentRank, dispatchedAt, claimedAt',
        ExclusiveStartKey: start,
        Limit: Math.min(250, maxItems - seen),
      }),
    );
    for (const item of page.Items ?? []) {
      seen += 1;
      if (item.caseId === caseId) continue;
      if (item.status === 'awaiting_agent' && typeof item.agentRank === 'string' && item.agentRank < mine)
        ahead += 1;
      if (typeof item.claimedAt === 'string' && typeof item.dispatchedAt === 'string')
        recentClaims.push({ dispatchedAt: item.dispatchedAt, claimedAt: item.claimedAt });
    }
    start = page.LastEvaluatedKey;
  } while (start && seen < maxItems);
  return { ahead, recentClaims };
}
