import { randomUUID } from 'node:crypto';
import { IDEMPOTENCY_KEY } from '../intake/domain.js';
import { returnsConfigFromEnv } from '../returns-core/config.js';
import {
  decideWithHistory,
  fingerprint,
  newReturnRecord,
  publicView,
  type ReturnRecord,
  returnExecutionInput,
  returnIdFor,
  returnRequestSchema,
} from '../returns-core/domain.js';
import { rejectionInWords } from '../returns-core/notices.js';
import { getReturn, putNewReturn, returnsOfCustomer } from '../returns-core/store.js';
import { loadCustomerAccount } from '../shared/account-store.js';
import { documentClient } from '../shared/document-client.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { startNamedExecution } from '../shared/executions.js';
import { customerIdOf, HttpError, header, httpHandler, json, parseBody } from '../shared/http.js';
import { logger } from '../shared/logger.js';
import { returnStartedMetrics } from '../shared/metric-points.js';
import { emitMetrics } from '../shared/metrics.js';
import { sfnClient } from '../shared/sfn-client.js';

const returnsTable = requiredEnv(ENV.returnsTable);
const stateMachineArn = requiredEnv(ENV.returnsStateMachineArn);
const tables = {
  accountsTable: requiredEnv(ENV.accountsTable),
  refundLedgerTable: requiredEnv(ENV.refundLedgerTable),
};
const config = returnsConfigFromEnv();

function accepted(record: ReturnRecord, created: boolean) {
  const view = publicView(record);
  return json(
    created ? 201 : 200,
    { ...view, ...(record.label ? { label: record.label } : {}) },
    { location: `/v1/returns/${record.returnId}` },
  );
}

/** A retried request finds its return: same body, the same return (no second execution); another body, a 409. */
function sameRequest(found: ReturnRecord, customerId: string, requestFingerprint: string): ReturnRecord {
  if (found.customerId !== customerId)
    throw new HttpError(409, 'idempotency_key_reused', 'This Idempotency-Key was already used.');
  if (found.requestFingerprint !== requestFingerprint)
    throw new HttpError(
      409,
      'idempotency_key_reused',
      'This Idempotency-Key was already used for a different return.',
    );
  return found;
}

/** POST /v1/returns: eligibility (422 naming the rule), the refund policy, the return stored, its execution started once. */
export const handler = httpHandler(async (event) => {
  const customerId = customerIdOf(event);
  const idempotencyKey = header(event, 'Idempotency-Key');
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey))
    throw new HttpError(
      400,
      'invalid_idempotency_key',
      'Idempotency-Key must be 1-255 visible ASCII characters.',
    );
  const request = parseBody(event, returnRequestSchema);
  const requestFingerprint = fingerprint(request);
  const returnId = returnIdFor(customerId, idempotencyKey, randomUUID);

  const existing =
    idempotencyKey === undefined ? undefined : await getReturn(documentClient, returnsTable, returnId);
  if (existing) {
    const found = sameRequest(existing, customerId, requestFingerprint);
    // Stored but maybe not started (a crash between the two): starting by name again is safe, never a second run.
    if (found.status === 'requested')
      await startNamedExecution(sfnClient, stateMachineArn, {
        name: returnId,
        input: returnExecutionInput(found),
      });
    return accepted(found, false);
  }

  const now = new Date().toISOString();
  const [account, earlier] = await Promise.all([
    loadCustomerAccount(documentClient, tables, customerId),
    returnsOfCustomer(documentClient, returnsTable, customerId),
  ]);
  const decision = decideWithHistory(account, request, earlier, now, config);
  if (!decision.eligible) {
    if (decision.rejection === 'order_not_found')
      throw new HttpError(404, 'order_not_found', 'No order with this id was found on your account.');
    throw new HttpError(
      422,
      decision.rejection,
      `This return cannot be accepted: ${rejectionInWords(decision.rejection)}.`,
    );
  }

  const record = newReturnRecord(returnId, customerId, request, decision, now);
  const created = await putNewReturn(documentClient, returnsTable, record);
  if (!created) {
    // A concurrent retry with the same key stored it first.
    const found = await getReturn(documentClient, returnsTable, returnId);
    if (!found) throw new Error(`Return ${returnId} vanished after a conditional write`);
    return accepted(sameRequest(found, customerId, requestFingerprint), false);
  }
  await startNamedExecution(sfnClient, stateMachineArn, {
    name: returnId,
    input: returnExecutionInput(record),
  });
  logger.info('Return accepted', { returnId, refundPolicy: record.refundPolicy });
  emitMetrics(returnStartedMetrics(record.refundPolicy));
  return accepted(record, true);
});
