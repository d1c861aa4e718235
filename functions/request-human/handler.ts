import { PublishCommand } from '@aws-sdk/client-sns';
import { agentIndexFields } from '../agent-cases/domain.js';
import { decisionTimeline, outcomeRecord } from '../record-outcome/domain.js';
import { liveWaitMinutes } from '../shared/answers/wait.js';
import { updateCase } from '../shared/cases.js';
import { documentClient } from '../shared/document-client.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { refundsByCase } from '../shared/ledger.js';
import { postMessage } from '../shared/messages.js';
import { handoffMetrics } from '../shared/metric-points.js';
import { emitMetrics } from '../shared/metrics.js';
import { snsClient } from '../shared/sns-client.js';
import { caseStateSchema, isCallbackFollowUp } from '../shared/step-events.js';
import { stepHandler } from '../shared/step-handler.js';
import * as z from '../shared/zod.js';
import { callbackQueue, callbackRequest, mayFollowRefund } from './domain.js';
import { readQueueState } from './queue-state.js';

const casesTable = requiredEnv(ENV.casesTable);
const messagesTable = requiredEnv(ENV.messagesTable);
const callbackTopicArn = requiredEnv(ENV.callbackTopicArn);
const refundLedgerTable = requiredEnv(ENV.refundLedgerTable);

const NO_REFUND = { refundedChargeIds: [], refundedAmount: 0 };

const eventSchema = z.extend(caseStateSchema, {
  taskToken: z.string().check(z.minLength(1)),
  message: z.string(),
  callbackPhone: z.nullable(z.string()),
  profilePhone: z.nullable(z.string()),
  escalations: z.int().check(z.nonnegative()),
});

/**
 * Hands the case to a person: stores the task token on the case, records the handoff for the
 * customer, then publishes the callback request. The workflow waits until an agent's resolution
 * returns the token (SendTaskSuccess) or the callback SLA runs out.
 */
export const handler = stepHandler(eventSchema, async (event) => {
  const at = new Date().toISOString();
  // A refund paid before a failing step handed the case over must show, to the agent and on the case.
  // Any other handoff comes before the refund step, so there is nothing to read.
  const refund = mayFollowRefund(event.decision)
    ? await refundsByCase(documentClient, refundLedgerTable, event.customerId, event.caseId)
    : NO_REFUND;
  const state = { ...event, refund };
  // The wait is estimated from this queue's depth ahead of the case and its recent dispatch-to-claim times.
  const { queue, priority } = callbackQueue(event.decision, event.escalations);
  const queueState = await readQueueState(documentClient, casesTable, queue, priority, at, event.caseId);
  const request = callbackRequest(
    state,
    event.message,
    { callbackPhone: event.callbackPhone, profilePhone: event.profilePhone },
    event.escalations,
    liveWaitMinutes(queue, priority, queueState, new Date(at)),
  );
  // The customer's message says who calls, on which (masked) number or by live chat, and roughly when.
  const record = outcomeRecord(state, {
    phoneNumber: request.phoneNumber,
    estimatedWaitMinutes: request.estimatedWaitMinutes,
  });
  const followUp = isCallbackFollowUp(event);
  const { decision } = event;
  // A receipt is written once, by the decision that made it: a callback follow-up of an answered case keeps the
  // case's receipt and outcome, and its own handoff goes into `callback` and the timeline.
  const fields = followUp
    ? {
        status: 'awaiting_agent',
        callback: {
          outcome: decision.outcome,
          rule: decision.rule,
          reason: decision.reason,
          queue: request.queue,
          priority: request.priority,
          contact: request.contact,
          dispatchedAt: at,
        },
      }
    : { ...record.fields, priority: request.priority, receipt: record.receipt };
  const decided = followUp
    ? [
        {
          at,
          step: 'callback_decided',
          detail: `rule ${decision.rule}: ${decision.outcome} / ${decision.reason}`,
        },
      ]
    : decisionTimeline(state, at);
  // The token is written before the publish, so an agent who answers at once can always resolve.
  await updateCase(
    documentClient,
    casesTable,
    event.caseId,
    [
      ...(event.escalations === 0
        ? decided
        : [{ at, step: 'escalated', detail: `escalation ${event.escalations}: no agent within the SLA` }]),
      {
        at,
        step: 'callback_dispatched',
        detail: `${request.queue} queue, ${request.priority}, ${request.contact}`,
      },
    ],
    {
      ...fields,
      taskToken: event.taskToken,
      // The agents' queue index (GET /v1/agent/cases): this dispatch's team and urgency, on every dispatch.
      ...agentIndexFields(request.queue, request.priority, at),
      escalations: event.escalations,
      contact: request.contact,
      estimatedWaitMinutes: request.estimatedWaitMinutes,
      updatedAt: at,
    },
    // An agent's approval whose refund the provider failed is spent: the case waits for a new decision.
    decision.reason === 'refund_failed' ? ['resolution'] : [],
  );
  if (event.escalations === 0) {
    await postMessage(
      documentClient,
      messagesTable,
      event.customerId,
      { caseId: event.caseId, ...record.message },
      at,
      'handoff',
    );
  }
  await snsClient.send(
    new PublishCommand({
      TopicArn: callbackTopicArn,
      Subject: `Call Me Now: ${request.queue} (${request.priority})`,
      Message: JSON.stringify(request),
      MessageAttributes: {
        queue: { DataType: 'String', StringValue: request.queue },
        priority: { DataType: 'String', StringValue: request.priority },
      },
    }),
  );
  emitMetrics(handoffMetrics(event, event.escalations));
  return { dispatched: true, queue: request.queue, priority: request.priority };
});
