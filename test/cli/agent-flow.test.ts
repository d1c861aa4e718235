/**
 * The agent CLI end to end, on the real local API (the synthesized routes, the real handlers, the embedded
 * workflow): a lost $1,299 laptop handed to the delivery queue is listed, opened, claimed and refunded on its
 * order's charge; over the dual-approval threshold, the first agent cannot confirm their own decision and the
 * second agent's confirmation moves the money once. The agent's note never reaches the customer.
 */
import '../../local/quiet.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/program.js';
import { createLocalAuth } from '../../local/auth.js';
import { type CaseRun, readCase, runCase, seedAccount } from '../../local/cases.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import { type ApiServer, startApiServer } from '../../local/server.js';
import { ledgerItem, messageCenter } from '../workflow/support.js';
import { captureIo } from './support.js';

let runtime: LocalRuntime;
let api: ApiServer;
let stateFile: string;
let laptop: CaseRun;
const auth = createLocalAuth({ secret: 'test-secret-for-the-agent-flow' });
const NOTE = 'carrier confirmed the loss, internal ref 77';

beforeAll(async () => {
  runtime = await startLocalRuntime();
  api = await startApiServer(runtime, { port: 0, auth });
  stateFile = path.join(mkdtempSync(path.join(tmpdir(), 'agent-flow-')), '.refund-hub-local.json');
  writeFileSync(
    stateFile,
    JSON.stringify({
      apiUrl: api.baseUrl,
      agentToken: await auth.agentToken('agent-1'),
      agentTokens: {
        'agent-1': await auth.agentToken('agent-1'),
        'agent-2': await auth.agentToken('agent-2'),
      },
      queueUrls: {},
    }),
  );
  await seedAccount(runtime, {
    profile: { id: 'C-flow-laptop', phone: '+12065550107' },
    subscriptions: [],
    charges: [
      { id: 'CH-L', orderId: 'O-2', amount: 129900, currency: 'USD', chargedAt: '2026-03-10T09:00:05Z' },
    ],
    orders: [
      {
        id: 'O-2',
        total: 129900,
        currency: 'USD',
        status: 'lost',
        placedAt: '2026-03-10T09:00:00Z',
        promisedBy: '2026-03-14T23:59:00Z',
        carrier: 'UPS',
        trackingId: '1Z999',
      },
    ],
  });
  laptop = await runCase(runtime, {
    customerId: 'C-flow-laptop',
    message: 'Where is my order? Tracking says it was lost',
    orderId: 'O-2',
    now: new Date('2026-03-20T12:00:00Z'),
  });
}, 180_000);

afterAll(async () => {
  await api?.close();
  await runtime?.stop();
});

async function agent(...args: string[]) {
  const io = { ...captureIo(), localStateFile: stateFile };
  const code = await runCli(['agent', ...args, '--local'], io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

describe('an agent works a lost laptop from the terminal', () => {
  it('lists, opens, claims, decides, and a second agent confirms', async () => {
    expect(laptop.waitingForAgent).toBe(true);
    const { caseId } = laptop;

    const queue = await agent('queue', 'delivery');
    expect(queue.code, queue.err).toBe(0);
    expect(queue.out).toContain(caseId);
    expect(queue.out).toContain('$1,299.00');

    const show = await agent('show', caseId);
    expect(show.code, show.err).toBe(0);
    expect(show.out).toContain('CH-L');
    expect(show.out).toContain('1Z999');

    expect((await agent('claim', caseId)).code).toBe(0);
    expect((await readCase(runtime, caseId)).status).toBe('claimed');

    const decided = await agent(
      'resolve',
      caseId,
      'approve_refund',
      '--charge',
      'CH-L:129900',
      '--note',
      NOTE,
      '--message',
      'We are sorry your laptop was lost.',
    );
    expect(decided.code, decided.err).toBe(0);
    expect(decided.out).toContain('waits for a second agent');
    expect((await readCase(runtime, caseId)).status).toBe('awaiting_second_approval');
    expect(await ledgerItem(runtime, 'C-flow-laptop', 'CH-L')).toBeUndefined();

    const own = await agent('approve', caseId, '--as', 'agent-1');
    expect(own.code).toBe(1);
    expect(own.err).toContain('same_agent');

    const second = await agent('approve', caseId, '--as', 'agent-2', '--note', 'checked the tracking');
    expect(second.code, second.err).toBe(0);
    await laptop.execution.done;
    expect(laptop.execution.status).toBe('SUCCEEDED');

    expect(await ledgerItem(runtime, 'C-flow-laptop', 'CH-L')).toMatchObject({ refundedTotal: 129900 });
    const record = await readCase(runtime, caseId);
    expect(record.status).toBe('resolved');
    const messages = await messageCenter(runtime, 'C-flow-laptop');
    const resolution = messages.find((m) => m.messageKey.endsWith('#resolution'));
    expect(resolution?.body).toContain('$1,299.00');
    expect(resolution?.body).toContain('We are sorry your laptop was lost.');
    expect(JSON.stringify(messages)).not.toContain(NOTE);
    expect(JSON.stringify(messages)).not.toContain('CH-L');
  });
});
