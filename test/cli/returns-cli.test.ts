/**
 * The carrier and inspection CLIs end to end on the real local API (the synthesized routes, the real handlers, the
 * returns state machine): `carrier scan` signs a first scan that refunds a return once (a resent event id is a
 * duplicate, an unknown tracking id a clear 404), and `agent returns` / `agent inspect` work a return over the
 * inspection threshold at the warehouse.
 */
import '../../local/quiet.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/program.js';
import type { Charge, Order } from '../../functions/shared/types.js';
import { createLocalAuth } from '../../local/auth.js';
import { seedAccount } from '../../local/cases.js';
import { readReturn, settleReturn, startReturn } from '../../local/returns.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import { type ApiServer, startApiServer } from '../../local/server.js';
import {
  account,
  FAST_RETRIES,
  ledgerItems,
  newCustomerId,
  RUNTIME_HOOK_TIMEOUT,
} from '../workflow/support.js';
import { captureIo } from './support.js';

const NOW = new Date('2026-03-20T12:00:00Z');
let runtime: LocalRuntime;
let api: ApiServer;
let stateFile: string;
const auth = createLocalAuth({ secret: 'test-secret-for-the-returns-cli' });

beforeAll(async () => {
  runtime = await startLocalRuntime({ retryIntervalOverrides: FAST_RETRIES });
  api = await startApiServer(runtime, { port: 0, auth });
  stateFile = path.join(mkdtempSync(path.join(tmpdir(), 'returns-cli-')), '.refund-hub-local.json');
  writeFileSync(
    stateFile,
    JSON.stringify({
      apiUrl: api.baseUrl,
      agentToken: await auth.agentToken('agent-1'),
      agentTokens: { 'agent-1': await auth.agentToken('agent-1') },
      queueUrls: {},
    }),
  );
}, RUNTIME_HOOK_TIMEOUT);

afterAll(async () => {
  await api?.close();
  await runtime?.stop();
});

async function cli(...args: string[]) {
  const io = { ...captureIo(), localStateFile: stateFile };
  const code = await runCli(args, io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

const charge = (id: string, orderId: string, amount: number): Charge => ({
  id,
  orderId,
  amount,
  currency: 'USD',
  chargedAt: '2026-03-05T10:01:00Z',
});

async function labelled(label: string, order: Order, sku: string) {
  const customerId = newCustomerId(label);
  await seedAccount(
    runtime,
    account(customerId, { orders: [order], charges: [charge(`CH-${label}`, order.id, order.total)] }),
  );
  const started = await startReturn(
    runtime,
    customerId,
    { orderId: order.id, items: [{ sku, quantity: 1 }], reason: 'damaged' },
    NOW,
  );
  if (started.rejection !== null) throw new Error(`rejected: ${started.rejection}`);
  await settleReturn(runtime, started.execution);
  const record = await readReturn(runtime, started.returnId);
  return {
    customerId,
    returnId: started.returnId,
    execution: started.execution,
    trackingId: record.label?.trackingId ?? '',
  };
}

const delivered = (id: string, sku: string, unitPrice: number): Order => ({
  id,
  total: unitPrice,
  currency: 'USD',
  status: 'delivered',
  placedAt: '2026-03-05T10:00:00Z',
  deliveredAt: '2026-03-09T14:00:00Z',
  items: [{ sku, name: sku, quantity: 1, unitPrice }],
});

describe('npm run carrier -- scan', () => {
  it('a signed first scan (the default event) refunds the return once; the same event id again is a duplicate', async () => {
    const { customerId, returnId, execution, trackingId } = await labelled(
      'cli-scan',
      delivered('O-7', 'MUG-2', 1999),
      'MUG-2',
    );
    expect(trackingId).toMatch(/^SIM/);
    const first = await cli('carrier', 'scan', trackingId, '--event-id', 'evt-cli-1');
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain(`first_scan for ${trackingId} (return ${returnId}) received (202`);
    await execution.done;
    expect((await readReturn(runtime, returnId)).status).toBe('refunded');

    const again = await cli('carrier', 'scan', trackingId, 'first_scan', '--event-id', 'evt-cli-1');
    expect(again.code, again.err).toBe(0);
    expect(again.out).toContain('already received');
    expect((await ledgerItems(runtime, customerId))[0]?.refundedTotal).toBe(1999);
  });

  it('an unknown tracking id is a 404 naming it; a bad event is a usage error before any request', async () => {
    const unknown = await cli('carrier', 'scan', 'SIM000000000000000000');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/404 unknown_tracking_id/);
    const bad = await cli('carrier', 'scan', 'SIM1', 'lost_in_space');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('event must be one of first_scan, in_transit, delivered_to_warehouse');
  });

  it('signed with another secret, the webhook refuses it and nothing changes', async () => {
    const { returnId, trackingId, execution } = await labelled(
      'cli-forged',
      delivered('O-8', 'MUG-2', 1999),
      'MUG-2',
    );
    const io = { ...captureIo({ CARRIER_WEBHOOK_SECRET: 'not-the-secret' }), localStateFile: stateFile };
    expect(await runCli(['carrier', 'scan', trackingId], io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/400 invalid_signature/);
    expect((await readReturn(runtime, returnId)).status).toBe('label_created');
    runtime.returnsExecutor?.stop(execution.name);
  });
});

describe('npm run agent -- returns / inspect', () => {
  it('lists a return at the warehouse, refuses an inspection without a note, and a pass refunds it', async () => {
    const { customerId, returnId, execution, trackingId } = await labelled(
      'cli-inspect',
      delivered('O-9', 'TV-55', 89900),
      'TV-55',
    );
    expect((await cli('carrier', 'scan', trackingId)).code).toBe(0);
    await settleReturn(runtime, execution);
    const warehouse = await cli('carrier', 'scan', trackingId, 'delivered_to_warehouse');
    expect(warehouse.code, warehouse.err).toBe(0);
    await settleReturn(runtime, execution);
    expect((await readReturn(runtime, returnId)).status).toBe('awaiting_inspection');

    const list = await cli('agent', 'returns', '--local');
    expect(list.code, list.err).toBe(0);
    expect(list.out).toContain(returnId);
    expect(list.out).toContain('$899.00');

    const noNote = await cli('agent', 'inspect', returnId, 'pass', '--local');
    expect(noNote.code).toBe(2);
    expect(noNote.err).toContain('--note is required');
    expect((await cli('agent', 'inspect', returnId, 'maybe', '--note', 'x', '--local')).code).toBe(2);

    const passed = await cli(
      'agent',
      'inspect',
      returnId,
      'pass',
      '--note',
      'sealed box, no damage',
      '--local',
    );
    expect(passed.code, passed.err).toBe(0);
    expect(passed.out).toMatch(
      new RegExp(`return ${returnId}: inspection pass recorded by \\S*agent-1; .* refunds it`),
    );
    await execution.done;
    expect((await readReturn(runtime, returnId)).status).toBe('refunded');
    expect((await ledgerItems(runtime, customerId))[0]?.refundedTotal).toBe(89900);

    const twice = await cli('agent', 'inspect', returnId, 'fail', '--note', 'again', '--local');
    expect(twice.code).toBe(1);
    expect(twice.err).toMatch(/Inspection refused \(409 not_awaiting_inspection\)/);
  });
});
