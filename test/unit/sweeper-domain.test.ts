import { describe, expect, it } from 'vitest';
import { callbackFollowUp, executionInput, newCaseRecord } from '../../functions/intake/domain.js';
import type { CaseRecord, CaseStatus } from '../../functions/shared/case-record.js';
import {
  dueBefore,
  type ExecutionState,
  executionArn,
  type SweepPolicy,
  sweepAction,
} from '../../functions/sweeper/domain.js';

const POLICY: SweepPolicy = { gracePeriodMs: 600_000, maxStarts: 3 };
const UPDATED = new Date('2026-03-20T12:00:00Z');
const LATER = new Date('2026-03-20T12:10:00Z'); // exactly the grace period after
const SOONER = new Date('2026-03-20T12:09:59.999Z');

function caseIn(status: CaseStatus, extra: Partial<CaseRecord> = {}): CaseRecord {
  const record = newCaseRecord(
    'case-1',
    'C-1',
    { message: 'Subscription refund', callbackPhone: '+12065550100' },
    UPDATED,
  );
  return { ...record, status, ...extra };
}

describe('sweepAction: which cases the sweeper acts on', () => {
  it.each<CaseStatus>(['resolved', 'needs_attention'])(
    'leaves a %s case alone whatever its execution',
    (status) => {
      for (const execution of ['does_not_exist', 'FAILED', 'SUCCEEDED'] as ExecutionState[]) {
        expect(sweepAction(caseIn(status), execution, LATER, POLICY).kind).toBe('leave');
      }
    },
  );

  it.each<CaseStatus>(['claimed', 'awaiting_second_approval'])(
    'treats a %s case as open like awaiting_agent: its lost execution is started again',
    (status) => {
      expect(sweepAction(caseIn(status), 'does_not_exist', LATER, POLICY).kind).toBe('start');
      expect(sweepAction(caseIn(status), 'RUNNING', LATER, POLICY).kind).toBe('leave');
    },
  );

  it('leaves an open case updated within the grace period (intake may still be starting it)', () => {
    expect(sweepAction(caseIn('received'), 'does_not_exist', SOONER, POLICY)).toEqual({
      kind: 'leave',
      why: 'updated within the grace period',
    });
  });

  it('compares the grace period as instants, whatever the offset the update was written with', () => {
    const record = caseIn('received', { updatedAt: '2026-03-20T04:00:00-08:00' });

    expect(sweepAction(record, 'does_not_exist', SOONER, POLICY).kind).toBe('leave');
    expect(sweepAction(record, 'does_not_exist', LATER, POLICY).kind).toBe('start');
  });

  it.each<ExecutionState>(['RUNNING', 'PENDING_REDRIVE'])(
    'leaves an open case whose execution is %s',
    (state) => {
      expect(sweepAction(caseIn('awaiting_agent'), state, LATER, POLICY).kind).toBe('leave');
    },
  );
});

describe('sweepAction: starting the execution again', () => {
  it('starts a received case with no execution under its own name and the input intake gives it', () => {
    const record = caseIn('received');

    const action = sweepAction(record, 'does_not_exist', LATER, POLICY);

    expect(action).toEqual({
      kind: 'start',
      name: 'case-1',
      input: executionInput(record),
      detail: 'execution case-1 had not started',
    });
  });

  it('starts an awaiting_agent case whose execution was lost (dispatched again)', () => {
    const action = sweepAction(caseIn('awaiting_agent'), 'does_not_exist', LATER, POLICY);

    expect(action).toMatchObject({
      kind: 'start',
      name: 'case-1',
      detail: expect.stringContaining('dispatched again'),
    });
  });

  it('starts the callback follow-up (its own name, the number the customer gave) when that is what the case waits on', () => {
    const answered = caseIn('resolved', { intent: 'billing_refund' });
    const record = {
      ...answered,
      status: 'awaiting_agent' as const,
      followUp: callbackFollowUp(answered, '+12065550199'),
    };

    const action = sweepAction(record, 'does_not_exist', LATER, POLICY);

    expect(action).toEqual({
      kind: 'start',
      name: 'case-1-callback',
      input: {
        ...executionInput(record),
        callbackPhone: '+12065550199',
        followUp: { kind: 'callback', intent: 'billing_refund' },
      },
      detail: expect.any(String),
    });
  });

  it('sends a case to a person once the sweeper has started it maxStarts times and it is lost again', () => {
    expect(sweepAction(caseIn('received', { sweeperStarts: 2 }), 'does_not_exist', LATER, POLICY).kind).toBe(
      'start',
    );
    expect(sweepAction(caseIn('received', { sweeperStarts: 3 }), 'does_not_exist', LATER, POLICY)).toEqual({
      kind: 'needs_attention',
      detail: 'execution case-1 was lost again after 3 restarts by the sweeper',
    });
  });
});

describe('sweepAction: an execution that ended with the case still open', () => {
  it.each<ExecutionState>(['FAILED', 'TIMED_OUT', 'ABORTED', 'SUCCEEDED'])(
    'marks the case needs_attention when it %s',
    (state) => {
      for (const status of ['received', 'awaiting_agent'] as const) {
        expect(sweepAction(caseIn(status), state, LATER, POLICY)).toEqual({
          kind: 'needs_attention',
          detail: `execution case-1 ended ${state} with the case still ${status}`,
        });
      }
    },
  );
});

describe('helpers', () => {
  it('bounds the query at now minus the grace period', () => {
    expect(dueBefore(LATER, POLICY)).toBe('2026-03-20T12:00:00.000Z');
  });

  it("names an execution's ARN after the state machine's", () => {
    expect(executionArn('arn:aws:states:us-east-1:123456789012:stateMachine:RefundHub', 'case-1')).toBe(
      'arn:aws:states:us-east-1:123456789012:execution:RefundHub:case-1',
    );
    expect(() => executionArn('arn:aws:lambda:us-east-1:123456789012:function:x', 'case-1')).toThrow(
      RangeError,
    );
  });
});
