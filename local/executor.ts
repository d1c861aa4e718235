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
}

export interface ExecutorOptions {
  readonly stateMachineArn: string;
  readonly definition: Record<string, unknown>;
  /** Function ARN → its real handler. */
  readonly handlers: ReadonlyMap<string, LambdaHandler>;
  /** Retry pauses per state in ms (aws-local-stepfunctions' retryIntervalOverrides), for fast tests. */
  readonly retryIntervalOverrides?: Record<string, number | number[]>;
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
  private readonly executions = new Map<string, LocalExecution>();
  private readonly tokens = new Map<string, PendingToken>();
  private readonly expiredTokens = new Set<string>();
  /** Stopped executions: the library keeps running an aborted execution, so its Tasks are refused here. */
  private readonly stopped = new Set<string>();
  private readonly stateMachineName: string;

  constructor(private readonly options: ExecutorOptions) {
    super();
    // One `waiting` listener per case being settled: many at once is normal here.
    this.setMaxListeners(0);
    this.machine = new StateMachine(options.definition as never, {
      validationOptions: { checkArn: false, checkPaths: false },
    });
    this.stateMachineName = options.stateMachineArn.split(':').pop() ?? 'RefundHub';
  }

  get stateMachineArn(): string {
    return this.options.stateMachineArn;
  }

  /** Starts an execution; the same name with the same input returns the existing one (as on AWS). */
  start(name: string, input: unknown): LocalExecution {
    const inputText = JSON.stringify(input);
    const existing = this.executions.get(name);
    if (existing) {
      if (existing.inputText === inputText) return existing;
      const error = new Error(`Execution Already Exists: '${existing.arn}'`);
      error.name = 'ExecutionAlreadyExists';
      throw error;
    }
    const arn = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${this.stateMachineName}:${name}`;
    const startDate = new Date();
    const run = this.machine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: this.bindTasks(name) as never,
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
    (execution as { done: Promise<void> }).done = run.result.then(
      async (output) => {
        // History first: whoever sees the final status also sees the final events.
        await collect;
        execution.output = output;
        execution.stopDate = new Date();
        execution.status = 'SUCCEEDED';
      },
      async (error: Error) => {
        this.releaseTokens(execution.name);
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
    );
    this.executions.set(name, execution);
    return execution;
  }

  describe(nameOrArn: string): LocalExecution | undefined {
    return this.executions.get(nameOrArn.split(':').pop() ?? nameOrArn);
  }

  stop(nameOrArn: string): void {
    const execution = this.describe(nameOrArn);
    if (execution?.status !== 'RUNNING') return;
    this.stopped.add(execution.name);
    execution.abort();
    this.releaseTokens(execution.name);
  }

  /** Forgets finished executions (replay of large files keeps memory flat). */
  forget(nameOrArn: string): void {
    const execution = this.describe(nameOrArn);
    if (execution && execution.status !== 'RUNNING') {
      this.executions.delete(execution.name);
      this.stopped.delete(execution.name);
    }
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

  /** Stops every running execution (shutdown, end of replay). */
  async stopAll(): Promise<void> {
    const running = [...this.executions.values()].filter((e) => e.status === 'RUNNING');
    for (const execution of running) this.stop(execution.name);
    await Promise.all(running.map((e) => e.done));
  }

  private peekToken(token: string): PendingToken {
    const pending = this.tokens.get(token);
    if (pending) return pending;
    if (this.expiredTokens.has(token)) throw new TaskTokenError('TaskTimedOut', 'Task Timed Out');
    throw new TaskTokenError('TaskDoesNotExist', 'Task does not exist anymore');
  }

  private takeToken(token: string): PendingToken {
    const pending = this.peekToken(token);
    this.tokens.delete(token);
    this.expiredTokens.add(token);
    return pending;
  }

  private releaseTokens(executionName: string): void {
    for (const [token, pending] of this.tokens) {
      if (pending.executionName !== executionName) continue;
      this.tokens.delete(token);
      this.expiredTokens.add(token);
      pending.reject(new TaskFailedError('States.Aborted', 'Execution stopped'));
    }
  }

  private bindTasks(executionName: string): Record<string, (input: unknown) => Promise<unknown>> {
    const states = (this.options.definition.States ?? {}) as Record<string, TaskState>;
    const bindings: Record<string, (input: unknown) => Promise<unknown>> = {};
    // A stopped execution runs no more Tasks: no second callback dispatch, no timers left behind.
    const refuseIfStopped =
      <T>(task: (input: unknown) => Promise<T>) =>
      (input: unknown) =>
        this.stopped.has(executionName)
          ? Promise.reject(new TaskFailedError('States.Aborted', `Execution ${executionName} was stopped`))
          : task(input);
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
      this.tokens.delete(token);
      this.expiredTokens.add(token);
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
    timers.timeout = setTimeout(
      () => retire(new TaskFailedError('States.Timeout', 'Task timed out')),
      (state.TimeoutSeconds ?? 60) * 1000,
    );
    timers.timeout.unref();
    try {
      await invokeLocally(handler, functionArn, payload);
    } catch (error) {
      this.tokens.delete(token);
      clearTimers();
      throw error;
    }
    // The clock for the first heartbeat starts once the callback request is out.
    armHeartbeat();
    this.emit('waiting', { executionName, stateName, token });
    try {
      return await answered;
    } finally {
      clearTimers();
    }
  }
}

/** Invokes a handler the way Lambda would: a JSON copy in, a JSON copy out, a Lambda context. */
async function invokeLocally(handler: LambdaHandler, functionArn: string, input: unknown): Promise<unknown> {
  const functionName = functionArn.split(':').pop() ?? functionArn;
  const context = lambdaContext(functionName);
  // A handler on the handler thread gets and returns JSON text already (local/handler-thread.ts).
  if ((handler as { copiesJson?: boolean }).copiesJson) return handler(input ?? null, context);
  const result = await handler(JSON.parse(JSON.stringify(input ?? null)), context);
  return result === undefined ? null : JSON.parse(JSON.stringify(result));
}
