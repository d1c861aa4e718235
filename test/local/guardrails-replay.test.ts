/**
 * POLICY.md v2 rules 6-8 end to end: replay runs the synthesized definition with the real handlers on the embedded
 * runtime, with the `ledger` history of each scenario and the configuration given as `--config`.
 */
import { describe, expect, it } from 'vitest';
import { replayCli } from './replay-cli.js';

async function replayFile(file: string, ...extra: string[]) {
  const { code, stdout, stderr } = await replayCli([file, '--no-progress', ...extra]);
  const results = stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { id: string; outcome: string; reason: string; refundedAmount: number });
  return { code, stderr, byId: new Map(results.map((r) => [r.id, r])) };
}

describe('refund guardrails (rules 6-8) through replay', () => {
  it('hands a fourth automatic refund in 30 days and a refund past the daily budget to billing, history counted', async () => {
    const run = await replayFile('scenarios/guardrail-paths.jsonl', '--concurrency', '1');
    expect(run.code, run.stderr).toBe(0);
    expect(run.byId.get('velocity-fourth-auto-refund')).toMatchObject({
      outcome: 'human_handoff',
      reason: 'refund_velocity',
    });
    expect(run.byId.get('velocity-oldest-refund-just-outside-30-days')).toMatchObject({
      outcome: 'auto_refunded',
    });
    expect(run.byId.get('history-refunded-part-of-the-error')).toMatchObject({
      outcome: 'auto_refunded',
      refundedAmount: 999,
    });
    expect(run.byId.get('budget-fills-to-the-edge')).toMatchObject({ outcome: 'auto_refunded' });
    expect(run.byId.get('budget-exceeded-by-the-next-case')).toMatchObject({
      outcome: 'human_handoff',
      reason: 'budget_exceeded',
    });
    expect(run.byId.get('budget-window-has-moved-on')).toMatchObject({ outcome: 'auto_refunded' });
  }, 120_000);

  it('with --config autoRefundMode=approve, sends the refund it would make to a person and changes nothing else', async () => {
    const approve = await replayFile('scenarios/approval-mode.jsonl', '--config', 'autoRefundMode=approve');
    expect(approve.code, approve.stderr).toBe(0);
    expect(approve.byId.get('approve-mode-billing-error-waits-for-a-person')).toMatchObject({
      outcome: 'human_handoff',
      reason: 'approval_required',
      refundedAmount: 0,
    });
    // The same file as configured by default refunds at once: the expectations no longer hold (exit 1).
    const auto = await replayFile('scenarios/approval-mode.jsonl');
    expect(auto.code).toBe(1);
    expect(auto.byId.get('approve-mode-billing-error-waits-for-a-person')).toMatchObject({
      outcome: 'auto_refunded',
    });
  }, 120_000);

  it('--what-if replays the file twice and prints only what the change changes', async () => {
    const { code, stdout, stderr } = await replayCli([
      'scenarios/approval-mode.jsonl',
      '--no-progress',
      '--what-if',
      'autoRefundMode=approve',
    ]);
    expect(code, stderr).toBe(0);
    const changed = stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l));
    expect(changed).toEqual([
      expect.objectContaining({
        id: 'approve-mode-billing-error-waits-for-a-person',
        before: expect.objectContaining({ outcome: 'auto_refunded', refundedAmount: 1299 }),
        after: expect.objectContaining({
          outcome: 'human_handoff',
          reason: 'approval_required',
          handoffQueue: 'billing',
        }),
      }),
    ]);
    expect(stderr).toContain('| USD | $12.99 | $0.00 | -$12.99 |');
    expect(stderr).toContain('| human_handoff / approval_required | 0 | 1 | +1 |');
    // The file's expect is written for mode approve, so the first pass would mismatch: a what-if pass skips them.
    expect(stderr).not.toContain('Mismatches against expect');
    expect(stderr.match(/Expectations \(expect\): not checked/g)).toHaveLength(2);
  }, 180_000);

  it("with --config approvalForCustomersNewerThanDays=90, a new customer's refund waits for a person (customerSince or history)", async () => {
    const run = await replayFile(
      'scenarios/new-customers.jsonl',
      '--config',
      'approvalForCustomersNewerThanDays=90',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('Mismatches against expect: 0');
    expect(run.byId.get('new-customer-one-hour-under-90-days')).toMatchObject({
      reason: 'approval_required',
    });
    expect(run.byId.get('customer-since-exactly-90-days-is-refunded')).toMatchObject({
      outcome: 'auto_refunded',
    });
  }, 120_000);

  it("--what-if approvalForCustomersNewerThanDays=90 lists the new customers' refunds as changed, nothing else", async () => {
    const { code, stdout, stderr } = await replayCli([
      'scenarios/new-customers.jsonl',
      '--no-progress',
      // Two changes after one --what-if (the second is the default: it changes nothing by itself).
      '--what-if',
      'approvalForCustomersNewerThanDays=90',
      'maxAutoRefundsPer30Days=3',
    ]);
    expect(code, stderr).toBe(0);
    const changed = stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { id: string; after: { reason: string } });
    expect(changed.map((c) => [c.id, c.after.reason])).toEqual([
      ['new-customer-since-30-days-waits-for-a-person', 'approval_required'],
      ['new-customer-one-hour-under-90-days', 'approval_required'],
      ['no-customer-since-history-of-19-days-waits', 'approval_required'],
    ]);
    expect(stderr).toContain(
      'What if refundHub:approvalForCustomersNewerThanDays=90, refundHub:maxAutoRefundsPer30Days=3: 3 of 6 scenario(s) change',
    );
    expect(stderr).toContain('| auto_refunded / billing_error | 5 | 2 | -3 |');
    expect(stderr).toContain('| USD | $64.95 | $25.98 | -$38.97 |');
    expect(stderr).not.toContain('Mismatches against expect');
  }, 180_000);
});
