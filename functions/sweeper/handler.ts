import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { currentExecution } from '../intake/domain.js';
import { NEEDS_ATTENTION_MESSAGE } from '../record-outcome/resolution.js';
import { CASES_BY_STATUS_INDEX, type CaseRecord, type TimelineEntry } from '../shared/case-record.js';
import { updateCaseIfUnchanged } from '../shared/cases.js';
import { documentClient } from '../shared/document-client.js';
import { queryAll, scanAll } from '../shared/dynamo.js';
import { ENV, numberEnv, requiredEnv } from '../shared/env.js';
import { isNamedError } from '../shared/errors.js';
import { startNamedExecution } from '../shared/executions.js';
import { logger } from '../shared/logger.js';
import { postMessage } from '../shared/messages.js';
import { sweepMetrics } from '../shared/metric-points.js';
import { emitMetrics } from '../shared/metrics.js';
import { sfnClient } from '../shared/sfn-client.js';
import { stepHandler } from '../shared/step-handler.js';
import * as z from '../shared/zod.js';
import {
  dueBefore,
  type ExecutionState,
  executionArn,
  OPEN_STATUSES,
  type SweepAction,
  type SweepPolicy,
  sweepAction,
} from './domain.js';

const casesTable = requiredEnv(ENV.casesTable);
const messagesTable = requiredEnv(ENV.messagesTable);
const stateMachineArn = requiredEnv(ENV.stateMachineArn);
const gracePeriodSeconds = numberEnv(ENV.sweeperGracePeriodSeconds, 600);
/** A case whose execution keeps being lost goes to a person after this many starts by the sweeper. */
const MAX_STARTS = 3;
/** Cases looked at in parallel (DescribeExecution is throttled per account). */
const PARALLEL = 8;
/** Stop taking new cases this long before the Lambda timeout; the next sweep goes on. */
const TIME_MARGIN_MS = 5_000;

/**
 * The schedule sends `{}`. The local runtime's start-up sweep passes a grace period of 0 (no intake
 * can be in flight then) and `scanTable`: dynalite writes an index entry and its item separately, so
 * after a SIGKILL its status index can disagree with the table; that sweep reads the table itself.
 * (On AWS the role has no Scan: the index is the only way.)
 */
const eventSchema = z.looseObject({
  gracePeriodSeconds: z.optional(z.int().check(z.nonnegative())),
  scanTable: z.optional(z.boolean()),
});

/** Open cases last updated at or before `due`, from the status index (or the table itself). */
async function openCases(due: string, scanTable: boolean): Promise<CaseRecord[]> {
  if (scanTable) {
    const items = await scanAll(documentClient, {
      TableName: casesTable,
      ConsistentRead: true,
      FilterExpression: `#status IN (${OPEN_STATUSES.map((_, i) => `:s${i}`).join(', ')}) AND updatedAt <= :due`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ...Object.fromEntries(OPEN_STATUSES.map((status, i) => [`:s${i}`, status])),
        ':due': due,
      },
    });
    return items as unknown as CaseRecord[];
  }
  const found: CaseRecord[] = [];
  for (const status of OPEN_STATUSES) {
    const items = await queryAll(documentClient, {
      TableName: casesTable,
      IndexName: CASES_BY_STATUS_INDEX,
      KeyConditionExpression: '#status = :status AND updatedAt <= :due',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': status, ':due': due },
    });
    found.push(...(items as unknown as CaseRecord[]));
  }
  return found;
}

async function executionState(name: string): Promise<ExecutionState> {
  try {
    const result = await sfnClient.send(
      new DescribeExecutionCommand({ executionArn: executionArn(stateMachineArn, name) }),
    );
    return (result.status ?? 'RUNNING') as ExecutionState;
  } catch (error) {
    if (isNamedError(error, 'ExecutionDoesNotExist')) return 'does_not_exist';
    throw error;
  }
}

/**
 * One conditional write: only if the case is still as the sweeper saw it (another step or sweep that
 * touched it since wins). The dead execution's wait token and any agent's claim against it are void.
 */
const updateIfUnchanged = (record: CaseRecord, entry: TimelineEntry, fields: Record<string, unknown>) =>
  updateCaseIfUnchanged(documentClient, casesTable, record, [entry], fields, ['taskToken', 'resolution']);

async function act(record: CaseRecord, action: SweepAction, at: string): Promise<SweepAction['kind']> {
  if (action.kind === 'leave') return 'leave';
  if (action.kind === 'start') {
    const claimed = await updateIfUnchanged(
      record,
      { at, step: 'execution_restarted', detail: action.detail },
      // The write is conditional on the record as read, so the count read with it is the current one.
      { updatedAt: at, sweeperStarts: (record.sweeperStarts ?? 0) + 1 },
    );
    if (!claimed) return 'leave';
    // Already there: started meanwhile by someone else (intake's retry), and that execution carries the case.
    await startNamedExecution(sfnClient, stateMachineArn, action);
    logger.info('Case execution started by the sweeper', {
      caseId: record.caseId,
      sweeperAction: 'start',
      detail: action.detail,
    });
    return 'start';
  }
  const marked = await updateIfUnchanged(
    record,
    { at, step: 'needs_attention', detail: action.detail },
    { status: 'needs_attention', updatedAt: at },
  );
  if (!marked) return 'leave';
  await postMessage(
    documentClient,
    messagesTable,
    record.customerId,
    { caseId: record.caseId, ...NEEDS_ATTENTION_MESSAGE },
    at,
    'needs_attention',
  );
  // The metric filter on this log group counts these lines: the CasesSweptToNeedsAttention alarm.
  logger.warn('Case marked needs_attention by the sweeper', {
    caseId: record.caseId,
    sweeperAction: 'needs_attention',
    detail: action.detail,
  });
  return 'needs_attention';
}

/**
 * Scheduled (EventBridge Scheduler on AWS; at start-up and on an interval locally): finds open cases
 * not updated within the grace period and starts the execution each waits on if it does not exist,
 * or marks the case needs_attention if that execution ended. Idempotent: same names, same inputs.
 */
export const handler = stepHandler(eventSchema, async (event, context) => {
  const now = new Date();
  const policy: SweepPolicy = {
    gracePeriodMs: (event.gracePeriodSeconds ?? gracePeriodSeconds) * 1000,
    maxStarts: MAX_STARTS,
  };
  const counts = { examined: 0, start: 0, needs_attention: 0, leave: 0, failed: 0, unfinished: 0 };
  const due = await openCases(dueBefore(now, policy), event.scanTable ?? false);
  for (let i = 0; i < due.length; i += PARALLEL) {
    if (context.getRemainingTimeInMillis() < TIME_MARGIN_MS) {
      counts.unfinished = due.length - i;
      break;
    }
    const batch = due.slice(i, i + PARALLEL);
    const kinds = await Promise.all(
      batch.map(async (record): Promise<keyof typeof counts> => {
        try {
          const action = sweepAction(
            record,
            await executionState(currentExecution(record).name),
            now,
            policy,
          );
          return await act(record, action, new Date().toISOString());
        } catch (error) {
          // One case's fault does not stop the others; the sweep reports it as failed at the end.
          logger.error('Sweeping a case failed', { caseId: record.caseId, error: error as Error });
          return 'failed';
        }
      }),
    );
    counts.examined += batch.length;
    for (const kind of kinds) counts[kind] += 1;
  }
  logger.info('Sweep finished', { ...counts });
  emitMetrics(sweepMetrics(counts));
  // A failed Lambda invocation: the schedule retries (idempotent) and the SweeperErrors alarm sees it.
  if (counts.failed > 0)
    throw new Error(`${counts.failed} of ${counts.examined} cases could not be swept; see the log`);
  return {
    examined: counts.examined,
    started: counts.start,
    markedNeedsAttention: counts.needs_attention,
    left: counts.leave,
    unfinished: counts.unfinished,
  };
});
