/**
 * The agent CLI against a loopback stand-in of the API (and of the local server's Step Functions
 * endpoint) that records every request: the arguments refused before any request, the requests sent,
 * the token `--as` picks, the renderings of the queue and the evidence pack, refusals, and
 * history/invoke `--local` using the running server's state file.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { evidenceLines, humanDuration, parseCharge, queueLines, resolutionRequest } from '../../cli/agent.js';
import { runningLocalServer } from '../../cli/local.js';
import { runCli } from '../../cli/program.js';
import { localstackApiUrl, resolutionUrl } from '../../cli/resolve.js';
import { captureIo } from './support.js';

interface Captured {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

type Reply = { status: number; body: unknown };
let server: Server;
let origin: string;
const requests: Captured[] = [];
let answer: (request: Captured) => Reply = () => ({ status: 200, body: {} });

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const captured = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(captured);
      const reply = answer(captured);
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

afterEach(() => {
  requests.length = 0;
  answer = () => ({ status: 200, body: {} });
});

const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:Workflow';
const NOW = new Date('2026-03-20T12:00:00.000Z');

/** A state file as `npm start` writes it, pointing at the stand-in. */
function stateFile(extra: Record<string, unknown> = {}): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'refund-hub-agent-')), '.refund-hub-local.json');
  writeFileSync(
    file,
    JSON.stringify({
      apiUrl: `${origin}/v1`,
      agentToken: 'token-agent-1',
      agentTokens: { 'agent-1': 'token-agent-1', 'agent-2': 'token-agent-2' },
      adminToken: 'token-admin',
      customerTokens: { 'C-1001': 'token-C-1001' },
      sfnEndpoint: origin,
      stateMachineArn: STATE_MACHINE_ARN,
      sqsEndpoint: '',
      queueUrls: {},
      ...extra,
    }),
  );
  return file;
}

/** Runs `refund-hub agent ... --local` (what `npm run agent` does through REFUND_HUB_LOCAL=1) against a state file. */
async function agent(args: string[], file = stateFile()) {
  const io = { ...captureIo(), now: () => NOW, localStateFile: file };
  const code = await runCli(['agent', ...args, '--local'], io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

const bodyOf = (r: Captured | undefined) => JSON.parse(r?.body || '{}') as Record<string, unknown>;

describe('arguments checked before any request (exit 2 with the usage line)', () => {
  const cases: [string, string[], RegExp][] = [
    ['deny without --message', ['resolve', 'case-1', 'deny', '--note', 'x'], /deny needs --message/],
    ['resolve without --message', ['resolve', 'case-1', 'resolve', '--note', 'x'], /resolve needs --message/],
    ['no --note', ['resolve', 'case-1', 'approve_refund', '--charge', 'ch_1:100'], /--note is required/],
    [
      'an unknown decision',
      ['resolve', 'case-1', 'refund', '--note', 'x'],
      /decision must be one of approve_refund, goodwill_credit, deny, resolve/,
    ],
    [
      '--charge without an amount',
      ['resolve', 'case-1', 'approve_refund', '--charge', 'ch_1', '--note', 'x'],
      /--charge is CHARGE:AMOUNT/,
    ],
    [
      '--charge with a decimal amount',
      ['resolve', 'case-1', 'approve_refund', '--charge', 'ch_1:14.99', '--note', 'x'],
      /minor units/,
    ],
    [
      '--charge with zero',
      ['resolve', 'case-1', 'approve_refund', '--charge', 'ch_1:0', '--note', 'x'],
      /positive whole number/,
    ],
    [
      'the same charge twice',
      ['resolve', 'c', 'approve_refund', '--charge', 'ch_1:1', '--charge', 'ch_1:2', '--note', 'x'],
      /given twice/,
    ],
    [
      '--charge on a goodwill credit',
      ['resolve', 'case-1', 'goodwill_credit', '--charge', 'ch_1:100', '--note', 'x'],
      /--charge is for approve_refund/,
    ],
    [
      '--amount on a deny',
      ['resolve', 'case-1', 'deny', '--amount', '100', '--note', 'x', '--message', 'm'],
      /--amount is for/,
    ],
    [
      'a lower-case currency',
      ['resolve', 'case-1', 'goodwill_credit', '--amount', '500', '--currency', 'eur', '--note', 'x'],
      /ISO 4217/,
    ],
    ['an unknown team', ['queue', 'sales'], /team must be one of billing, delivery, security, general/],
  ];
  it.each(cases)('%s', async (_name, args, message) => {
    const result = await agent(args);
    expect(result.code).toBe(2);
    expect(result.stderr[0]).toMatch(message);
    expect(result.stderr.at(-1)).toMatch(/^usage: refund-hub agent (resolve|queue) \[options\] </);
    expect(requests).toEqual([]);
  });

  it('commander-level mistakes too: --as of an unknown agent, a bad --status, --max 0, a missing case id', async () => {
    for (const args of [
      ['claim', 'case-1', '--as', 'agent-3'],
      ['queue', 'billing', '--status', 'resolved'],
      ['queue', 'billing', '--max', '0'],
      ['show'],
    ]) {
      const result = await agent(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.join('\n'), args.join(' ')).toMatch(/usage: refund-hub agent \w+ /);
    }
    expect(requests).toEqual([]);
  });

  it('--as without --local is refused: on AWS the agent is the IAM principal', async () => {
    const io = captureIo();
    const code = await runCli(
      ['agent', 'claim', 'case-1', '--as', 'agent-2', '--endpoint', origin, '--api-url', `${origin}/v1/`],
      io,
    );
    expect(code).toBe(2);
    expect(io.stderr[0]).toMatch(/--as picks a local agent token/);
    expect(requests).toEqual([]);
  });

  it('builds the body: charges in minor units, the note, the customer message', () => {
    expect(parseCharge('ch_1:1499')).toEqual({ chargeId: 'ch_1', amount: 1499 });
    expect(parseCharge('order:ORD-9:129900')).toEqual({ chargeId: 'order:ORD-9', amount: 129900 });
    expect(
      resolutionRequest('resolve', { note: ' verified by phone ', message: 'We secured your account.' }),
    ).toEqual({
      decision: 'resolve',
      note: 'verified by phone',
      customerMessage: 'We secured your account.',
    });
  });
});

describe('requests sent, with the token --as picks', () => {
  it('claim: POST …/claim with agent-1 by default, agent-2 with --as agent-2', async () => {
    answer = (r) => ({
      status: 200,
      body: {
        caseId: 'case-1',
        claimedBy: r.headers.authorization?.endsWith('2') ? 'agent-2' : 'agent-1',
        status: 'claimed',
      },
    });
    const first = await agent(['claim', 'case-1']);
    const second = await agent(['claim', 'case-1', '--as', 'agent-2']);
    expect(first.code).toBe(0);
    expect(requests.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([
      ['POST', '/v1/agent/cases/case-1/claim', 'Bearer token-agent-1'],
      ['POST', '/v1/agent/cases/case-1/claim', 'Bearer token-agent-2'],
    ]);
    expect(first.stdout).toEqual(['case case-1 claimed by agent-1 (status claimed)']);
    expect(second.stdout).toEqual(['case case-1 claimed by agent-2 (status claimed)']);
  });

  it('REFUND_HUB_LOCAL=1 (what npm run agent sets) means --local', async () => {
    answer = () => ({ status: 200, body: { claimedBy: 'agent-1', status: 'claimed' } });
    const io = { ...captureIo(), localStateFile: stateFile() };
    const before = process.env.REFUND_HUB_LOCAL;
    process.env.REFUND_HUB_LOCAL = '1';
    try {
      expect(await runCli(['agent', 'claim', 'case-1'], io)).toBe(0);
    } finally {
      if (before === undefined) delete process.env.REFUND_HUB_LOCAL;
      else process.env.REFUND_HUB_LOCAL = before;
    }
    expect(requests[0]?.headers.authorization).toBe('Bearer token-agent-1');
  });

  it('an older state file (agentToken only) still works for agent-1, and says to restart for agent-2', async () => {
    const file = stateFile({ agentTokens: undefined });
    answer = () => ({ status: 200, body: { claimedBy: 'agent-1', status: 'claimed' } });
    expect((await agent(['claim', 'case-1'], file)).code).toBe(0);
    expect(requests[0]?.headers.authorization).toBe('Bearer token-agent-1');
    const refused = await agent(['claim', 'case-1', '--as', 'agent-2'], file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toEqual([
      'refund-hub: The local server published no token for agent-2: restart it with npm start (a newer version).',
    ]);
  });

  it('resolve approve_refund: the charges and amounts, and the hint for a second approval', async () => {
    answer = () => ({
      status: 202,
      body: {
        caseId: 'case-7',
        decision: 'approve_refund',
        status: 'awaiting_second_approval',
        amount: 129900,
        currency: 'USD',
        charges: [{ chargeId: 'ch_laptop', amount: 129900 }],
      },
    });
    const result = await agent([
      'resolve',
      'case-7',
      'approve_refund',
      '--charge',
      'ch_laptop:129900',
      '--note',
      'lost in transit, carrier confirmed',
      '--message',
      'Your laptop refund is on its way.',
    ]);
    expect(result.stderr).toEqual([]);
    expect(result.code).toBe(0);
    expect(requests[0]).toMatchObject({ method: 'POST', url: '/v1/agent/cases/case-7/resolution' });
    expect(bodyOf(requests[0])).toEqual({
      decision: 'approve_refund',
      charges: [{ chargeId: 'ch_laptop', amount: 129900 }],
      note: 'lost in transit, carrier confirmed',
      customerMessage: 'Your laptop refund is on its way.',
    });
    expect(result.stdout).toEqual([
      'case case-7: approve_refund $1,299.00 waits for a second agent (over the dual-approval threshold; nothing moved yet)',
      '  refund ch_laptop $1,299.00',
      '  a different agent confirms it with: npm run agent -- approve case-7 --as agent-2',
    ]);
  });

  it('resolve goodwill_credit and deny: amount and currency, the customer message', async () => {
    answer = (r) => ({
      status: 202,
      body: { ...bodyOf(r), status: 'resolving', currency: bodyOf(r).currency ?? null },
    });
    await agent([
      'resolve',
      'case-2',
      'goodwill_credit',
      '--amount',
      '1500',
      '--currency',
      'EUR',
      '--note',
      'late twice',
    ]);
    const denied = await agent([
      'resolve',
      'case-3',
      'deny',
      '--note',
      'used the service',
      '--message',
      'We cannot refund this month.',
    ]);
    expect(bodyOf(requests[0])).toEqual({
      decision: 'goodwill_credit',
      amount: 1500,
      currency: 'EUR',
      note: 'late twice',
    });
    expect(bodyOf(requests[1])).toEqual({
      decision: 'deny',
      note: 'used the service',
      customerMessage: 'We cannot refund this month.',
    });
    expect(denied.stdout).toEqual(['case case-3: deny accepted (status resolving); the workflow resumes']);
  });

  it('approve: POST …/approvals with the note, as the second agent', async () => {
    answer = () => ({
      status: 202,
      body: {
        caseId: 'case-7',
        decision: 'approve_refund',
        status: 'resolving',
        amount: 129900,
        currency: 'USD',
      },
    });
    const result = await agent(['approve', 'case-7', '--as', 'agent-2', '--note', 'checked the tracking']);
    expect(result.code).toBe(0);
    expect(requests[0]).toMatchObject({ method: 'POST', url: '/v1/agent/cases/case-7/approvals' });
    expect(requests[0]?.headers.authorization).toBe('Bearer token-agent-2');
    expect(bodyOf(requests[0])).toEqual({ note: 'checked the tracking' });
    expect(result.stdout).toEqual([
      'case case-7: approve_refund $1,299.00 confirmed by the second agent (status resolving); the workflow resumes',
    ]);
  });

  it('on AWS/LocalStack every agent call is SigV4-signed for execute-api, the query string included', async () => {
    answer = () => ({ status: 200, body: { items: [] } });
    const io = captureIo();
    const code = await runCli(
      ['agent', 'queue', 'billing', '--endpoint', origin, '--api-url', `${origin}/v1/`],
      io,
    );
    expect(io.stderr).toEqual([]);
    expect(code).toBe(0);
    expect(requests[0]?.url).toBe('/v1/agent/cases?queue=billing&limit=20');
    expect(requests[0]?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=test\/\d{8}\/us-east-1\/execute-api\/aws4_request, SignedHeaders=.*host.*, Signature=[0-9a-f]{64}$/,
    );
    expect(io.stdout).toEqual(['0 cases on the billing queue']);
  });
});

describe('refusals: the API’s code and message, exit 1', () => {
  it.each([
    [422, 'amount_exceeds_remainder', 'Charge ch_1 has $5.00 left to refund: ask for at most 500.'],
    [409, 'same_agent', 'The agent who decided cannot confirm their own decision: another agent must.'],
  ])('%i %s', async (status, code, message) => {
    answer = () => ({ status, body: { error: { code, message } } });
    const args =
      code === 'same_agent'
        ? ['approve', 'case-1']
        : ['resolve', 'case-1', 'approve_refund', '--charge', 'ch_1:900', '--note', 'x'];
    const result = await agent(args);
    expect(result.code).toBe(1);
    expect(result.stderr).toEqual([
      `refund-hub: ${code === 'same_agent' ? 'Approval' : 'Resolution'} refused (${status} ${code}): ${message}`,
    ]);
    expect(result.stdout).toEqual([]);
  });

  it('a customer token on an agent route (403) is a refusal too', async () => {
    answer = () => ({
      status: 403,
      body: { error: { code: 'forbidden', message: 'This route is for agents: use an agent token.' } },
    });
    const result = await agent(['show', 'case-1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toEqual([
      'refund-hub: Case lookup refused (403 forbidden): This route is for agents: use an agent token.',
    ]);
  });
});

const queued = (i: number, extra: Record<string, unknown> = {}) => ({
  caseId: `case-${i}`,
  status: 'awaiting_agent',
  priority: 'normal',
  reason: 'billing_error',
  intent: 'billing_refund',
  queue: 'billing',
  waitedSeconds: 250,
  slaDeadline: '2026-03-20T12:05:00.000Z',
  escalations: 0,
  claimedBy: null,
  atStake: [{ currency: 'USD', amount: 1499 }],
  message: `I was charged twice ${i}`,
  ...extra,
});

describe('agent queue', () => {
  it('follows nextToken up to --max and prints one row per case with its message below', async () => {
    answer = (r) => {
      const url = new URL(r.url, origin);
      if (!url.searchParams.get('nextToken'))
        return {
          status: 200,
          body: {
            items: [
              queued(1, {
                priority: 'urgent',
                status: 'claimed',
                claimedBy: 'agent-2',
                waitedSeconds: 3725,
                slaDeadline: '2026-03-20T11:59:00.000Z',
                escalations: 2,
                atStake: [
                  { currency: 'EUR', amount: 2000 },
                  { currency: 'USD', amount: 129900 },
                ],
                message: 'My card [REDACTED CARD]\nwas charged   twice',
              }),
              queued(2),
            ],
            nextToken: 'page-2',
          },
        };
      return { status: 200, body: { items: [queued(3), queued(4)], nextToken: 'page-3' } };
    };
    const result = await agent(['queue', 'billing', '--max', '3']);
    expect(result.code).toBe(0);
    expect(requests.map((r) => r.url)).toEqual([
      '/v1/agent/cases?queue=billing&limit=3',
      '/v1/agent/cases?queue=billing&limit=1&nextToken=page-2',
    ]);
    const [head, header, row1, msg1, row2, , row3] = result.stdout;
    expect(head).toBe('3 cases on the billing queue, most urgent first');
    expect(header).toMatch(
      /^PRIORITY\s+STATUS\s+WAITED\s+SLA\s+ESC\s+AT STAKE\s+REASON\s+CLAIMED BY\s+CASE$/,
    );
    // Money per currency, never added across them; an overdue SLA says so.
    expect(row1?.split(/\s{2,}/)).toEqual([
      'urgent',
      'claimed',
      '1h 2m',
      'overdue',
      '2',
      '€20.00 + $1,299.00',
      'billing_error',
      'agent-2',
      'case-1',
    ]);
    expect(msg1).toBe('    "My card [REDACTED CARD] was charged twice"');
    expect(row2?.split(/\s{2,}/)).toEqual([
      'normal',
      'awaiting_agent',
      '4m 10s',
      '5m left',
      '0',
      '$14.99',
      'billing_error',
      '-',
      'case-2',
    ]);
    expect(row3).toMatch(/case-3$/);
    expect(result.stdout.at(-1)).toBe('more cases are waiting: --max 6 shows more');
  });

  it('--status filters, and an empty queue is one line', async () => {
    answer = () => ({ status: 200, body: { items: [] } });
    const result = await agent(['queue', 'security', '--status', 'needs_attention']);
    expect(requests[0]?.url).toBe('/v1/agent/cases?queue=security&limit=20&status=needs_attention');
    expect(result.stdout).toEqual(['0 needs_attention cases on the security queue']);
  });

  it('durations read as a person says them', () => {
    expect([0, 45, 250, 3725, 90_061].map(humanDuration)).toEqual(['0s', '45s', '4m 10s', '1h 2m', '1d 1h']);
    expect(queueLines('general', { cases: [], more: false }, NOW)).toEqual(['0 cases on the general queue']);
  });
});

const PACK = {
  caseId: 'case-42',
  customerId: 'C-1002',
  status: 'awaiting_agent',
  queue: 'billing',
  priority: 'high',
  waitedSeconds: 130,
  slaDeadline: '2026-03-20T12:10:00.000Z',
  escalations: 1,
  message: 'I cancelled on March 3 and was still charged on March 5. Card [REDACTED CARD].',
  intent: 'billing_refund',
  confidence: 0.93,
  markers: ['cancellation', 'charge_after_cancel'],
  rule: 6,
  reason: 'charged_after_cancellation',
  receipt: { cancellationEffectiveAt: '2026-03-03T10:00:00.000Z', chargesAfter: 1 },
  charges: [
    {
      chargeId: 'ch_march',
      chargedAt: '2026-03-05T08:00:00.000Z',
      amount: 1499,
      currency: 'USD',
      remainder: 1499,
      billingError: 'after_cancellation',
    },
    {
      chargeId: 'ch_feb',
      chargedAt: '2026-02-05T08:00:00.000Z',
      amount: 1499,
      currency: 'USD',
      remainder: 499,
      billingError: false,
    },
  ],
  ledger: [{ chargeId: 'ch_feb', caseId: 'case-9', amount: 1000, currency: 'USD', status: 'succeeded' }],
  order: {
    orderId: 'ORD-7',
    status: 'lost',
    carrier: 'UPS',
    tracking: '1Z999',
    items: ['Laptop'],
    charge: { chargeId: 'ch_ord', amount: 129900, currency: 'USD', remainder: 129900 },
  },
  proposedRefund: { charges: [{ chargeId: 'ch_march', amount: 1499 }], amount: 1499, currency: 'USD' },
  lastCases: [
    {
      caseId: 'case-9',
      createdAt: '2026-02-10T09:00:00.000Z',
      outcome: 'auto_refunded',
      refundedTotals: [{ currency: 'USD', amount: 1000 }],
    },
  ],
  callbackPhone: '+12065550101',
  refunds: [],
  credits: [{ creditId: 'cr_1', amount: 500, currency: 'USD' }],
  timeline: [
    { at: '2026-03-20T11:57:50.000Z', event: 'received' },
    { at: '2026-03-20T11:57:51.000Z', event: 'handed_off', queue: 'billing' },
  ],
};

describe('agent show: the evidence pack in a terminal', () => {
  it('GETs the case and prints the lines a person needs, charges in time order with the cancellation among them', async () => {
    answer = () => ({ status: 200, body: PACK });
    const result = await agent(['show', 'case-42']);
    expect(result.code).toBe(0);
    expect(requests[0]).toMatchObject({ method: 'GET', url: '/v1/agent/cases/case-42' });
    const out = result.stdout;
    expect(out[0]).toBe('case case-42  customer C-1002  status awaiting_agent  queue billing  priority high');
    expect(out[1]).toBe('waited 2m 10s  SLA 10m left  escalations 1');
    expect(out).toContain(
      '  "I cancelled on March 3 and was still charged on March 5. Card [REDACTED CARD]."',
    );
    expect(out).toContain('  confidence: 0.93');
    expect(out).toContain('  markers: cancellation, charge_after_cancel');
    expect(out).toContain('  rule: 6');
    const charges = out.slice(
      out.indexOf('Charges (oldest first):') + 1,
      out.indexOf('Charges (oldest first):') + 4,
    );
    expect(charges).toEqual([
      '  2026-02-05T08:00:00.000Z  ch_feb  amount $14.99  remainder $4.99',
      '  2026-03-03T10:00:00.000Z  ── cancellation (receipt.cancellationEffectiveAt) ──',
      '  ! 2026-03-05T08:00:00.000Z  ch_march  amount $14.99  remainder $14.99  BILLING ERROR (after_cancellation)',
    ]);
    expect(out).toContain('    - ch_feb  case-9  amount $10.00  status succeeded');
    // A line without its own currency takes its parent's.
    expect(out).toContain('      - ch_march  amount $14.99');
    expect(out.join('\n')).toMatch(
      /Order:\n {2}order:\n {4}orderId: ORD-7\n {4}status: lost\n {4}carrier: UPS\n {4}tracking: 1Z999\n {4}items: Laptop\n {4}charge: ch_ord {2}amount \$1,299.00 {2}remainder \$1,299.00/,
    );
    expect(out).toContain('Proposed refund:');
    expect(out).toContain(
      '    - 2026-02-10T09:00:00.000Z  case-9  outcome auto_refunded  refundedTotals $10.00',
    );
    expect(out).toContain('  callbackPhone: +12065550101');
    expect(out).toContain('  refunds: none');
    expect(out).toContain('    - cr_1  amount $5.00');
    expect(out.slice(-3)).toEqual([
      'Timeline:',
      '  2026-03-20T11:57:50.000Z  event received',
      '  2026-03-20T11:57:51.000Z  event handed_off  queue billing',
    ]);
  });

  it('fields it does not know are shown too, under Also', () => {
    const lines = evidenceLines({ caseId: 'c', somethingNew: { a: 1 } }, NOW);
    expect(lines).toEqual(['case c', '', 'Also:', '  somethingNew: a 1']);
  });
});

/** The Step Functions JSON protocol, as the local server's endpoint answers it. */
function sfnAnswer(r: Captured): Reply {
  const target = String(r.headers['x-amz-target'] ?? '');
  const input = JSON.parse(r.body || '{}') as { executionArn?: string };
  if (target.endsWith('.DescribeExecution'))
    return {
      status: 200,
      body: {
        executionArn: input.executionArn,
        name: 'case-5',
        status: 'SUCCEEDED',
        startDate: 1773921600,
        stateMachineArn: STATE_MACHINE_ARN,
      },
    };
  if (target.endsWith('.GetExecutionHistory'))
    return {
      status: 200,
      body: {
        events: [
          { id: 1, type: 'ExecutionStarted', timestamp: 1773921600 },
          {
            id: 2,
            type: 'TaskStateEntered',
            timestamp: 1773921600.01,
            stateEnteredEventDetails: { name: 'ClassifyMessage' },
          },
          {
            id: 3,
            type: 'TaskStateExited',
            timestamp: 1773921600.02,
            stateExitedEventDetails: { name: 'ClassifyMessage' },
          },
          { id: 4, type: 'ExecutionSucceeded', timestamp: 1773921600.03 },
        ],
      },
    };
  return { status: 400, body: { __type: 'UnknownOperationException' } };
}

describe('history and invoke --local use the running server of the state file', () => {
  it('history <caseId> --local reads the server’s Step Functions endpoint', async () => {
    answer = sfnAnswer;
    const io = { ...captureIo(), localStateFile: stateFile() };
    const code = await runCli(['history', 'case-5', '--local'], io);
    expect(io.stderr).toEqual([]);
    expect(code).toBe(0);
    const described = requests.find((r) => String(r.headers['x-amz-target']).endsWith('.DescribeExecution'));
    expect(described?.url).toBe('/');
    expect(JSON.parse(described?.body ?? '{}')).toEqual({
      executionArn: 'arn:aws:states:us-east-1:000000000000:execution:Workflow:case-5',
    });
    expect(io.stdout[0]).toBe('execution case-5: SUCCEEDED');
    expect(io.stdout).toContain('path: ClassifyMessage');
  });

  it('history --local without a state file, or with its server gone, says so', async () => {
    const missing = {
      ...captureIo(),
      localStateFile: path.join(tmpdir(), 'no-such-dir', '.refund-hub-local.json'),
    };
    expect(await runCli(['history', 'case-5', '--local'], missing)).toBe(1);
    expect(missing.stderr[0]).toMatch(
      /^refund-hub: No local server found \(.refund-hub-local.json is missing\): start the local runtime with npm start first\.$/,
    );

    const gone = createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', () => resolve()));
    const port = (gone.address() as AddressInfo).port;
    await new Promise((resolve) => gone.close(resolve));
    const stale = { ...captureIo(), localStateFile: stateFile({ sfnEndpoint: `http://127.0.0.1:${port}` }) };
    expect(await runCli(['history', 'case-5', '--local'], stale)).toBe(1);
    expect(stale.stderr[0]).toBe(
      `refund-hub: Cannot reach http://127.0.0.1:${port} (ECONNREFUSED). Start the local runtime with: npm start`,
    );
  });

  it('invoke --local posts to the running server as the demo customer instead of starting a runtime', async () => {
    answer = (r) =>
      r.url === '/v1/support-requests'
        ? { status: 202, body: { caseId: 'case-77', status: 'received' } }
        : { status: 404, body: {} };
    const io = { ...captureIo(), localStateFile: stateFile() };
    const code = await runCli(
      ['invoke', '--local', '--customer', 'C-1001', '--message', 'Refund my card 4111 1111 1111 1111 please'],
      io,
    );
    expect(io.stderr).toEqual([]);
    expect(code).toBe(0);
    const post = requests.find((r) => r.method === 'POST');
    expect(post?.url).toBe('/v1/support-requests');
    expect(post?.headers.authorization).toBe('Bearer token-C-1001');
    expect(bodyOf(post)).toEqual({ message: expect.stringContaining('Refund my card') });
    expect(io.stdout).toEqual([
      'case case-77',
      'execution arn:aws:states:us-east-1:000000000000:execution:Workflow:case-77',
      `on the running local server (${origin}/v1): its agents see the case`,
    ]);
  });

  it('invoke --local --follow follows on the server’s Step Functions endpoint until the case waits for an agent', async () => {
    answer = (r) => {
      if (r.url === '/v1/support-requests')
        return { status: 202, body: { caseId: 'case-5', status: 'received' } };
      if (r.url === '/v1/support-requests/case-5')
        return {
          status: 200,
          body: {
            caseId: 'case-5',
            status: 'awaiting_agent',
            outcome: 'human_handoff',
            reason: 'account_security',
          },
        };
      const reply = sfnAnswer(r);
      // Still running: the case waits on its agent's task token.
      return String(r.headers['x-amz-target']).endsWith('.DescribeExecution')
        ? { status: 200, body: { ...(reply.body as object), status: 'RUNNING' } }
        : reply;
    };
    const io = { ...captureIo(), localStateFile: stateFile() };
    const code = await runCli(
      [
        'invoke',
        '--local',
        '--customer',
        'C-1001',
        '--message',
        'Someone logged into my account',
        '--follow',
      ],
      io,
    );
    expect(io.stderr).toEqual([]);
    expect(code).toBe(0);
    // The customer's own view of the case is read with the customer's token.
    expect(requests.find((r) => r.url === '/v1/support-requests/case-5')?.headers.authorization).toBe(
      'Bearer token-C-1001',
    );
    expect(io.stdout).toContain('  +0.010s  → ClassifyMessage');
    expect(io.stdout).toContain('status: RUNNING, waiting for an agent');
    expect(io.stdout).toContain('outcome: human_handoff (account_security, rule ?)');
    expect(io.stdout.at(-1)).toBe(
      'work it with: npm run agent -- show case-5, then resolve case-5 <decision> --note "..."',
    );
  });

  it('invoke --local starts its own runtime when there is no file (quietly) or its server is gone (with a note)', async () => {
    expect(
      await runningLocalServer(path.join(tmpdir(), 'no-such-dir', '.refund-hub-local.json')),
    ).toMatchObject({ stale: false });
    const gone = createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', () => resolve()));
    const port = (gone.address() as AddressInfo).port;
    await new Promise((resolve) => gone.close(resolve));
    const stale = await runningLocalServer(stateFile({ apiUrl: `http://127.0.0.1:${port}/v1` }));
    expect(stale).toEqual({
      stale: true,
      reason: `the local server of .refund-hub-local.json (http://127.0.0.1:${port}/v1) does not answer: was it stopped?`,
    });
    expect((await runningLocalServer(stateFile())).state?.apiUrl).toBe(`${origin}/v1`);
  });

  it('invoke --local for a customer the server has no token for is one line naming the demo customers', async () => {
    const io = { ...captureIo(), localStateFile: stateFile() };
    expect(await runCli(['invoke', '--local', '--customer', 'C-9', '--message', 'hi there'], io)).toBe(1);
    expect(io.stderr).toEqual([
      'refund-hub: C-9 is not a demo customer of the running local server (C-1001): it holds tokens for those only.',
    ]);
    expect(requests.filter((r) => r.method === 'POST')).toEqual([]);
  });
});

describe('URLs', () => {
  it('maps API URLs: trailing slash or not, and LocalStack’s _user_request_ form', () => {
    expect(resolutionUrl('http://127.0.0.1:3000/v1', 'case-1')).toBe(
      'http://127.0.0.1:3000/v1/agent/cases/case-1/resolution',
    );
    expect(
      localstackApiUrl('https://abc123.execute-api.us-east-1.amazonaws.com/v1/', 'http://localhost:4566/'),
    ).toBe('http://localhost:4566/restapis/abc123/v1/_user_request_/');
  });
});
