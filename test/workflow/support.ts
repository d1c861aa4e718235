/**
 * Shared fixtures for the workflow tests: each test file starts ONE embedded runtime (the real
 * synthesized definition, every Task bound to its real handler) and uses these helpers to seed
 * accounts, run cases and read what a user would notice (case record, message center, ledger,
 * team queues).
 */
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll } from 'vitest';
import type { CustomerAccount } from '../../functions/shared/accounts.js';
import type { CaseRecord } from '../../functions/shared/case-record.js';
import type { Charge, Classification, Order, Subscription, TeamQueue } from '../../functions/shared/types.js';
import { LOCAL_CREDENTIALS } from '../../local/emulators.js';
import type { LambdaHandler, LocalExecution } from '../../local/executor.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import { LOCAL_REGION } from '../../local/template.js';

export const CLASSIFY_ENTRY = 'functions/classify/handler.ts';
export const LOAD_ACCOUNT_ENTRY = 'functions/load-account/handler.ts';
export const ISSUE_REFUND_ENTRY = 'functions/issue-refund/handler.ts';

/** The scenarios' clock (examples.jsonl): every case is requested at this instant. */
export const NOW = new Date('2026-03-20T12:00:00Z');

/** Fast retries for every Task state that has a Retry policy (ms; never asserted). */
export const FAST_RETRIES: Record<string, number> = {
  ClassifyMessage: 0,
  LoadCustomerAccount: 0,
  CompareBillingDates: 0,
  IssueRefund: 0,
  IssueAgentRefund: 0,
  BookGoodwillCredit: 0,
  RecordOutcome: 0,
  RecordResolution: 0,
  RequestHumanCallback: 0,
  MarkNeedsAttention: 0,
};

/** Synth + emulators + handler loading take a few seconds. */
export const RUNTIME_HOOK_TIMEOUT = 60_000;

let customerCounter = 0;
/** A fresh customer id per test, so ledger and message-center state never leak between tests. */
export function newCustomerId(label: string): string {
  customerCounter += 1;
  return `C-${label}-${process.pid}-${customerCounter}`;
}

export function account(
  customerId: string,
  parts: {
    phone?: string;
    subscriptions?: Subscription[];
    charges?: Charge[];
    orders?: Order[];
  } = {},
): CustomerAccount {
  return {
    profile: { id: customerId, ...(parts.phone ? { phone: parts.phone } : {}) },
    subscriptions: parts.subscriptions ?? [],
    charges: parts.charges ?? [],
    orders: parts.orders ?? [],
  };
}

export const cancelledSubscription = (
  id: string,
  cancelledAt: string,
  extra: Partial<Subscription> = {},
): Subscription => ({ id, plan: 'prime-monthly', status: 'cancelled', cancelledAt, ...extra });

export const subscriptionCharge = (
  id: string,
  subscriptionId: string,
  amount: number,
  chargedAt: string,
  extra: Partial<Charge> = {},
): Charge => ({
  id,
  subscriptionId,
  amount,
  currency: 'USD',
  chargedAt,
  billingPeriodStart: chargedAt,
  ...extra,
});

export const order = (id: string, total: number, extra: Partial<Order> = {}): Order => ({
  id,
  total,
  currency: 'USD',
  status: 'shipped',
  placedAt: '2026-03-17T09:00:00Z',
  promisedBy: '2026-03-22T23:59:00Z',
  ...extra,
});

// ---- A controllable classifier: the routing under test is the definition's, not the model's ----

export const CLEAR: Classification = {
  intent: 'other',
  confidence: 0.95,
  frustrated: false,
  urgent: false,
  humanRequested: false,
};

/**
 * Replaces only the classify handler with one that returns `next` (set by the test); every other
 * handler stays real. Returns the `wrapHandler` option and a setter.
 */
export function controllableClassifier() {
  let next: Classification = CLEAR;
  const wrapHandler = (entry: string, real: LambdaHandler): LambdaHandler =>
    entry === CLASSIFY_ENTRY ? async () => ({ ...next }) : real;
  return {
    wrapHandler,
    classifyAs(overrides: Partial<Classification>) {
      next = { ...CLEAR, ...overrides };
    },
  };
}

/** A handler wrapper that throws a named error on chosen calls (fault injection from the outside). */
export function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

export type FaultPlan = (call: number) => boolean;

export function faultyHandler(real: LambdaHandler, shouldFail: () => boolean, errorName: string) {
  return async (event: unknown, context: Context) => {
    if (shouldFail()) throw namedError(errorName, 'injected by the workflow test');
    return real(event, context);
  };
}

// ---- What a user would notice ----

export function enteredStates(execution: LocalExecution): string[] {
  return execution.events.filter((e) => e.type === 'StateEntered').map((e) => e.state?.name ?? '');
}

export interface StoredMessage {
  readonly customerId: string;
  readonly messageKey: string;
  readonly caseId: string;
  readonly subject: string;
  readonly body: string;
  readonly sentAt: string;
}

export async function messageCenter(runtime: LocalRuntime, customerId: string): Promise<StoredMessage[]> {
  const result = await runtime.documentClient.send(
    new QueryCommand({
      TableName: runtime.tables.messages,
      KeyConditionExpression: 'customerId = :c',
      ExpressionAttributeValues: { ':c': customerId },
      ConsistentRead: true,
    }),
  );
  return (result.Items ?? []) as StoredMessage[];
}

export interface LedgerItem {
  readonly customerId: string;
  readonly chargeId: string;
  readonly refundedTotal: number;
  readonly autoRefundCaseId?: string;
  readonly [caseLine: string]: unknown;
}

export async function ledgerItem(
  runtime: LocalRuntime,
  customerId: string,
  chargeId: string,
): Promise<LedgerItem | undefined> {
  const result = await runtime.documentClient.send(
    new GetCommand({
      TableName: runtime.tables.refundLedger,
      Key: { customerId, chargeId },
      ConsistentRead: true,
    }),
  );
  return result.Item as LedgerItem | undefined;
}

export async function ledgerItems(runtime: LocalRuntime, customerId: string): Promise<LedgerItem[]> {
  const result = await runtime.documentClient.send(
    new QueryCommand({
      TableName: runtime.tables.refundLedger,
      KeyConditionExpression: 'customerId = :c',
      ExpressionAttributeValues: { ':c': customerId },
      ConsistentRead: true,
    }),
  );
  return (result.Items ?? []) as LedgerItem[];
}

export function timelineSteps(record: CaseRecord): string[] {
  return record.timeline.map((entry) => entry.step);
}

// ---- The team queues the callback topic fans out to ----

export interface DispatchedCallback {
  readonly team: TeamQueue;
  readonly body: string;
  readonly request: Record<string, unknown>;
  readonly attributes: Record<string, string | undefined>;
}

/**
 * Reads the fauxqs team queues (the queue names are the template's logical ids: the one whose name
 * contains `<team>Queue`, not its DeadLetters). Received messages are deleted and kept here, so
 * tests sharing a runtime can each look up their own case's callbacks.
 */
export class TeamQueues {
  private readonly sqs: SQSClient;
  private readonly received: DispatchedCallback[] = [];

  constructor(private readonly runtime: LocalRuntime) {
    this.sqs = new SQSClient({
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      endpoint: runtime.emulators.snsEndpoint,
    });
  }

  queueUrl(team: TeamQueue): string {
    const names = Object.keys(this.runtime.emulators.queueUrls).filter(
      (name) => name.includes(`${team}Queue`) && !name.includes('DeadLetters'),
    );
    if (names.length !== 1)
      throw new Error(`Expected one ${team} queue, found ${names.join(', ') || 'none'}`);
    return this.runtime.emulators.queueUrls[names[0] as string] as string;
  }

  /** Every callback any team queue received so far for this case (oldest first). */
  async forCase(caseId: string): Promise<DispatchedCallback[]> {
    await this.drain();
    return this.received.filter((c) => c.request.caseId === caseId);
  }

  private async drain(): Promise<void> {
    for (const team of ['billing', 'delivery', 'security', 'general'] as const) {
      const url = this.queueUrl(team);
      for (;;) {
        const page = await this.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: url,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 0,
            MessageAttributeNames: ['All'],
          }),
        );
        const messages = page.Messages ?? [];
        if (messages.length === 0) break;
        for (const message of messages) {
          const body = message.Body ?? '';
          this.received.push({
            team,
            body,
            request: JSON.parse(body) as Record<string, unknown>,
            attributes: Object.fromEntries(
              Object.entries(message.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue]),
            ),
          });
          await this.sqs.send(
            new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }),
          );
        }
      }
    }
  }

  destroy(): void {
    this.sqs.destroy();
  }
}

/**
 * The usual set-up of a workflow test file: one embedded runtime with the stubbed classifier and fast retries
 * (plus any CDK `context`), its team queues, both stopped after the file. Read `runtime` and `queues` inside tests.
 */
export function workflowRuntime(context: Record<string, string> = {}) {
  const classifier = controllableClassifier();
  let runtime: LocalRuntime | undefined;
  let queues: TeamQueues | undefined;
  beforeAll(async () => {
    runtime = await startLocalRuntime({
      context,
      wrapHandler: classifier.wrapHandler,
      retryIntervalOverrides: FAST_RETRIES,
    });
    queues = new TeamQueues(runtime);
  }, RUNTIME_HOOK_TIMEOUT);
  afterAll(async () => {
    queues?.destroy();
    await runtime?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined)
      throw new Error('the workflow runtime is not started yet (use it inside a test)');
    return value;
  };
  return {
    classifier,
    get runtime(): LocalRuntime {
      return started(runtime);
    },
    get queues(): TeamQueues {
      return started(queues);
    },
  };
}
