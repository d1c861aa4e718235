/**
 * Running one return on the embedded runtime with a clock of its own: decide and store it as POST /v1/returns does,
 * start the returns execution, play the carrier's events through the real signed webhook, script an agent's
 * inspection, and let a label's life pass without waiting 28 days. Shared by the workflow tests and replay.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { returnsConfigFromEnv } from '../functions/returns-core/config.js';
import {
  type CarrierEventName,
  decideWithHistory,
  newReturnRecord,
  type ReturnRecord,
  type ReturnRequest,
  returnExecutionInput,
  returnIdFor,
} from '../functions/returns-core/domain.js';
import { CARRIER_SIGNATURE_HEADER, signCarrierPayload } from '../functions/returns-core/signature.js';
import { getReturn, putNewReturn, returnsOfCustomer } from '../functions/returns-core/store.js';
import { loadCustomerAccount } from '../functions/shared/account-store.js';
import type { ReturnRejection } from '../functions/shared/return-eligibility.js';
import type { LocalExecution, LocalExecutor } from './executor.js';
import { lambdaContext } from './lambda-context.js';
import { LOCAL_CARRIER_SECRET, type LocalRuntime } from './runtime.js';

export const CARRIER_WEBHOOK_ENTRY = 'functions/carrier-webhook/handler.ts';
export const INSPECTION_ENTRY = 'functions/returns-inspection/handler.ts';
/** The first-scan wait's state name (lib/constructs/returns-workflow.ts): the one a label's life ends. */
export const FIRST_SCAN_STATE = 'WaitForFirstScan';

export function returnsExecutorOf(runtime: LocalRuntime): LocalExecutor {
  if (!runtime.returnsExecutor) throw new Error('The template has no returns state machine');
  return runtime.returnsExecutor;
}

export type StartedReturn =
  | {
      readonly rejection: ReturnRejection | 'order_not_found';
      readonly returnId: null;
      readonly execution: null;
    }
  | { readonly rejection: null; readonly returnId: string; readonly execution: LocalExecution };

/** As POST /v1/returns: the same rule and records, at `now`; a rejected return creates nothing. */
export async function startReturn(
  runtime: LocalRuntime,
  customerId: string,
  request: ReturnRequest,
  now: Date = new Date(),
  idempotencyKey?: string,
): Promise<StartedReturn> {
  const client = runtime.documentClient;
  const tables = { accountsTable: runtime.tables.accounts, refundLedgerTable: runtime.tables.refundLedger };
  const [account, earlier] = await Promise.all([
    loadCustomerAccount(client, tables, customerId),
    returnsOfCustomer(client, runtime.tables.returns, customerId),
  ]);
  const at = now.toISOString();
  const decision = decideWithHistory(account, request, earlier, at, returnsConfigFromEnv());
  if (!decision.eligible) return { rejection: decision.rejection, returnId: null, execution: null };
  const record = newReturnRecord(
    returnIdFor(customerId, idempotencyKey, randomUUID),
    customerId,
    request,
    decision,
    at,
  );
  await putNewReturn(client, runtime.tables.returns, record);
  const execution = returnsExecutorOf(runtime).start(record.returnId, returnExecutionInput(record));
  return { rejection: null, returnId: record.returnId, execution };
}

/** Resolves once the execution has finished or waits for an answer (a carrier event, an inspection). */
export async function settleReturn(
  runtime: LocalRuntime,
  execution: LocalExecution,
  timeoutMs = 30_000,
): Promise<void> {
  const executor = returnsExecutorOf(runtime);
  const deadline = Date.now() + timeoutMs;
  while (execution.status === 'RUNNING' && !executor.awaitingAnswer(execution.name)) {
    if (Date.now() > deadline)
      throw new Error(`Return ${execution.name} did not settle within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

export async function readReturn(runtime: LocalRuntime, returnId: string): Promise<ReturnRecord> {
  const record = await getReturn(runtime.documentClient, runtime.tables.returns, returnId);
  if (!record) throw new Error(`Return ${returnId} not found`);
  return record;
}

function apiEvent(body: string, headers: Record<string, string>, extra: Partial<APIGatewayProxyEvent> = {}) {
  return {
    body,
    headers,
    isBase64Encoded: false,
    httpMethod: 'POST',
    pathParameters: null,
    queryStringParameters: null,
    requestContext: { identity: {}, requestId: randomUUID() },
    ...extra,
  } as unknown as APIGatewayProxyEvent;
}

export interface CarrierPost {
  readonly trackingId: string;
  readonly event: CarrierEventName | string;
  readonly at: string;
  readonly eventId?: string;
  /** Signs with this secret instead of the runtime's (a forged event). */
  readonly secret?: string;
  /** The signature's timestamp (unix seconds). @default now */
  readonly signedAt?: number;
  /** Sent instead of the signature header's value. */
  readonly signature?: string | null;
}

/** Posts a carrier event to the real webhook handler, signed as the carrier would (or not, for the tests). */
export async function postCarrierEvent(
  runtime: LocalRuntime,
  post: CarrierPost,
): Promise<{ statusCode: number; body: Record<string, unknown> }> {
  const body = JSON.stringify({
    eventId: post.eventId ?? `evt-${randomUUID()}`,
    trackingId: post.trackingId,
    event: post.event,
    at: post.at,
  });
  const signature =
    post.signature === undefined
      ? signCarrierPayload(
          post.secret ?? process.env.CARRIER_WEBHOOK_SECRET ?? LOCAL_CARRIER_SECRET,
          body,
          post.signedAt ?? Math.floor(Date.now() / 1000),
        )
      : post.signature;
  const headers: Record<string, string> = signature === null ? {} : { [CARRIER_SIGNATURE_HEADER]: signature };
  const response = (await runtime.handler(CARRIER_WEBHOOK_ENTRY)(
    apiEvent(body, headers),
    lambdaContext('carrier-webhook'),
  )) as {
    statusCode: number;
    body: string;
  };
  return { statusCode: response.statusCode, body: JSON.parse(response.body) as Record<string, unknown> };
}

export interface Inspection {
  readonly result: 'pass' | 'fail' | string;
  readonly note?: string;
  readonly customerMessage?: string;
}

/** An agent's inspection through the real endpoint's handler (IAM identity of a local agent). */
export async function inspect(
  runtime: LocalRuntime,
  returnId: string,
  inspection: Inspection,
  agentArn = 'arn:aws:iam::000000000000:user/local-agent',
): Promise<{ statusCode: number; body: Record<string, unknown> }> {
  const body = JSON.stringify({ note: 'Inspected at the warehouse.', ...inspection });
  const response = (await runtime.handler(INSPECTION_ENTRY)(
    apiEvent(
      body,
      {},
      {
        pathParameters: { returnId },
        requestContext: { identity: { userArn: agentArn }, requestId: randomUUID() } as never,
      },
    ),
    lambdaContext('return-inspection'),
  )) as { statusCode: number; body: string };
  return { statusCode: response.statusCode, body: JSON.parse(response.body) as Record<string, unknown> };
}

/** The label's life passes: the first-scan wait times out as on AWS (States.Timeout), now rather than in 28 days. */
export function letLabelExpire(runtime: LocalRuntime, returnId: string): boolean {
  return returnsExecutorOf(runtime).expireWait(returnId, FIRST_SCAN_STATE);
}
