import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { describeEvent, fetchHistory, follow, formatMoney, outcomeLines, pathOf } from '../../cli/history.js';
import { runCli } from '../../cli/program.js';
import type { CaseRecord } from '../../functions/shared/case-record.js';
import { captureIo, executionArn, historyOf, page, START_DATE } from './support.js';

const sfnMock = mockClient(SFNClient);
afterEach(() => sfnMock.reset());

const ARN = executionArn('case-1');
const PATH = [
  { name: 'StartCase' },
  { name: 'IsCallbackFollowUp', type: 'Choice' },
  { name: 'ClassifyMessage', type: 'Task' },
  { name: 'ApplyDecisionPolicy', type: 'Choice' },
  { name: 'CompareBillingDates', type: 'Task' },
  { name: 'IssueRefund', type: 'Task' },
  { name: 'Rule9AutoRefunded' },
  { name: 'RecordOutcome', type: 'Task' },
];

/** A scripted execution: each DescribeExecution is one poll; history grows with the polls. */
function scriptExecution(
  polls: readonly {
    status: string;
    events: HistoryEvent[];
    output?: string;
    error?: string;
    cause?: string;
  }[],
  pageSize = 3,
) {
  let poll = -1;
  const current = () => polls[Math.min(Math.max(poll, 0), polls.length - 1)] as (typeof polls)[number];
  sfnMock.on(DescribeExecutionCommand).callsFake(() => {
    poll += 1;
    const state = current();
    return {
      executionArn: ARN,
      name: 'case-1',
      status: state.status,
      startDate: START_DATE,
      ...(state.output ? { output: state.output } : {}),
      ...(state.error ? { error: state.error, cause: state.cause } : {}),
    };
  });
  sfnMock
    .on(GetExecutionHistoryCommand)
    .callsFake((input: { nextToken?: string }) => page(current().events, input.nextToken, pageSize));
}

describe('history', () => {
  it('follows nextToken across every page, oldest first', async () => {
    // Prepare
    const events = historyOf(PATH, { type: 'ExecutionSucceeded' });
    sfnMock
      .on(GetExecutionHistoryCommand)
      .callsFake((input: { nextToken?: string }) => page(events, input.nextToken, 4));

    // Act
    const fetched = await fetchHistory(new SFNClient({ region: 'us-east-1' }), ARN);

    // Assess
    expect(fetched.map((e) => e.id)).toEqual(events.map((e) => e.id));
    const calls = sfnMock.commandCalls(GetExecutionHistoryCommand);
    expect(calls.length).toBe(Math.ceil(events.length / 4));
    expect(calls.map((c) => c.args[0].input.nextToken)).toEqual([undefined, '4', '8', '12', '16']);
    expect(pathOf(fetched)).toEqual(PATH.map((s) => s.name));
  });

  it('`history <arn>` prints every state entered and left with elapsed time, the path and the outcome', async () => {
    // Prepare
    const output = JSON.stringify({
      decision: { outcome: 'auto_refunded', reason: 'billing_error', rule: 9, callbackOffered: false },
      refund: { refundedChargeIds: ['CH-2'], refundedAmount: 1499 },
      classification: { intent: 'billing_refund' },
    });
    scriptExecution(
      [{ status: 'SUCCEEDED', events: historyOf(PATH, { type: 'ExecutionSucceeded' }), output }],
      5,
    );
    const io = captureIo();

    // Act
    const code = await runCli(['history', ARN, '--region', 'us-east-1'], io);

    // Assess
    expect(code).toBe(0);
    expect(io.stderr).toEqual([]);
    expect(io.stdout[0]).toBe('execution case-1: SUCCEEDED');
    expect(io.stdout).toContain('  +0.010s  → StartCase');
    expect(io.stdout).toContain('  +0.160s  ← RecordOutcome');
    expect(io.stdout).toContain(`path: ${PATH.map((s) => s.name).join(' → ')}`);
    expect(io.stdout).toContain('outcome: auto_refunded (billing_error, rule 9)');
    expect(io.stdout).toContain('refunded: 1499 minor units (CH-2)');
    // Five events a page: every page was read.
    expect(sfnMock.commandCalls(GetExecutionHistoryCommand).length).toBe(4);
  });
});

describe('follow', () => {
  it('prints each new event once, live, until the execution succeeds', async () => {
    // Prepare: the history grows over three polls, then the execution ends.
    const full = historyOf(PATH, { type: 'ExecutionSucceeded' });
    scriptExecution([
      { status: 'RUNNING', events: full.slice(0, 4) },
      { status: 'RUNNING', events: full.slice(0, 9) },
      { status: 'RUNNING', events: full.slice(0, 15) },
      { status: 'SUCCEEDED', events: full },
    ]);
    const printed: string[] = [];
    const sleeps: number[] = [];

    // Act
    const result = await follow(new SFNClient({ region: 'us-east-1' }), ARN, {
      print: (line) => printed.push(line),
      intervalMs: 250,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(result.waitingForAgent).toBe(false);
    const entered = printed.filter((l) => l.includes('→')).map((l) => l.split('→ ')[1]);
    expect(entered).toEqual(PATH.map((s) => s.name));
    expect(new Set(printed).size).toBe(printed.length);
    expect(printed[0]).toBe('  +0.000s  ● started');
    expect(printed.at(-1)).toBe('  +0.165s  ■ SUCCEEDED');
    expect(sleeps).toEqual([250, 250, 250]);
  });

  it('stops at a failure, printing the error and cause', async () => {
    // Prepare
    const failed = historyOf(PATH.slice(0, 3), {
      type: 'ExecutionFailed',
      error: 'CaseNeedsAttention',
      cause: 'The case could not be completed automatically or by an agent in time',
    });
    scriptExecution([
      { status: 'RUNNING', events: failed.slice(0, 3) },
      { status: 'FAILED', events: failed, error: 'CaseNeedsAttention', cause: 'not completed' },
    ]);
    const printed: string[] = [];

    // Act
    const result = await follow(new SFNClient({ region: 'us-east-1' }), ARN, {
      print: (line) => printed.push(line),
      sleep: async () => {},
    });

    // Assess
    expect(result.status).toBe('FAILED');
    expect(printed.at(-1)).toBe(
      '  +0.065s  ■ FAILED CaseNeedsAttention: The case could not be completed automatically or by an agent in time',
    );
    expect(outcomeLines(result.execution)).toEqual(['error: CaseNeedsAttention: not completed']);
  });

  it('stops when the case waits for an agent, unless told to follow through the handoff', async () => {
    // Prepare
    const events = historyOf([{ name: 'StartCase' }, { name: 'RequestHumanCallback', type: 'Task' }]).slice(
      0,
      -1,
    );
    scriptExecution([{ status: 'RUNNING', events }]);
    const record = { caseId: 'case-1', status: 'awaiting_agent', outcome: 'human_handoff' } as CaseRecord;

    // Act
    const result = await follow(new SFNClient({ region: 'us-east-1' }), ARN, {
      print: () => {},
      sleep: async () => {},
      readCase: async () => record,
    });

    // Assess
    expect(result.waitingForAgent).toBe(true);
    expect(result.status).toBe('RUNNING');
  });

  it('gives up after --timeout with one line saying how to look again', async () => {
    scriptExecution([{ status: 'RUNNING', events: historyOf([{ name: 'StartCase' }]) }]);
    await expect(
      follow(new SFNClient({ region: 'us-east-1' }), ARN, {
        print: () => {},
        sleep: async () => {},
        timeoutMs: 1000,
      }),
    ).rejects.toThrow(`Still running after 1s; see where it is with: refund-hub history ${ARN}`);
  });

  it('waits for the closing events when the status is published before them', async () => {
    // Prepare: the status says SUCCEEDED one poll before the history has its last events.
    const full = historyOf(PATH.slice(0, 2), { type: 'ExecutionSucceeded' });
    scriptExecution([
      { status: 'SUCCEEDED', events: full.slice(0, -2) },
      { status: 'SUCCEEDED', events: full },
    ]);
    const printed: string[] = [];

    // Act
    await follow(new SFNClient({ region: 'us-east-1' }), ARN, {
      print: (l) => printed.push(l),
      sleep: async () => {},
    });

    // Assess
    expect(printed.at(-1)).toContain('■ SUCCEEDED');
  });
});

describe('event lines', () => {
  it('describes task failures and retries with their error and cause, and skips plumbing events', () => {
    const start = new Date(0);
    expect(
      describeEvent(
        {
          id: 5,
          type: 'TaskFailed',
          timestamp: new Date(1500),
          taskFailedEventDetails: {
            resourceType: 'lambda',
            resource: 'invoke',
            error: 'Lambda.ServiceException',
            cause: 'boom\nsecond line',
          },
        },
        start,
      ),
    ).toBe('  +1.500s  ✗ TaskFailed Lambda.ServiceException: boom second line');
    expect(describeEvent({ id: 6, type: 'TaskScheduled', timestamp: new Date(1600) }, start)).toBeUndefined();
  });

  it('formats money with the currency decimals', () => {
    expect(formatMoney(1499, 'USD')).toBe('14.99 USD');
    expect(formatMoney(500, 'JPY')).toBe('500 JPY');
  });
});
