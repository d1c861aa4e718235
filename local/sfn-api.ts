/**
 * The Step Functions API on loopback, backed by the local executor, so the real
 * `@aws-sdk/client-sfn` (in the intake handler, the agent endpoint and the CLI) works unchanged.
 * AWS JSON 1.0 protocol: `POST /` with `X-Amz-Target: AWSStepFunctions.<Operation>`.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventLog, ExecutionSummary, LocalExecution, LocalExecutor } from './executor.js';

class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const seconds = (date: Date | number) => (typeof date === 'number' ? date : date.getTime()) / 1000;

/** What DescribeExecution answers for any execution the executor knows. */
function describeBase(execution: ExecutionSummary | LocalExecution, stateMachineArn: string) {
  return {
    executionArn: execution.arn,
    stateMachineArn,
    name: execution.name,
    status: execution.status,
    startDate: seconds(execution.startDate),
    ...(execution.stopDate ? { stopDate: seconds(execution.stopDate) } : {}),
  };
}

/** A finished execution whose details the executor no longer keeps: no input, no output. */
function describeSummary(summary: ExecutionSummary, stateMachineArn: string) {
  return {
    ...describeBase(summary, stateMachineArn),
    ...(summary.error ? { error: summary.error } : {}),
    inputDetails: { included: false },
    outputDetails: { included: false },
  };
}

function describe(execution: LocalExecution, stateMachineArn: string) {
  return {
    ...describeBase(execution, stateMachineArn),
    input: execution.inputText,
    ...(execution.output !== undefined ? { output: JSON.stringify(execution.output) } : {}),
    ...(execution.error ? { error: execution.error.error, cause: execution.error.cause } : {}),
  };
}

/** The library's event log as Step Functions history events (the subset the CLI reads). */
export function historyEvents(execution: LocalExecution) {
  const typeOf: Record<string, string> = {
    ExecutionStarted: 'ExecutionStarted',
    ExecutionSucceeded: 'ExecutionSucceeded',
    ExecutionFailed: 'ExecutionFailed',
    ExecutionAborted: 'ExecutionAborted',
    ExecutionTimeout: 'ExecutionTimedOut',
    StateEntered: 'StateEntered',
    StateExited: 'StateExited',
    StateFailed: 'TaskFailed',
    StateRetried: 'TaskRetried',
    StateCaught: 'TaskCaught',
  };
  return execution.events.map((event: EventLog, index) => {
    const id = index + 1;
    const base = {
      id,
      previousEventId: index,
      timestamp: seconds(event.timestamp),
      type: typeOf[event.type] ?? event.type,
    };
    if (event.type === 'StateEntered') {
      return {
        ...base,
        stateEnteredEventDetails: {
          name: event.state?.name,
          input: JSON.stringify(event.state?.input ?? null),
        },
      };
    }
    if (event.type === 'StateExited') {
      return {
        ...base,
        stateExitedEventDetails: {
          name: event.state?.name,
          output: JSON.stringify(event.state?.output ?? null),
        },
      };
    }
    if (event.type === 'ExecutionFailed' || event.type === 'StateFailed') {
      return {
        ...base,
        executionFailedEventDetails: {
          error: event.Error,
          cause: String(event.Cause ?? ''),
          state: event.state?.name,
        },
      };
    }
    if (event.type === 'ExecutionSucceeded') {
      return { ...base, executionSucceededEventDetails: { output: JSON.stringify(event.output ?? null) } };
    }
    return base;
  });
}

export async function startSfnApi(
  primary: LocalExecutor,
  port = 0,
  /** More state machines' executors (the returns workflow); calls are routed by ARN or task token. */
  others: readonly LocalExecutor[] = [],
): Promise<{ endpoint: string; server: Server }> {
  const all = [primary, ...others];
  /** The executor of a state machine or execution ARN (`...:execution:<machine>:<name>`); the primary otherwise. */
  const byArn = (arn: unknown) => {
    const text = String(arn ?? '');
    return (
      all.find((e) => e.stateMachineArn === text) ??
      all.find((e) => text.includes(`:execution:${e.stateMachineArn.split(':').pop()}:`)) ??
      primary
    );
  };
  const byToken = (token: unknown) => all.find((e) => e.ownsToken(String(token ?? ''))) ?? primary;
  const operations: Record<string, (body: Record<string, unknown>) => unknown> = {
    StartExecution: (body) => {
      const executor = all.find((e) => e.stateMachineArn === body.stateMachineArn);
      if (!executor) {
        throw new ApiError(
          'StateMachineDoesNotExist',
          `State Machine Does Not Exist: '${body.stateMachineArn}'`,
        );
      }
      const name = String(body.name ?? crypto.randomUUID());
      try {
        const execution = executor.start(name, JSON.parse(String(body.input ?? '{}')));
        return { executionArn: execution.arn, startDate: seconds(execution.startDate) };
      } catch (error) {
        if ((error as Error).name === 'ExecutionAlreadyExists')
          throw new ApiError('ExecutionAlreadyExists', (error as Error).message);
        throw error;
      }
    },
    DescribeExecution: (body) => {
      const executor = byArn(body.executionArn);
      const execution = executor.describe(String(body.executionArn ?? ''));
      if (execution) return describe(execution, executor.stateMachineArn);
      return describeSummary(known(body.executionArn), executor.stateMachineArn);
    },
    GetExecutionHistory: (body) => {
      const events = historyEvents(found(body.executionArn));
      const ordered = body.reverseOrder ? [...events].reverse() : events;
      const start = Number(body.nextToken ?? 0);
      const size = Number(body.maxResults ?? 100) || 100;
      const page = ordered.slice(start, start + size);
      return { events: page, ...(start + size < ordered.length ? { nextToken: String(start + size) } : {}) };
    },
    StopExecution: (body) => {
      known(body.executionArn);
      byArn(body.executionArn).stop(String(body.executionArn));
      return { stopDate: seconds(new Date()) };
    },
    SendTaskSuccess: (body) =>
      tokenCall(() =>
        byToken(body.taskToken).sendTaskSuccess(
          String(body.taskToken),
          JSON.parse(String(body.output ?? 'null')),
        ),
      ),
    SendTaskFailure: (body) =>
      tokenCall(() =>
        byToken(body.taskToken).sendTaskFailure(
          String(body.taskToken),
          String(body.error ?? 'TaskFailed'),
          String(body.cause ?? ''),
        ),
      ),
    SendTaskHeartbeat: (body) =>
      tokenCall(() => byToken(body.taskToken).sendTaskHeartbeat(String(body.taskToken))),
    DescribeStateMachine: (body) => {
      const executor = byArn(body.stateMachineArn);
      return {
        stateMachineArn: executor.stateMachineArn,
        name: executor.stateMachineArn.split(':').pop(),
        status: 'ACTIVE',
      };
    },
  };

  /** An execution kept whole (running, or one of the most recent finished ones). */
  function found(arn: unknown): LocalExecution {
    const executor = byArn(arn);
    const execution = executor.describe(String(arn ?? ''));
    if (execution) return execution;
    if (executor.summary(String(arn ?? '')))
      throw new ApiError(
        'ExecutionDoesNotExist',
        `Execution '${arn}' finished and its history is no longer kept (the local runtime keeps the most recent finished executions whole).`,
      );
    throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
  }
  /** Any execution the executor knows of, details or not. */
  function known(arn: unknown): ExecutionSummary {
    const summary = byArn(arn).summary(String(arn ?? ''));
    if (!summary) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return summary;
  }
  function tokenCall(call: () => void) {
    try {
      call();
      return {};
    } catch (error) {
      throw new ApiError((error as Error).name, (error as Error).message);
    }
  }

  const server = createServer(async (req, res) => {
    const operation =
      String(req.headers['x-amz-target'] ?? '')
        .split('.')
        .pop() ?? '';
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify(body));
    };
    try {
      const handler = operations[operation];
      if (!handler) throw new ApiError('UnknownOperationException', `Unsupported operation ${operation}`);
      send(200, handler(JSON.parse((await readBody(req)) || '{}')));
    } catch (error) {
      if (error instanceof ApiError) send(400, { __type: error.type, message: error.message });
      else send(500, { __type: 'InternalFailure', message: (error as Error).message });
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
