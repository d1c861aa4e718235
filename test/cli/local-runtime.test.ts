/**
 * The CLI's code path against the embedded runtime, in-process: one runtime for this file (vitest
 * runs each file in its own process; handlers read their environment once, at load).
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '../../cli/aws.js';
import { startCase } from '../../cli/cases.js';
import { fetchHistory, follow, pathOf } from '../../cli/history.js';
import { type EmbeddedTarget, startEmbedded } from '../../cli/local.js';
import { runCli } from '../../cli/program.js';
import { captureIo } from './support.js';

let embedded: EmbeddedTarget;
let sfn: SFNClient;

beforeAll(async () => {
  embedded = await startEmbedded();
  sfn = new SFNClient(clientConfig(embedded.connection));
}, 120_000);

afterAll(async () => {
  sfn?.destroy();
  await embedded?.stop();
});

describe('the CLI on the embedded runtime', () => {
  it('seeds the demo customers', () => {
    expect(embedded.customers).toEqual(expect.arrayContaining(['C-1001', 'C-1004']));
    expect(embedded.connection.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('a billing refund for C-1001 succeeds auto_refunded, and `history` shows the path it took', async () => {
    // Act: the same calls `refund-hub invoke --local --follow` makes.
    const started = await startCase(sfn, embedded.stateMachineArn, embedded.cases, {
      customerId: 'C-1001',
      message: 'Subscription refund',
    });
    const printed: string[] = [];
    const result = await follow(sfn, started.executionArn, {
      print: (line) => printed.push(line),
      intervalMs: 50,
      readCase: () => embedded.cases.get(started.caseId),
    });

    // Assess: the outcome
    expect(result.status).toBe('SUCCEEDED');
    expect(result.record).toMatchObject({
      caseId: started.caseId,
      outcome: 'auto_refunded',
      reason: 'billing_error',
      refundedChargeIds: ['CH-2'],
      refundedAmount: 1499,
      status: 'resolved',
    });
    expect(printed.at(-1)).toMatch(/■ SUCCEEDED$/);

    // Assess: the path, through the loopback Step Functions API, paged
    const events = await fetchHistory(sfn, started.executionArn, 7);
    expect(pathOf(events)).toEqual([
      'StartCase',
      'IsCallbackFollowUp',
      'ClassifyMessage',
      'LoadCustomerAccount',
      'DidTheAccountDecideTheIntent',
      'IsClassificationConfident',
      'ApplyDecisionPolicy',
      'IsBillingRefundSure',
      'CompareBillingDates',
      'BillingDecision',
      'CheckRefundGuardrails',
      'GuardrailDecision',
      'IssueRefund',
      'AnythingRefunded',
      'Rule9AutoRefunded',
      'RecordOutcome',
    ]);

    const io = captureIo();
    const code = await runCli(
      ['history', started.executionArn, '--endpoint', String(embedded.connection.endpoint)],
      io,
    );
    expect(io.stderr).toEqual([]);
    expect(code).toBe(0);
    expect(io.stdout[0]).toBe(`execution ${started.caseId}: SUCCEEDED`);
    expect(io.stdout).toContain(`path: ${pathOf(events).join(' → ')}`);
    expect(io.stdout).toContain('outcome: auto_refunded (billing_error, rule 9)');
  });

  it('a security case stops following once it waits for an agent on the security queue', async () => {
    const started = await startCase(sfn, embedded.stateMachineArn, embedded.cases, {
      customerId: 'C-1004',
      message: 'Someone logged into my account and changed my email address',
    });
    const result = await follow(sfn, started.executionArn, {
      print: () => {},
      intervalMs: 50,
      readCase: () => embedded.cases.get(started.caseId),
    });
    expect(result.waitingForAgent).toBe(true);
    expect(result.record).toMatchObject({
      outcome: 'human_handoff',
      reason: 'account_security',
      handoffQueue: 'security',
      status: 'awaiting_agent',
    });
    expect(pathOf(result.events).at(-1)).toBe('RequestHumanCallback');
  });
});
