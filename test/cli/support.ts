/** Shared fixtures for the CLI tests: captured output and a scripted Step Functions history. */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { CliIo } from '../../cli/program.js';

export interface CapturedIo extends CliIo {
  readonly stdout: string[];
  readonly stderr: string[];
}

export function captureIo(env: NodeJS.ProcessEnv = {}): CapturedIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  // Commander writes multi-line help as one chunk: keep one entry per line.
  return {
    stdout,
    stderr,
    env,
    out: (text) => stdout.push(...text.split('\n')),
    err: (text) => stderr.push(...text.split('\n')),
  };
}

export const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:WorkflowStateMachine';
export const executionArn = (name: string) =>
  `arn:aws:states:us-east-1:123456789012:execution:WorkflowStateMachine:${name}`;

const T0 = new Date('2026-03-20T12:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

/** Events as Step Functions records them: ids from 1, a typed Entered/Exited pair per state. */
export function historyOf(
  states: readonly { name: string; type?: string }[],
  end?: { type: 'ExecutionSucceeded' } | { type: 'ExecutionFailed'; error: string; cause: string },
): HistoryEvent[] {
  const events: HistoryEvent[] = [{ id: 1, type: 'ExecutionStarted', timestamp: at(0) }];
  let ms = 0;
  for (const state of states) {
    const kind = state.type ?? 'Pass';
    ms += 10;
    events.push({
      id: events.length + 1,
      type: `${kind}StateEntered` as HistoryEvent['type'],
      timestamp: at(ms),
      stateEnteredEventDetails: { name: state.name },
    });
    ms += 10;
    events.push({
      id: events.length + 1,
      type: `${kind}StateExited` as HistoryEvent['type'],
      timestamp: at(ms),
      stateExitedEventDetails: { name: state.name },
    });
  }
  if (end?.type === 'ExecutionSucceeded') {
    events.push({ id: events.length + 1, type: 'ExecutionSucceeded', timestamp: at(ms + 5) });
  } else if (end?.type === 'ExecutionFailed') {
    events.push({
      id: events.length + 1,
      type: 'ExecutionFailed',
      timestamp: at(ms + 5),
      executionFailedEventDetails: { error: end.error, cause: end.cause },
    });
  }
  return events;
}

export const START_DATE = T0;

/** One page of `events` as GetExecutionHistory returns it, `pageSize` at a time. */
export function page(events: readonly HistoryEvent[], nextToken: string | undefined, pageSize: number) {
  const start = Number(nextToken ?? 0);
  const slice = events.slice(start, start + pageSize);
  return {
    events: slice,
    ...(start + pageSize < events.length ? { nextToken: String(start + pageSize) } : {}),
  };
}
