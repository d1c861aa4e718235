import { publicView } from '../returns-core/domain.js';
import { returnsWaitingForAgents } from '../returns-core/store.js';
import { documentClient } from '../shared/document-client.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { agentIdOf, HttpError, httpHandler, json } from '../shared/http.js';

const returnsTable = requiredEnv(ENV.returnsTable);
const STATES = ['awaiting_inspection', 'needs_attention'] as const;

/** GET /v1/agent/returns?status=awaiting_inspection|needs_attention: what waits for the agents, longest waiting first. */
export const handler = httpHandler(async (event) => {
  agentIdOf(event);
  const status = event.queryStringParameters?.status ?? 'awaiting_inspection';
  if (!(STATES as readonly string[]).includes(status))
    throw new HttpError(400, 'invalid_status', `status must be one of ${STATES.join(', ')}`);
  const records = await returnsWaitingForAgents(
    documentClient,
    returnsTable,
    status as (typeof STATES)[number],
  );
  const items = records
    .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt))
    .map((r) => ({
      ...publicView(r),
      customerId: r.customerId,
      queue: r.agentQueue ?? 'delivery',
      attentionReason: r.attentionReason ?? null,
    }));
  return json(200, { items });
});
