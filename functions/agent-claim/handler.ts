import { SendTaskHeartbeatCommand } from '@aws-sdk/client-sfn';
import { readCaseRecord, updateCase } from '../shared/cases.js';
import { documentClient, sfnClient } from '../shared/clients.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { agentIdOf, caseIdOf, HttpError, httpHandler, json } from '../shared/http.js';

const casesTable = requiredEnv(ENV.casesTable);

/**
 * POST /v1/agent/cases/{caseId}/claim (IAM): an agent picks up a callback. The heartbeat tells
 * the workflow a person is on it, so the callback SLA stops running towards an escalation; call it
 * again while working the case.
 */
export const handler = httpHandler(async (event) => {
  const agentId = agentIdOf(event);
  const caseId = caseIdOf(event);
  const record = await readCaseRecord(documentClient, casesTable, caseId);
  if (!record) throw new HttpError(404, 'case_not_found', `No case ${caseId}.`);
  if (record.status !== 'awaiting_agent' || !record.taskToken) {
    throw new HttpError(
      409,
      'case_not_waiting',
      `Case ${caseId} is not waiting for an agent (status ${record.status}).`,
    );
  }
  try {
    await sfnClient.send(new SendTaskHeartbeatCommand({ taskToken: record.taskToken }));
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TaskTimedOut' || name === 'TaskDoesNotExist') {
      throw new HttpError(
        409,
        'case_not_waiting',
        `Case ${caseId} was re-dispatched; fetch it and claim again.`,
      );
    }
    throw error;
  }
  const at = new Date().toISOString();
  await updateCase(documentClient, casesTable, caseId, [{ at, step: 'agent_claimed', detail: agentId }], {
    claimedBy: agentId,
    updatedAt: at,
  });
  return json(200, { caseId, claimedBy: agentId, status: record.status });
});
