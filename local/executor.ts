/**
 * Runs the synthesized definition with aws-local-stepfunctions, every Task bound to the real
 * handler code of its Lambda. `.waitForTaskToken` Tasks get a unique token each and wait until
 * `sendTaskSuccess`/`sendTaskFailure` (an agent) or the Task's own TimeoutSeconds.
 */
import './polyfills.js';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Context } from 'aws-lambda';
import { StateMachine } from 'aws-local-stepfunctions';
import { lambdaContext } from './lambda-context.js';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './template.js';

/** One entry of the library's execution event log (StateEntered, StateExited, ...). */
export type EventLog = {
  readonly type: string;
  readonly timestamp: number;
  readonly state?: { name: string; input?: unknown; output?: unknown };
  readonly Error?: string;
  readonly Cause?: unknown;
  readonly [key: string]: unknown;
};

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

export interface LocalExecution {
  readonly name: string;
  readonly arn: string;
  readonly input: unknown;
  readonly inputText: string;
  readonly startDate: Date;
  status: ExecutionStatus;
  stopDate?: Date;
  output?: unknown;
  error?: { readonly error: string; readonly cause: string };
  readonly events: EventLog[];
  /** Settles when the execution ends, whatever the outcome. */
  readonly done: Promise<void>;
  abort(): void;
}

export class TaskTokenError extends Error {
  constructor(
    override readonly name: 'TaskDoesNotExist' | 'TaskTimedOut' | 'InvalidToken',
    message: string,
  ) {
    super(message);
  }
}

/** A Task's error as Step Functions reports it: `Error` is the name Retry/Catch match on. */
class TaskFailedError extends Error {
  constructor(error: string, cause: string) {
    super(cause);
    this.name = error;
  }
}

interface PendingToken {
  readonly executionName: string;
  readonly stateName: string;
  resolve(output: unknown): void;
  reject(error: Error): void;
  /** Restarts the HeartbeatSeconds clock. */
  heartbeat(): void;
  /** Set once the Task's handler has returned: the execution now waits for the answer. */
  dispatched?: boolean;
}

/** Finished executions kept whole by default (input, output, event log): about 11 KB of heap each on the demo cases. */
export const DEFAULT_KEEP_FINISHED_EXECUTIONS = 1000;
/** Finished execution names remembered by default once their details are forgotten: about 150 bytes each. */
export const DEFAULT_KEEP_EXECUTION_NAMES = 100_000;

export interface ExecutorOptions {
  readonly stateMachineArn: string;
  readonly definition: Record<string, unknown>;
  /** Function ARN → its real handler. */
  readonly handlers: ReadonlyMap<string, LambdaHandler>;
  /** Retry pauses per state in ms (aws-local-stepfunctions' retryIntervalOverrides), for fast tests. */
  readonly retryIntervalOverrides?: Record<string, number | number[]>;
  /**
   * The most recent finished executions kept whole, for DescribeExecution and GetExecutionHistory;
   * older ones keep only their name, status and dates. Running executions are always kept.
   * @default DEFAULT_KEEP_FINISHED_EXECUTIONS
   */
  readonly keepFinishedExecutions?: number;
  /**
   * Names of finished executions remembered beyond those (with status and dates), so that starting
   * one again is refused (ExecutionAlreadyExists) as on AWS; past this many the oldest name is free again.
   * @default DEFAULT_KEEP_EXECUTION_NAMES
   */
  readonly keepExecutionNames?: number;
}

/** What the executor still knows of an execution: every field DescribeExecution has but input and output. */
export interface ExecutionSummary {
  readonly name: string;
  readonly arn: string;
  readonly status: ExecutionStatus;
  readonly startDate: Date;
  readonly stopDate?: Date;
  readonly error?: string;
}

/** How much the executor holds, for tests and diagnostics. */
export interface ExecutorCounts {
  readonly running: number;
  /** Finished executions kept whole. */
  readonly finished: number;
  /** Finished executions of which only the name, status and dates are left. */
  readonly names: number;
  /** Callback Tasks waiting for an answer. */
  readonly pendingTokens: number;
}

/** Per execution bookkeeping; dropped with the execution. */
interface Tracked {
  readonly execution: LocalExecution;
  /** The library keeps running an aborted execution, so its Tasks are refused while this is set. */
  stopRequested: boolean;
  /** Its callback tokens already answered, timed out or released: a late answer gets TaskTimedOut. */
  readonly closedTokens: Set<string>;
}

/** A forgotten execution, compactly: status and dates in whole seconds since the epoch. */
interface Forgotten {
  readonly status: ExecutionStatus;
  readonly start: number;
  readonly stop: number;
  readonly error: string | undefined;
}

interface TaskState {
  readonly Type: string;
  readonly Resource?: string;
  readonly Parameters?: { FunctionName?: string };
  readonly TimeoutSeconds?: number;
  readonly HeartbeatSeconds?: number;
}

/**
 * Emits `waiting` (execution name, state name, token) once a callback Task's handler has returned,
 * i.e. once the callback request was dispatched and the workflow waits for an agent.
 */
export class LocalExecutor extends EventEmitter {
  private readonly machine: StateMachine;
  private readonly running = new Map<string, Tracked>();
  /** Finished executions kept whole, oldest first. */
  private readonly finished = new Map<string, Tracked>();
  /** Finished executions whose details were dropped, oldest first. */
  private readonly forgotten = new Map<string, Forgotten>();
  private readonly tokens = new Map<string, PendingToken>();
  /** Task invocations under way: the library lets an aborted execution's current Task run to its end. */
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Set by stopAll: the runtime is going away, nothing new starts. */
  private closing = false;
  private readonly stateMachineName: string;
  private readonly keepFinished: number;
  private readonly keepNames: number;
  /** The callback Tasks' state names, to read an execution name back out of a token. */
  private readonly callbackStates: readonly string[];

  constructor(private readonly options: ExecutorOptions) {
    super();
    // One `waiting` listener per case being settled: many at once is normal here.
    this.setMaxListeners(0);
    this.machine = new StateMachine(withTimersNodeCanArm(options.definition) as never, {
      validationOptions: { checkArn: false, checkPaths: false },
    });
    this.stateMachineName = options.stateMachineArn.split(':').pop() ?? 'RefundHub';
    this.keepFinished = limit(options.keepFinishedExecutions, DEFAULT_KEEP_FINISHED_EXECUTIONS);
    this.keepNames = limit(options.keepExecutionNames, DEFAULT_KEEP_EXECUTION_NAMES);
    const states = (options.definition.States ?? {}) as Record<string, TaskState>;
    this.callbackStates = Object.entries(states)
      .filter(([, state]) => state.Resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken')
      .map(([name]) => name);
  }

  get stateMachineArn(): string {
    return this.options.stateMachineArn;
  }

  /**
   * Starts an execution. As on AWS (Standard workflows): the same name and input as a running
   * execution returns it; a name already used by a finished execution, or a running one with another
   * input, is ExecutionAlreadyExists.
   */
  start(name: string, input: unknown): LocalExecution {
    if (this.closing) throw new Error('The local runtime is stopping: no new executions');
    const inputText = JSON.stringify(input);
    const arn = this.arnOf(name);
    const running = this.running.get(name)?.execution;
    if (running?.inputText === inputText) return running;
    if (running || this.finished.has(name) || this.forgotten.has(name)) {
      const error = new Error(`Execution Already Exists: '${arn}'`);
      error.name = 'ExecutionAlreadyExists';
      throw error;
    }
    const startDate = new Date();
    const tracked: Tracked = { execution: undefined as never, stopRequested: false, closedTokens: new Set() };
    const run = this.machine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: this.bindTasks(tracked, name) as never,
        ...(this.options.retryIntervalOverrides
          ? { retryIntervalOverrides: this.options.retryIntervalOverrides }
          : {}),
      },
      context: {
        Execution: {
          Id: arn,
          Name: name,
          StartTime: startDate.toISOString(),
          RoleArn: 'arn:aws:iam::000000000000:role/local',
        },
        StateMachine: { Id: this.options.stateMachineArn, Name: this.stateMachineName },
        // Replaced by a fresh token per callback Task in bindTasks; present so `$$.Task.Token` resolves.
        Task: { Token: 'local-task-token' },
      },
    });
    const events: EventLog[] = [];
    const execution: LocalExecution = {
      name,
      arn,
      input,
      inputText,
      startDate,
      status: 'RUNNING',
      events,
      abort: () => run.abort(),
      done: Promise.resolve(),
    };
    const collect = (async () => {
      for await (const event of run.eventLogs) events.push(event as EventLog);
    })();
    (tracked as { execution: LocalExecution }).execution = execution;
    (execution as { done: Promise<void> }).done = run.result
      .then(
        async (output) => {
          // History first: whoever sees the final status also sees the final events.
          await collect;
          execution.output = output;
          execution.stopDate = new Date();
          execution.status = 'SUCCEEDED';
        },
        async (error: Error) => {
          this.releaseTokens(tracked);
          await collect.catch(() => undefined);
          execution.stopDate = new Date();
          const cause = (error as { cause?: unknown }).cause as Error | undefined;
          execution.error = { error: cause?.name ?? error.name, cause: cause?.message ?? error.message };
          execution.status =
            error.name === 'ExecutionAbortedError'
              ? 'ABORTED'
              : error.name === 'ExecutionTimeoutError'
                ? 'TIMED_OUT'
                : 'FAILED';
        },
      )
      .finally(() => this.finish(tracked));
    this.running.set(name, tracked);
    return execution;
  }

  /** A running execution, or a finished one still kept whole (its input, output and history). */
  describe(nameOrArn: string): LocalExecution | undefined {
    const name = nameOf(nameOrArn);
    return (this.running.get(name) ?? this.finished.get(name))?.execution;
  }

  /** Status and dates of any execution the executor knows, including finished ones whose details are gone. */
  summary(nameOrArn: string): ExecutionSummary | undefined {
    const name = nameOf(nameOrArn);
    const execution = this.describe(name);
    if (execution) {
      return {
        name,
        arn: execution.arn,
        status: execution.status,
        startDate: execution.startDate,
        ...(execution.stopDate ? { stopDate: execution.stopDate } : {}),
        ...(execution.error ? { error: execution.error.error } : {}),
      };
    }
    const forgotten = this.forgotten.get(name);
    if (!forgotten) return undefined;
    return {
      name,
      arn: this.arnOf(name),
      status: forgotten.status,
      startDate: new Date(forgotten.start * 1000),
      stopDate: new Date(forgotten.stop * 1000),
      ...(forgotten.error ? { error: forgotten.error } : {}),
    };
  }

  counts(): ExecutorCounts {
    return {
      running: this.running.size,
      finished: this.finished.size,
      names: this.forgotten.size,
      pendingTokens: this.tokens.size,
    };
  }

  stop(nameOrArn: string): void {
    const tracked = this.running.get(nameOf(nameOrArn));
    if (tracked?.execution.status !== 'RUNNING') return;
    tracked.stopRequested = true;
    tracked.execution.abort();
    this.releaseTokens(tracked);
  }

  /** Forgets a finished execution entirely, name included (replay's scenarios are done with once reported). */
  forget(nameOrArn: string): void {
    const name = nameOf(nameOrArn);
    this.finished.delete(name);
    this.forgotten.delete(name);
  }

  /** Whether a task token is one of this executor's (the SFN API serves two state machines). */
  ownsToken(token: string): boolean {
    if (this.tokens.has(token)) return true;
    const name = this.executionNameOf(token);
    return (
      name !== undefined && (this.running.has(name) || this.finished.has(name) || this.forgotten.has(name))
    );
  }

  /**
   * The embedded runtime's clock for long waits: ends an execution's callback wait as its TimeoutSeconds would
   * (States.Timeout), now. Replay uses it for a label's life (28 days) instead of waiting; false when nothing waits.
   */
  expireWait(executionName: string, stateName?: string): boolean {
    for (const [token, pending] of this.tokens) {
      if (pending.executionName !== executionName || (stateName && pending.stateName !== stateName)) continue;
      this.closeToken(token, pending);
      pending.reject(new TaskFailedError('States.Timeout', 'Task timed out'));
      return true;
    }
    return false;
  }

  /** Whether an execution waits for a callback's answer (the callback Task's handler has returned). */
  awaitingAnswer(executionName: string): boolean {
    for (const pending of this.tokens.values())
      if (pending.executionName === executionName && pending.dispatched) return true;
    return false;
  }

  /** The callback states an execution waits in now. */
  waitingStates(executionName: string): string[] {
    return [...this.tokens.values()].filter((p) => p.executionName === executionName).map((p) => p.stateName);
  }

  sendTaskSuccess(token: string, output: unknown): void {
    this.takeToken(token).resolve(output);
  }

  sendTaskFailure(token: string, error: string, cause: string): void {
    this.takeToken(token).reject(new TaskFailedError(error, cause));
  }

  /** A heartbeat restarts the waiting Task's HeartbeatSeconds clock (an agent is on the case). */
  sendTaskHeartbeat(token: string): void {
    this.peekToken(token).heartbeat();
  }

  /**
   * Stops every running execution and waits for the Tasks under way to return (shutdown, end of
   * replay), so that no handler is still calling the emulators once they stop. Nothing starts after.
   */
  async stopAll(): Promise<void> {
    this.closing = true;
    const running = [...this.running.values()].map((tracked) => tracked.execution);
    for (const execution of running) this.stop(execution.name);
    await Promise.all(running.map((e) => e.done));
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private arnOf(name: string): string {
    return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${this.stateMachineName}:${name}`;
  }

  /** Keeps the most recent finished executions whole and the names of older ones, both bounded. */
  private finish(tracked: Tracked): void {
    const { execution } = tracked;
    if (this.running.get(execution.name) !== tracked) return;
    this.running.delete(execution.name);
    this.finished.set(execution.name, tracked);
    for (const [name, old] of this.finished) {
      if (this.finished.size <= this.keepFinished) break;
      this.finished.delete(name);
      const { status, startDate, stopDate, error } = old.execution;
      this.forgotten.set(name, {
        status,
        start: Math.floor(startDate.getTime() / 1000),
        stop: Math.floor((stopDate ?? startDate).getTime() / 1000),
        error: error?.error,
      });
    }
    for (const name of this.forgotten.keys()) {
      if (this.forgotten.size <= this.keepNames) break;
      this.forgotten.delete(name);
    }
  }

  private peekToken(token: string): PendingToken {
    const pending = this.tokens.get(token);
    if (pending) return pending;
    // A token of a finished task (answered, timed out, released) or of a finished execution.
    const name = this.executionNameOf(token);
    const tracked = name === undefined ? undefined : (this.running.get(name) ?? this.finished.get(name));
    if (tracked?.closedTokens.has(token) || (name !== undefined && this.forgotten.has(name)))
      throw new TaskTokenError('TaskTimedOut', 'Task Timed Out');
    throw new TaskTokenError('TaskDoesNotExist', 'Task does not exist anymore');
  }

  /** Tokens are `<execution name>.<state name>.<uuid>` (waitForTaskToken); names may hold dots. */
  private executionNameOf(token: string): string | undefined {
    const head = token.slice(0, -37);
    if (token[token.length - 37] !== '.') return undefined;
    const state = this.callbackStates.find((s) => head.endsWith(`.${s}`));
    return state === undefined ? undefined : head.slice(0, -(state.length + 1));
  }

  private takeToken(token: string): PendingToken {
    const pending = this.peekToken(token);
    this.closeToken(token, pending);
    return pending;
  }

  private closeToken(token: string, pending: PendingToken): void {
    this.tokens.delete(token);
    const name = pending.executionName;
    (this.running.get(name) ?? this.finished.get(name))?.closedTokens.add(token);
  }

  private releaseTokens(tracked: Tracked): void {
    for (const [token, pending] of this.tokens) {
      if (pending.executionName !== tracked.execution.name) continue;
      this.closeToken(token, pending);
      pending.reject(new TaskFailedError('States.Aborted', 'Execution stopped'));
    }
  }

  private bindTasks(
    tracked: Tracked,
    executionName: string,
  ): Record<string, (input: unknown) => Promise<unknown>> {
    const states = (this.options.definition.States ?? {}) as Record<string, TaskState>;
    const bindings: Record<string, (input: unknown) => Promise<unknown>> = {};
    // A stopped execution runs no more Tasks: no second callback dispatch, no timers left behind.
    const refuseIfStopped =
      <T>(task: (input: unknown) => Promise<T>) =>
      (input: unknown) => {
        if (tracked.stopRequested)
          return Promise.reject(
            new TaskFailedError('States.Aborted', `Execution ${executionName} was stopped`),
          );
        const invocation = task(input);
        this.inFlight.add(invocation);
        const settled = () => this.inFlight.delete(invocation);
        invocation.then(settled, settled);
        return invocation;
      };
    for (const [stateName, state] of Object.entries(states)) {
      if (state.Type !== 'Task') continue;
      const resource = state.Resource ?? '';
      if (resource.startsWith('arn:aws:lambda:')) {
        const handler = this.handlerFor(resource, stateName);
        bindings[stateName] = refuseIfStopped((input) => invokeLocally(handler, resource, input));
      } else if (resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken') {
        const functionName = state.Parameters?.FunctionName ?? '';
        const handler = this.handlerFor(functionName, stateName);
        bindings[stateName] = refuseIfStopped((input) =>
          this.waitForTaskToken(executionName, stateName, state, handler, functionName, input),
        );
      } else if (resource === 'arn:aws:states:::lambda:invoke') {
        const functionName = state.Parameters?.FunctionName ?? '';
        const handler = this.handlerFor(functionName, stateName);
        bindings[stateName] = refuseIfStopped(async (input) => ({
          Payload: await invokeLocally(handler, functionName, (input as { Payload: unknown }).Payload),
          StatusCode: 200,
        }));
      } else {
        // Never let a Task fall through to the library's default (a real AWS Lambda call).
        throw new Error(
          `Task state ${stateName} has a resource the embedded runtime cannot run: ${resource}`,
        );
      }
    }
    return bindings;
  }

  private handlerFor(functionArn: string, stateName: string): LambdaHandler {
    const handler = this.options.handlers.get(functionArn);
    if (!handler) throw new Error(`No local handler for ${functionArn} (Task state ${stateName})`);
    return handler;
  }

  private async waitForTaskToken(
    executionName: string,
    stateName: string,
    state: TaskState,
    handler: LambdaHandler,
    functionArn: string,
    input: unknown,
  ): Promise<unknown> {
    const token = `${executionName}.${stateName}.${randomUUID()}`;
    const payload = { ...((input as { Payload?: Record<string, unknown> }).Payload ?? {}), taskToken: token };
    // aws-local-stepfunctions enforces TimeoutSeconds (States.Timeout) itself; HeartbeatSeconds is
    // emulated here: no heartbeat in time fails the Task with States.HeartbeatTimeout, as on AWS.
    const retire = (error: Error) => {
      const pending = this.tokens.get(token);
      if (!pending) return;
      this.closeToken(token, pending);
      pending.reject(error);
    };
    const timers: { timeout?: NodeJS.Timeout; heartbeat?: NodeJS.Timeout } = {};
    const armHeartbeat = () => {
      if (!state.HeartbeatSeconds) return;
      clearTimeout(timers.heartbeat);
      timers.heartbeat = setTimeout(
        () => retire(new TaskFailedError('States.HeartbeatTimeout', 'Task heartbeat timed out')),
        state.HeartbeatSeconds * 1000,
      );
      timers.heartbeat.unref();
    };
    const clearTimers = () => {
      clearTimeout(timers.timeout);
      clearTimeout(timers.heartbeat);
    };
    const answered = new Promise<unknown>((resolve, reject) => {
      this.tokens.set(token, { executionName, stateName, resolve, reject, heartbeat: armHeartbeat });
    });
    // Stopping the execution (or a timeout) may reject the token while the handler still dispatches
    // it, before `answered` is awaited below: that is handled there, not an unhandled rejection.
    answered.catch(() => undefined);
    timers.timeout = setTimeout(
      () => retire(new TaskFailedError('States.Timeout', 'Task timed out')),
      Math.min(state.TimeoutSeconds ?? 60, MAX_TIMER_SECONDS) * 1000,
    );
    timers.timeout.unref();
    try {
      await invokeLocally(handler, functionArn, payload);
    } catch (error) {
      this.tokens.delete(token);
      clearTimers();
      throw error;
    }
    // Released while the callback request went out (the execution was stopped): no one waits for it.
    if (!this.tokens.has(token)) {
      clearTimers();
      return answered;
    }
    // The clock for the first heartbeat starts once the callback request is out.
    armHeartbeat();
    const pending = this.tokens.get(token);
    if (pending) pending.dispatched = true;
    this.emit('waiting', { executionName, stateName, token });
    try {
      return await answered;
    } finally {
      clearTimers();
    }
  }
}

const nameOf = (nameOrArn: string) => nameOrArn.split(':').pop() ?? nameOrArn;

/** Node's timers hold at most 2^31-1 ms (24.8 days); a longer one fires at once. Waits longer than that end there. */
const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** The definition with every Task's TimeoutSeconds within what a Node timer can arm (the library arms one per Task). */
function withTimersNodeCanArm(definition: Record<string, unknown>): Record<string, unknown> {
  const states = (definition.States ?? {}) as Record<string, TaskState>;
  return {
    ...definition,
    States: Object.fromEntries(
      Object.entries(states).map(([name, state]) => [
        name,
        state.TimeoutSeconds && state.TimeoutSeconds > MAX_TIMER_SECONDS
          ? { ...state, TimeoutSeconds: MAX_TIMER_SECONDS }
          : state,
      ]),
    ),
  };
}

const limit = (value: number | undefined, fallback: number) =>
  value === undefined ? fallback : Math.max(0, Math.floor(value));

/** Invokes a handler the way Lambda would: a JSON copy in, a JSON copy out, a Lambda context. */
async function invokeLocally(handler: LambdaHandler, functionArn: string, input: unknown): Promise<unknown> {
  const functionName = functionArn.split(':').pop() ?? functionArn;
  const context = lambdaContext(functionName);
  // A handler on the handler thread gets and returns JSON text already (local/handler-thread.ts).
  if ((handler as { copiesJson?: boolean }).copiesJson) return handler(input ?? null, context);
  const result = await handler(JSON.parse(JSON.stringify(input ?? null)), context);
  return result === undefined ? null : JSON.parse(JSON.stringify(result));
}
