/**
 * Running one support case on the embedded runtime: seed the customer's account, store the case
 * as intake does, start the execution and report it once it has an outcome (finished, or handed to
 * a person and waiting for an agent). Shared by the workflow tests, replay and the benchmark.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { caseIdFor, executionInput, newCaseRecord } from '../functions/intake/domain.js';
import { accountItems, type CustomerAccount } from '../functions/shared/accounts.js';
import type { CaseRecord } from '../functions/shared/case-record.js';
import { readCaseRecord } from '../functions/shared/cases.js';
import { batchedIoFor } from './batched-io.js';
import type { LocalExecution } from './executor.js';
import type { LocalRuntime } from './runtime.js';

export async function seedAccount(runtime: LocalRuntime, account: CustomerAccount): Promise<void> {
  await batchedIoFor(runtime).put(runtime.tables.accounts, accountItems(account));
}

export interface CaseRequest {
  readonly customerId: string;
  readonly message: string;
  readonly orderId?: string;
  readonly callbackPhone?: string;
  /** The case's clock: the instant the request is made. */
  readonly now?: Date;
  readonly idempotencyKey?: string;
}

export interface CaseRun {
  readonly caseId: string;
  readonly execution: LocalExecution;
  /** The case record once the case has an outcome. */
  readonly record: CaseRecord;
  /** True when the case waits for an agent (its execution is still running). */
  readonly waitingForAgent: boolean;
}

/** The case record intake would store for this request. */
export function caseRecordFor(request: CaseRequest): CaseRecord {
  return newCaseRecord(
    caseIdFor(request.customerId, request.idempotencyKey),
    request.customerId,
    {
      message: request.message,
      ...(request.orderId ? { orderId: request.orderId } : {}),
      ...(request.callbackPhone ? { callbackPhone: request.callbackPhone } : {}),
    },
    request.now ?? new Date(),
  );
}

/** Stores the case as intake does and starts its execution. */
export async function startCase(
  runtime: LocalRuntime,
  request: CaseRequest,
): Promise<{ caseId: string; execution: LocalExecution }> {
  const record = caseRecordFor(request);
  await runtime.documentClient.send(new PutCommand({ TableName: runtime.tables.cases, Item: record }));
  const execution = runtime.executor.start(record.caseId, executionInput(record));
  return { caseId: record.caseId, execution };
}

/** Resolves when the execution ends or is waiting for an agent, whichever comes first. */
export async function settle(runtime: LocalRuntime, execution: LocalExecution): Promise<boolean> {
  let onWaiting: ((event: { executionName: string }) => void) | undefined;
  const waiting = new Promise<boolean>((resolve) => {
    onWaiting = (event) => {
      if (event.executionName === execution.name) resolve(true);
    };
    runtime.executor.on('waiting', onWaiting);
  });
  try {
    return await Promise.race([execution.done.then(() => false), waiting]);
  } finally {
    if (onWaiting) runtime.executor.off('waiting', onWaiting);
  }
}

export async function readCase(runtime: LocalRuntime, caseId: string): Promise<CaseRecord> {
  const record = await readCaseRecord(runtime.documentClient, runtime.tables.cases, caseId);
  if (!record) throw new Error(`Case ${caseId} not found`);
  return record;
}

export async function runCase(runtime: LocalRuntime, request: CaseRequest): Promise<CaseRun> {
  const { caseId, execution } = await startCase(runtime, request);
  const waitingForAgent = await settle(runtime, execution);
  return { caseId, execution, record: await readCase(runtime, caseId), waitingForAgent };
}
