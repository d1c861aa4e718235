/**
 * The returns workflow (POLICY.md v2 "Returns") through the synthesized second state machine with the real handlers
 * on the embedded runtime: the label, the carrier's signed events, refund at first scan exactly once, inspection,
 * expiry, a crash of the refund step, and the order charge's remainder shared with a support case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { returnsOfCustomer } from '../../functions/returns-core/store.js';
import type { Charge, Order } from '../../functions/shared/types.js';
import type { LambdaHandler } from '../../local/executor.js';
import {
  inspect,
  letLabelExpire,
  postCarrierEvent,
  readReturn,
  settleReturn,
  startReturn,
} from '../../local/returns.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import { chargeFor, deliveredOrder, seedReturnsCustomer } from '../returns-fixtures.js';
import { FAST_RETRIES, ledgerItems, messageCenter, newCustomerId, RUNTIME_HOOK_TIMEOUT } from './support.js';

const NOW = new Date('2026-03-20T12:00:00Z');
const REFUND_ENTRY = 'functions/returns-refund/handler.ts';

const RETURN_RETRIES: Record<string, number> = {
  ...FAST_RETRIES,
  CheckEligibility: 0,
  CreateLabel: 0,
  WaitForFirstScan: 0,
  WaitForWarehouse: 0,
  AwaitInspection: 0,
  IssueReturnRefund: 0,
  RecordRefunded: 0,
  RecordRejected: 0,
  RecordExpired: 0,
  RecordInspectionFailed: 0,
  HandReturnToPerson: 0,
};

let runtime: LocalRuntime;
/** When set, the refund step crashes after its real work (the ledger line written, the provider paid). */
let crashAfterRefund = 0;
/** When set, the carrier wait step starts only once this resolves (an event can then arrive before its token). */
let holdWaitStep: Promise<void> | undefined;

function wrapHandler(entry: string, real: LambdaHandler): LambdaHandler {
  if (entry === 'functions/returns-wait/handler.ts')
    return async (event, context) => {
      if (holdWaitStep) await holdWaitStep;
      return real(event, context);
    };
  if (entry !== REFUND_ENTRY) return real;
  return async (event, context) => {
    const result = await real(event, context);
    if (crashAfterRefund > 0) {
      crashAfterRefund -= 1;
      throw Object.assign(new Error('Lambda crashed after the refund'), { name: 'Sandbox.Timedout' });
    }
    return result;
  };
}

beforeAll(async () => {
  runtime = await startLocalRuntime({ retryIntervalOverrides: RETURN_RETRIES, wrapHandler });
}, RUNTIME_HOOK_TIMEOUT);

afterAll(async () => {
  await runtime?.stop();
});

const mugsAndKettle = (id: string, extra: Partial<Order> = {}): Order =>
  deliveredOrder(
    id,
    [
      { sku: 'MUG-2', name: 'Ceramic mug, set of 2', quantity: 2, unitPrice: 1999 },
      { sku: 'KETTLE-1', name: 'Electric kettle', quantity: 1, unitPrice: 5000 },
    ],
    { placedAt: '2026-03-05T10:00:00Z', deliveredAt: '2026-03-09T14:00:00Z' },
    extra,
  );

/** A customer with `orders`, each paid by its own charge (`CH-<order id>`) unless `charges` says otherwise. */
const customerWith = (label: string, orders: Order[], charges?: Charge[]) =>
  seedReturnsCustomer(runtime, newCustomerId(label), orders, charges);

async function labelledReturn(customerId: string, items = [{ sku: 'MUG-2', quantity: 2 }], orderId = 'O-4') {
  const started = await startReturn(runtime, customerId, { orderId, items, reason: 'damaged' }, NOW);
  if (started.rejection !== null) throw new Error(`rejected: ${started.rejection}`);
  await settleReturn(runtime, started.execution);
  const record = await readReturn(runtime, started.returnId);
  return { ...started, record, trackingId: record.label?.trackingId ?? '' };
}

async function scan(trackingId: string, event: string, eventId: string, at = '2026-03-21T09:30:00Z') {
  return postCarrierEvent(runtime, { trackingId, event, at, eventId });
}

describe('refund at first scan', () => {
  it('issues a label, then refunds once at the first scan even when the carrier sends three events twice', async () => {
    const customerId = await customerWith('first-scan', [mugsAndKettle('O-4')]);
    const { returnId, execution, record, trackingId } = await labelledReturn(customerId);
    expect(record.status).toBe('label_created');
    expect(record.refundPolicy).toBe('refund_at_first_scan');
    expect(record.label?.labelUrl).toMatch(/^https:\/\//);
    expect(record.label?.expiresAt).toBe('2026-04-17T12:00:00.000Z');

    const events = ['first_scan', 'in_transit', 'delivered_to_warehouse'] as const;
    const answers = [];
    for (const round of [1, 2]) {
      for (const [i, event] of events.entries()) {
        answers.push(await scan(trackingId, event, `evt-${i}`, `2026-03-2${1 + i}T09:30:00Z`));
        if (round === 1 && i === 0) await settleReturn(runtime, execution);
      }
    }
    await execution.done;
    expect(answers.map((a) => a.statusCode)).toEqual([202, 202, 202, 200, 200, 200]);
    expect(answers.slice(3).every((a) => a.body.duplicate === true)).toBe(true);

    const done = await readReturn(runtime, returnId);
    expect(done.status).toBe('refunded');
    expect(done.refund).toMatchObject({ chargeId: 'CH-O-4', amount: 3998, currency: 'USD' });
    expect(done.timeline.map((t) => t.status)).toEqual([
      'requested',
      'label_created',
      'in_transit',
      'refunded',
    ]);
    const ledger = await ledgerItems(runtime, customerId);
    expect(ledger).toHaveLength(1);
    expect(ledger[0]?.refundedTotal).toBe(3998);
    const subjects = (await messageCenter(runtime, customerId)).map((m) => m.subject);
    expect(subjects).toEqual(
      expect.arrayContaining([
        'Your return label for order O-4',
        'Your return for order O-4 is on its way',
        'Refund issued for your return of order O-4',
      ]),
    );
  });

  it('a scan that arrives before the workflow waits for it is not lost (the race with the wait step)', async () => {
    const customerId = await customerWith('early-scan', [mugsAndKettle('O-4')]);
    let release: () => void = () => undefined;
    holdWaitStep = new Promise<void>((resolve) => {
      release = resolve;
    });
    const started = await startReturn(
      runtime,
      customerId,
      { orderId: 'O-4', items: [{ sku: 'MUG-2', quantity: 1 }], reason: 'damaged' },
      NOW,
    );
    if (started.rejection !== null) throw new Error('rejected');
    let record = await readReturn(runtime, started.returnId);
    while (!record.label) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      record = await readReturn(runtime, started.returnId);
    }
    // The label exists but the wait has not stored its token: the webhook can only store the event.
    const early = await scan(record.label.trackingId, 'first_scan', 'evt-early');
    expect(early.statusCode).toBe(202);
    expect((await readReturn(runtime, started.returnId)).status).toBe('in_transit');
    holdWaitStep = undefined;
    release();
    await started.execution.done;
    const done = await readReturn(runtime, started.returnId);
    expect(done.status).toBe('refunded');
    expect(done.refund?.amount).toBe(1999);
  });

  it('a crash after the refund step paid does not refund twice: the retry finishes the same ledger line', async () => {
    const customerId = await customerWith('crash', [mugsAndKettle('O-4')]);
    const { returnId, execution, trackingId } = await labelledReturn(customerId);
    crashAfterRefund = 2;
    await scan(trackingId, 'first_scan', 'evt-crash');
    await execution.done;
    crashAfterRefund = 0;
    expect((await readReturn(runtime, returnId)).status).toBe('refunded');
    const ledger = await ledgerItems(runtime, customerId);
    expect(ledger[0]?.refundedTotal).toBe(3998);
  });

  it('never refunds more than what a support case left of the order charge', async () => {
    const customerId = await customerWith(
      'remainder',
      [mugsAndKettle('O-4')],
      [chargeFor(mugsAndKettle('O-4'), { refundedAmount: 6000 })],
    );
    const { returnId, execution, trackingId } = await labelledReturn(customerId);
    await scan(trackingId, 'first_scan', 'evt-r');
    await execution.done;
    const done = await readReturn(runtime, returnId);
    expect(done.status).toBe('refunded');
    expect(done.refund?.amount).toBe(2998);
    expect((await ledgerItems(runtime, customerId))[0]?.refundedTotal).toBe(2998);
  });
});

describe('inspect then refund', () => {
  const tv = deliveredOrder(
    'O-5',
    [{ sku: 'TV-55', name: '55-inch television', quantity: 1, unitPrice: 89900 }],
    {
      placedAt: '2026-03-01T10:00:00Z',
      deliveredAt: '2026-03-04T12:00:00Z',
    },
  );

  async function atWarehouse(label: string) {
    const customerId = await customerWith(label, [tv]);
    const started = await labelledReturn(customerId, [{ sku: 'TV-55', quantity: 1 }], 'O-5');
    expect(started.record.refundPolicy).toBe('inspect_then_refund');
    await scan(started.trackingId, 'first_scan', 'e1');
    await settleReturn(runtime, started.execution);
    expect((await readReturn(runtime, started.returnId)).status).toBe('in_transit');
    await scan(started.trackingId, 'delivered_to_warehouse', 'e2', '2026-03-24T15:00:00Z');
    await settleReturn(runtime, started.execution);
    expect((await readReturn(runtime, started.returnId)).status).toBe('awaiting_inspection');
    expect(await ledgerItems(runtime, customerId)).toEqual([]);
    return { ...started, customerId };
  }

  it('pass refunds the order charge once; a second inspection is a 409', async () => {
    const { returnId, execution, customerId } = await atWarehouse('inspect-pass');
    expect((await inspect(runtime, returnId, { result: 'pass' })).statusCode).toBe(200);
    await execution.done;
    expect((await inspect(runtime, returnId, { result: 'pass' })).statusCode).toBe(409);
    const done = await readReturn(runtime, returnId);
    expect(done.status).toBe('refunded');
    expect(done.refund?.amount).toBe(89900);
    expect((await ledgerItems(runtime, customerId))[0]?.refundedTotal).toBe(89900);
  });

  it('fail refunds nothing and tells the customer why', async () => {
    const { returnId, execution, customerId } = await atWarehouse('inspect-fail');
    const answer = await inspect(runtime, returnId, {
      result: 'fail',
      customerMessage: 'The screen has a crack the delivery photos do not show.',
    });
    expect(answer.statusCode).toBe(200);
    await execution.done;
    const done = await readReturn(runtime, returnId);
    expect(done.status).toBe('rejected');
    expect(done.rejection).toBe('inspection_failed');
    expect(await ledgerItems(runtime, customerId)).toEqual([]);
    const messages = await messageCenter(runtime, customerId);
    expect(messages.some((m) => m.body.includes('The screen has a crack'))).toBe(true);
  });

  it('an inspection before the package is at the warehouse is a 409 and changes nothing', async () => {
    const customerId = await customerWith('inspect-early', [tv]);
    const { returnId, execution } = await labelledReturn(customerId, [{ sku: 'TV-55', quantity: 1 }], 'O-5');
    expect((await inspect(runtime, returnId, { result: 'pass' })).statusCode).toBe(409);
    expect((await readReturn(runtime, returnId)).status).toBe('label_created');
    runtime.returnsExecutor?.stop(execution.name);
  });
});

describe('expiry and the webhook', () => {
  it('no scan within the label life: expired, nothing refunded; a late scan changes nothing', async () => {
    const customerId = await customerWith('expire', [mugsAndKettle('O-4')]);
    const { returnId, execution, trackingId } = await labelledReturn(customerId);
    expect(letLabelExpire(runtime, returnId)).toBe(true);
    await execution.done;
    expect((await readReturn(runtime, returnId)).status).toBe('expired');
    expect((await scan(trackingId, 'first_scan', 'late', '2026-04-20T09:00:00Z')).statusCode).toBe(202);
    const after = await readReturn(runtime, returnId);
    expect(after.status).toBe('expired');
    expect(await ledgerItems(runtime, customerId)).toEqual([]);
  });

  it('a bad or stale signature is a 400 and changes nothing; an unknown tracking id is a 404', async () => {
    const customerId = await customerWith('signature', [mugsAndKettle('O-4')]);
    const { returnId, execution, trackingId } = await labelledReturn(customerId);
    const at = '2026-03-21T09:30:00Z';
    const forged = await postCarrierEvent(runtime, {
      trackingId,
      event: 'first_scan',
      at,
      secret: 'not-the-secret',
    });
    const stale = await postCarrierEvent(runtime, {
      trackingId,
      event: 'first_scan',
      at,
      signedAt: Math.floor(Date.now() / 1000) - 301,
    });
    const unsigned = await postCarrierEvent(runtime, {
      trackingId,
      event: 'first_scan',
      at,
      signature: null,
    });
    expect([forged.statusCode, stale.statusCode, unsigned.statusCode]).toEqual([400, 400, 400]);
    expect(forged.body).toMatchObject({ error: { code: 'invalid_signature' } });
    const unchanged = await readReturn(runtime, returnId);
    expect(unchanged.status).toBe('label_created');
    expect(unchanged.carrierEvents).toEqual([]);
    expect(
      (await postCarrierEvent(runtime, { trackingId: 'SIM000000000000000000', event: 'first_scan', at }))
        .statusCode,
    ).toBe(404);
    expect((await postCarrierEvent(runtime, { trackingId, event: 'teleported', at })).statusCode).toBe(400);
    runtime.returnsExecutor?.stop(execution.name);
  });
});

const returnsOf = (customerId: string) =>
  returnsOfCustomer(runtime.documentClient, runtime.tables.returns, customerId);

describe('eligibility when the workflow checks again', () => {
  it('rejects with the rule that fails and creates nothing', async () => {
    const customerId = await customerWith('late', [mugsAndKettle('O-4')]);
    const late = await startReturn(
      runtime,
      customerId,
      { orderId: 'O-4', items: [{ sku: 'MUG-2', quantity: 1 }], reason: 'other' },
      new Date('2026-04-09T14:00:00.001Z'),
    );
    expect(late.rejection).toBe('window_closed');
    const tooMany = await startReturn(
      runtime,
      customerId,
      { orderId: 'O-4', items: [{ sku: 'MUG-2', quantity: 3 }], reason: 'other' },
      NOW,
    );
    expect(tooMany.rejection).toBe('quantity');
    expect(await returnsOf(customerId)).toEqual([]);
  });
});
