/**
 * Starting a case the way intake does: validate the request, redact the message, write the case
 * record (the workflow's steps update it and refuse to create it), then StartExecution with the
 * case id as the execution name and the execution input built from the stored record.
 */
import { type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  caseIdFor,
  executionInput,
  newCaseRecord,
  supportRequestSchema,
} from '../functions/intake/domain.js';
import type { CaseRecord } from '../functions/shared/case-record.js';
import { UsageError } from './errors.js';

/** The API's default (`refundHub:maxMessageLength`). */
export const MAX_MESSAGE_LENGTH = 2000;

export interface CaseStore {
  put(record: CaseRecord): Promise<void>;
  get(caseId: string): Promise<CaseRecord | undefined>;
}

export function dynamoCaseStore(client: DynamoDBDocumentClient, tableName: string): CaseStore {
  return {
    put: async (record) => {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: record,
          ConditionExpression: 'attribute_not_exists(caseId)',
        }),
      );
    },
    get: async (caseId) => {
      const result = await client.send(
        new GetCommand({ TableName: tableName, Key: { caseId }, ConsistentRead: true }),
      );
      return result.Item as CaseRecord | undefined;
    },
  };
}

export interface InvokeRequest {
  readonly customerId: string;
  readonly message: string;
  readonly orderId?: string;
  readonly callbackPhone?: string;
}

export interface StartedCase {
  readonly caseId: string;
  readonly executionArn: string;
  readonly startDate: Date;
  readonly record: CaseRecord;
}

/** The request as intake would accept it; one line naming the first problem otherwise. */
export function validateRequest(request: InvokeRequest): InvokeRequest {
  if (!/^\S{1,128}$/.test(request.customerId))
    throw new UsageError('--customer must be a customer id such as C-1001');
  const parsed = supportRequestSchema(MAX_MESSAGE_LENGTH).safeParse({
    message: request.message,
    ...(request.orderId !== undefined ? { orderId: request.orderId } : {}),
    ...(request.callbackPhone !== undefined ? { callbackPhone: request.callbackPhone } : {}),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? 'message');
    const flag = { message: '--message', orderId: '--order', callbackPhone: '--phone' }[field] ?? field;
    throw new UsageError(`${flag}: ${issue?.message ?? 'invalid'}`);
  }
  return { customerId: request.customerId, ...parsed.data };
}

export async function startCase(
  sfn: SFNClient,
  stateMachineArn: string,
  cases: CaseStore,
  request: InvokeRequest,
  now: Date = new Date(),
): Promise<StartedCase> {
  const valid = validateRequest(request);
  const record = newCaseRecord(
    caseIdFor(valid.customerId, undefined),
    valid.customerId,
    {
      message: valid.message,
      ...(valid.orderId ? { orderId: valid.orderId } : {}),
      ...(valid.callbackPhone ? { callbackPhone: valid.callbackPhone } : {}),
    },
    now,
  );
  await cases.put(record);
  const started = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn,
      name: record.caseId,
      input: JSON.stringify(executionInput(record)),
    }),
  );
  if (!started.executionArn) throw new Error('StartExecution returned no execution ARN');
  return {
    caseId: record.caseId,
    executionArn: started.executionArn,
    startDate: started.startDate ?? now,
    record,
  };
}
