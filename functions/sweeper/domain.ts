/**
 * The sweeper's decision for one open case, pure: given the case as stored, what Step Functions says
 * of the execution the case is on, `now` and the policy, leave it, start its execution (again), or
 * mark it needs_attention. The case's own status tells a finished case from an unfinished one, so
 * the decision never needs the history of a finished execution.
 */
import { currentExecution } from '../intake/domain.js';
import type { CaseRecord, CaseStatus } from '../shared/case-record.js';
import { toEpochMs } from '../shared/instants.js';

/** Statuses of a case whose workflow has not finished: the ones the sweeper looks at. */
export const OPEN_STATUSES = [
  'received',
  'awaiting_agent',
  'claimed',
  'awaiting_second_approval',
] as const satisfies readonly CaseStatus[];

/** DescribeExecution's status, or `does_not_exist` (never started, or forgotten by the local executor). */
export type ExecutionState =
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'TIMED_OUT'
  | 'ABORTED'
  | 'PENDING_REDRIVE'
  | 'does_not_exist';

export interface SweepPolicy {
  /** How long an open case may go without an update before it is looked at (intake may still be starting it). */
  readonly gracePeriodMs: number;
  /** Starts by the sweeper before a case that keeps losing its execution goes to a person instead. */
  readonly maxStarts: number;
}

export type SweepAction =
  | { readonly kind: 'leave'; readonly why: string }
  | {
      readonly kind: 'start';
      readonly name: string;
      readonly input: Record<string, unknown>;
      readonly detail: string;
    }
  | { readonly kind: 'needs_attention'; readonly detail: string };

/** Whether the case is open and old enough to be looked at (the query's own filter, checked again). */
export function isDue(record: CaseRecord, now: Date, policy: SweepPolicy): boolean {
  return (
    (OPEN_STATUSES as readonly string[]).includes(record.status) &&
    now.getTime() - toEpochMs(record.updatedAt) >= policy.gracePeriodMs
  );
}

/** The latest `updatedAt` a case may have to be due: the sweeper's query bound. */
export function dueBefore(now: Date, policy: SweepPolicy): string {
  return new Date(now.getTime() - policy.gracePeriodMs).toISOString();
}

export function sweepAction(
  record: CaseRecord,
  execution: ExecutionState,
  now: Date,
  policy: SweepPolicy,
): SweepAction {
  if (!(OPEN_STATUSES as readonly string[]).includes(record.status)) {
    return { kind: 'leave', why: `the case is ${record.status}` };
  }
  if (!isDue(record, now, policy)) return { kind: 'leave', why: 'updated within the grace period' };
  const { name, input } = currentExecution(record);
  switch (execution) {
    case 'RUNNING':
    case 'PENDING_REDRIVE':
      return { kind: 'leave', why: `execution ${name} is ${execution}` };
    case 'does_not_exist': {
      const starts = record.sweeperStarts ?? 0;
      if (starts >= policy.maxStarts) {
        return {
          kind: 'needs_attention',
          detail: `execution ${name} was lost again after ${starts} restarts by the sweeper`,
        };
      }
      return {
        kind: 'start',
        name,
        input,
        detail:
          record.status === 'received'
            ? `execution ${name} had not started`
            : `execution ${name} was lost while the case waited for an agent: dispatched again`,
      };
    }
    default:
      // The execution ended (failed, timed out, aborted, or succeeded without recording an outcome)
      // while the case is still open: no step will finish it, so a person must.
      return {
        kind: 'needs_attention',
        detail: `execution ${name} ended ${execution} with the case still ${record.status}`,
      };
  }
}

/** `arn:…:stateMachine:<machine>` and an execution name → `arn:…:execution:<machine>:<name>`. */
export function executionArn(stateMachineArn: string, name: string): string {
  const parts = stateMachineArn.split(':');
  if (parts.length !== 7 || parts[5] !== 'stateMachine')
    throw new RangeError(`Not a state machine ARN: ${stateMachineArn}`);
  return [...parts.slice(0, 5), 'execution', parts[6], name].join(':');
}
