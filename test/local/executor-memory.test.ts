/**
 * Bounded memory: the executor keeps every running execution, the most recent finished ones whole
 * (DescribeExecution, GetExecutionHistory) and the names of older ones (a repeated StartExecution is
 * still ExecutionAlreadyExists), each bounded by its limit however many cases run.
 * One embedded runtime for this file, with small limits.
 */
import '../../local/quiet.js';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CaseRun, runCase, seedAccount } from '../../local/cases.js';
import { LOCAL_CREDENTIALS } from '../../local/emulators.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import { LOCAL_REGION } from '../../local/template.js';
import { account, FAST_RETRIES, NOW, newCustomerId, RUNTIME_HOOK_TIMEOUT } from '../workflow/support.js';

const KEEP_FINISHED = 3;
const KEEP_NAMES = 6;
const FINISHED_CASES = 14;

let runtime: LocalRuntime;
let sfn: SFNClient;
const waiting: CaseRun[] = [];
const finished: CaseRun[] = [];

beforeAll(async () => {
  runtime = await startLocalRuntime({
    keepFinishedExecutions: KEEP_FINISHED,
    keepExecutionNames: KEEP_NAMES,
    retryIntervalOverrides: FAST_RETRIES,
  });
  sfn = new SFNClient({
    region: LOCAL_REGION,
    endpoint: runtime.sfnEndpoint,
    credentials: LOCAL_CREDENTIALS,
  });
  const customerId = newCustomerId('memory');
  await seedAccount(runtime, account(customerId));
  // The first cases wait for an agent: the oldest executions, still running at the end.
  for (let i = 0; i < 2; i++) {
    const run = await runCase(runtime, {
      customerId,
      message: 'I want to talk to a person please',
      now: NOW,
    });
    expect(run.waitingForAgent).toBe(true);
    waiting.push(run);
  }
  for (let i = 0; i < FINISHED_CASES; i++) {
    const run = await runCase(runtime, { customerId, message: 'Hello', now: NOW });
    await run.execution.done;
    expect(run.execution.status).toBe('SUCCEEDED');
    finished.push(run);
  }
}, RUNTIME_HOOK_TIMEOUT * 2);

afterAll(async () => {
  sfn?.destroy();
  await runtime?.stop();
});

const describeExecution = (arn: string) => sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
const startAgain = (run: CaseRun) =>
  sfn.send(
    new StartExecutionCommand({
      stateMachineArn: runtime.executor.stateMachineArn,
      name: run.execution.name,
      input: run.execution.inputText,
    }),
  );

describe('the executor under many executions', () => {
  it('holds the running executions, the last finished ones whole and older names, each within its limit', () => {
    expect(runtime.executor.counts()).toEqual({
      running: waiting.length,
      finished: KEEP_FINISHED,
      names: KEEP_NAMES,
      pendingTokens: waiting.length,
    });
  });

  it('never forgets a running execution: the oldest ones still describe as RUNNING', async () => {
    for (const run of waiting) {
      expect(runtime.executor.describe(run.execution.name)?.status).toBe('RUNNING');
      expect((await describeExecution(run.execution.arn)).status).toBe('RUNNING');
    }
  });

  it('describes a recent finished execution with its input and output, and reads its history', async () => {
    const recent = finished[finished.length - 1] as CaseRun;
    const described = await describeExecution(recent.execution.arn);
    expect(described).toMatchObject({ status: 'SUCCEEDED', input: recent.execution.inputText });
    expect(described.output).toBeDefined();
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: recent.execution.arn }));
    expect(history.events?.map((e) => e.type)).toEqual(
      expect.arrayContaining(['ExecutionStarted', 'ExecutionSucceeded']),
    );
  });

  it('still knows an older finished one by name and status, without its history', async () => {
    const older = finished[finished.length - KEEP_FINISHED - 1] as CaseRun;
    const described = await describeExecution(older.execution.arn);
    expect(described).toMatchObject({ status: 'SUCCEEDED', name: older.execution.name });
    expect(described.input).toBeUndefined();
    await expect(
      sfn.send(new GetExecutionHistoryCommand({ executionArn: older.execution.arn })),
    ).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
  });

  it('refuses StartExecution of a finished name (recent or only remembered) as ExecutionAlreadyExists', async () => {
    const recent = finished[finished.length - 1] as CaseRun;
    const remembered = finished[finished.length - KEEP_FINISHED - KEEP_NAMES] as CaseRun;
    await expect(startAgain(recent)).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    await expect(startAgain(remembered)).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    expect(runtime.executor.counts().running).toBe(waiting.length);
  });

  it('returns the running execution for a retried StartExecution (same name, same input)', async () => {
    const run = waiting[0] as CaseRun;
    const started = await startAgain(run);
    expect(started.executionArn).toBe(run.execution.arn);
    expect(runtime.executor.counts().running).toBe(waiting.length);
  });

  it('answers ExecutionDoesNotExist for a name it never ran and for one past both limits', async () => {
    const arn = runtime.executor.stateMachineArn.replace(':stateMachine:', ':execution:');
    await expect(describeExecution(`${arn}:case-never-started`)).rejects.toMatchObject({
      name: 'ExecutionDoesNotExist',
    });
    const oldest = finished[0] as CaseRun;
    await expect(describeExecution(oldest.execution.arn)).rejects.toMatchObject({
      name: 'ExecutionDoesNotExist',
    });
  });

  it('answers a late agent on a forgotten execution with TaskTimedOut, not a crash', async () => {
    const run = waiting[1] as CaseRun;
    const token = run.record.taskToken ?? '';
    expect(token).not.toBe('');
    runtime.executor.stop(run.execution.name);
    await run.execution.done;
    // Push it out of the finished executions kept whole: only its name is left.
    for (let i = 0; i < KEEP_FINISHED; i++) {
      const more = await runCase(runtime, { customerId: run.record.customerId, message: 'Hello', now: NOW });
      await more.execution.done;
    }
    expect(runtime.executor.describe(run.execution.name)).toBeUndefined();
    await expect(
      sfn.send(
        new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ decision: 'deny' }) }),
      ),
    ).rejects.toMatchObject({ name: 'TaskTimedOut' });
    expect(runtime.executor.counts()).toMatchObject({
      running: waiting.length - 1,
      finished: KEEP_FINISHED,
      names: KEEP_NAMES,
      pendingTokens: waiting.length - 1,
    });
  });
});
