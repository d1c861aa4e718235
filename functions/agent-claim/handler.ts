import { SendTaskHeartbeatCommand } from '@aws-sdk/client-sfn';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseRecord } from '../shared/case-record.js';
import { readCaseRecord } from '../shared/cases.js';
import { documentClient } from '../shared/document-client.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { isNamedError, isTaskGone } from '../shared/errors.js';
import { agentIdOf, caseIdOf, HttpError, httpHandler, json } from '../shared/http.js';
import { logger } from '../shared/logger.js';
import { claimMetrics, claimNotRecordedMetrics } from '../shared/metric-points.js';
import { emitMetrics } from '../shared/metrics.js';
import { recordClaim } from '../shared/queue-claims.js';
import { sfnClient } from '../shared/sfn-client.js';

const casesTable = requiredEnv(ENV.casesTable);

function refused(record: CaseRecord, agentId: string): HttpError {
  if (record.status === 'claimed' && record.claimedBy && record.claimedBy !== agentId) {
    return new HttpError(
      409,
      'already_claimed',
      `Case ${record.caseId} is claimed by ${record.claimedBy} (since ${record.claimedAt ?? 'earlier'}).`,
    );
  }
  return new HttpError(
    409,
    'case_not_waiting',
    `Case ${record.caseId} is not waiting for an agent (status ${record.status}).`,
  );
}

/**
 * POST /v1/agent/cases/{caseId}/claim (IAM): an agent picks up a callback. The case becomes `claimed` by them (one
 * conditional write, so of two agents claiming at once one gets it), and the heartbeat tells the workflow a person is
 * on it, so the callback SLA stops running towards an escalation. The same agent claiming again refreshes it. A first
 * claim is also added to its queue's record of recent claims (functions/shared/queue-claims.ts): the wait estimate.
 */
export const handler = httpHandler(async (event) => {
  const agentId = agentIdOf(event);
  const caseId = caseIdOf(event);
  const record = await readCaseRecord(documentClient, casesTable, caseId);
  if (!record) throw new HttpError(404, 'case_not_found', `No case ${caseId}.`);
  const refresh = record.status === 'claimed' && record.claimedBy === agentId;
  if ((record.status !== 'awaiting_agent' && !refresh) || !record.taskToken) throw refused(record, agentId);

  try {
    await sfnClient.send(new SendTaskHeartbeatCommand({ taskToken: record.taskToken }));
  } catch (error) {
    if (isTaskGone(error)) {
      throw new HttpError(
        409,
        'case_not_waiting',
        `Case ${caseId} was re-dispatched; fetch it and claim again.`,
      );
    }
    throw error;
  }
  const at = new Date().toISOString();
  if (refresh)
    return json(200, { caseId, claimedBy: agentId, claimedAt: record.claimedAt, status: 'claimed' });

  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: casesTable,
        Key: { caseId },
        UpdateExpression:
          'SET #status = :claimed, claimedBy = :agent, claimedAt = :at, updatedAt = :at, ' +
          'timeline = list_append(if_not_exists(timeline, :empty), :entries)',
        ConditionExpression: '#status = :waiting AND taskToken = :token',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':claimed': 'claimed',
          ':agent': agentId,
          ':at': at,
          ':empty': [],
          ':entries': [{ at, step: 'agent_claimed', detail: agentId }],
          ':waiting': 'awaiting_agent',
          ':token': record.taskToken,
        },
      }),
    );
  } catch (error) {
    if (!isNamedError(error, 'ConditionalCheckFailedException')) throw error;
    const now = (await readCaseRecord(documentClient, casesTable, caseId)) ?? record;
    // Claimed by this very agent a moment ago (a retried request): that is this claim.
    if (now.status === 'claimed' && now.claimedBy === agentId)
      return json(200, { caseId, claimedBy: agentId, claimedAt: now.claimedAt, status: 'claimed' });
    throw refused(now, agentId);
  }
  const dispatch = record as { dispatchedAt?: string; agentQueue?: string };
  emitMetrics(
    claimMetrics(record.callback?.dispatchedAt ?? dispatch.dispatchedAt, dispatch.agentQueue, new Date(at)),
  );
  await recordInQueue(
    caseId,
    dispatch.dispatchedAt ?? record.callback?.dispatchedAt,
    dispatch.agentQueue,
    at,
  );
  return json(200, { caseId, claimedBy: agentId, claimedAt: at, status: 'claimed' });
});

/**
 * Adds the claim to its queue's record of recent claims, which the next handoff's wait estimate reads. The claim is
 * made by then: a failure here (contention, a throttle, a fault) is logged and counted, never the agent's answer.
 */
async function recordInQueue(
  caseId: string,
  dispatchedAt: string | undefined,
  queue: string | undefined,
  at: string,
) {
  if (!dispatchedAt || !queue) return;
  try {
    await recordClaim(
      documentClient,
      casesTable,
      queue,
      { caseId, dispatchedAt, claimedAt: at },
      new Date(at),
    );
  } catch (error) {
    logger.warn('Claim not recorded in the queue record of recent claims', { caseId, queue, error });
    emitMetrics(claimNotRecordedMetrics(queue));
  }
}
