import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseRecord } from '../shared/case-record.js';
import { readCaseRecord } from '../shared/cases.js';
import { documentClient } from '../shared/document-client.js';
import { ENV, numberEnv, requiredEnv } from '../shared/env.js';
import { isNamedError } from '../shared/errors.js';
import { startNamedExecution } from '../shared/executions.js';
import { customerIdOf, HttpError, header, httpHandler, json, parseBody } from '../shared/http.js';
import { logger } from '../shared/logger.js';
import { sfnClient } from '../shared/sfn-client.js';
import {
  caseIdFor,
  currentExecution,
  IDEMPOTENCY_KEY,
  newCaseRecord,
  supportRequestSchema,
} from './domain.js';

const casesTable = requiredEnv(ENV.casesTable);
const stateMachineArn = requiredEnv(ENV.stateMachineArn);
const requestSchema = supportRequestSchema(numberEnv(ENV.maxMessageLength, 2000));

async function createCase(record: CaseRecord): Promise<CaseRecord> {
  try {
    await documentClient.send(
      new PutCommand({
        TableName: casesTable,
        Item: record,
        ConditionExpression: 'attribute_not_exists(caseId)',
      }),
    );
    return record;
  } catch (error) {
    if (!isNamedError(error, 'ConditionalCheckFailedException')) {
      throw error;
    }
    const found = await readCaseRecord(documentClient, casesTable, record.caseId);
    if (!found || found.customerId !== record.customerId) throw error;
    if (found.requestFingerprint !== record.requestFingerprint) {
      throw new HttpError(
        409,
        'idempotency_key_reused',
        'This Idempotency-Key was already used for a different request.',
      );
    }
    return found;
  }
}

/** POST /v1/support-requests: validate, redact, store the case, start its workflow once. */
export const handler = httpHandler(async (event) => {
  const customerId = customerIdOf(event);
  const idempotencyKey = header(event, 'Idempotency-Key');
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    throw new HttpError(
      400,
      'invalid_idempotency_key',
      'Idempotency-Key must be 1-255 visible ASCII characters.',
    );
  }
  const request = parseBody(event, requestSchema);

  const record = await createCase(
    newCaseRecord(caseIdFor(customerId, idempotencyKey), customerId, request, new Date()),
  );
  // Only a case still `received` is started: a retried POST for a case past that point (answered,
  // or with a person) must not run its workflow again, wherever the executor forgot it.
  if (record.status === 'received') {
    // Already there: the execution of the first attempt carries the case.
    await startNamedExecution(sfnClient, stateMachineArn, currentExecution(record));
  }
  logger.info('Support request accepted', { caseId: record.caseId });
  return json(
    202,
    { caseId: record.caseId, status: record.status },
    { location: `/v1/support-requests/${record.caseId}` },
  );
});
