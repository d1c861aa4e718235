/**
 * Replays one return scenario (POLICY v2 "Replay format"): the account, the earlier returns and ledger lines are
 * seeded; the return is decided and started at the scenario's `now`; each carrier event goes through the real
 * signed webhook in order. The scenario's clock also runs the label's life: an event after the label expired
 * arrives too late, and a return never scanned by its last event expires (its label's life passes, instantly).
 * Reported once the last event is handled (or at `awaiting_inspection`, unless an inspection is scripted); no
 * execution is left running.
 */
import { createHash } from 'node:crypto';
import type { ReturnRecord } from '../functions/returns-core/domain.js';
import { accountItems } from '../functions/shared/accounts.js';
import { toEpochMs } from '../functions/shared/instants.js';
import type { BatchedIo } from './batched-io.js';
import {
  inspect,
  letLabelExpire,
  postCarrierEvent,
  readReturn,
  returnsExecutorOf,
  settleReturn,
  startReturn,
} from './returns.js';
import type { LocalRuntime } from './runtime.js';
import { accountOf, type ReturnReplayResult, type ReturnScenario } from './scenario.js';

export interface ReturnScenarioReport {
  readonly result: ReturnReplayResult & { trace?: string[]; error?: { error: string; cause: string } };
  readonly durationMs: number;
  readonly currency: string | null;
}

const hashed = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

/** Earlier returns as stored returns (refunded ones: they took their items back). */
function historyItems(scenario: ReturnScenario, customerId: string): ReturnRecord[] {
  return scenario.returns.map((earlier, index) => {
    const currency = scenario.orders.find((o) => o.id === earlier.orderId)?.currency ?? 'USD';
    return {
      returnId: `ret-${hashed(`${customerId}\u0000history\u0000${index}`)}`,
      customerId,
      orderId: earlier.orderId,
      items: earlier.items,
      reason: 'other',
      status: 'refunded',
      refundPolicy: 'refund_at_first_scan',
      refundAmount: 0,
      currency,
      createdAt: earlier.at,
      updatedAt: earlier.at,
      requestFingerprint: 'replay-history',
      timeline: [{ at: earlier.at, status: 'refunded', note: 'An earlier return (replay history).' }],
    };
  });
}

/** Earlier ledger lines, one item per charge, as the ledger stores them. */
function ledgerHistory(scenario: ReturnScenario, customerId: string): Record<string, unknown>[] {
  const byCharge = new Map<string, Record<string, unknown>>();
  scenario.ledger.forEach((line, index) => {
    const item = byCharge.get(line.chargeId) ?? {
      customerId,
      chargeId: line.chargeId,
      refundedTotal: 0,
      currency: line.currency,
    };
    item.refundedTotal = (item.refundedTotal as number) + line.amount;
    item[`case:history-${index}`] = {
      amount: line.amount,
      source: line.source,
      at: line.at,
      status: 'succeeded',
      provider: 'ledger',
      idempotencyKey: `replay-history-${index}`,
      attempt: 1,
    };
    byCharge.set(line.chargeId, item);
  });
  return [...byCharge.values()];
}

export async function runReturnScenario(
  runtime: LocalRuntime,
  io: BatchedIo,
  scenario: ReturnScenario,
  customerId: string,
  options: { readonly trace: boolean; readonly timeoutMs: number },
): Promise<ReturnScenarioReport> {
  await Promise.all([
    io.put(runtime.tables.accounts, accountItems(accountOf(scenario, customerId))),
    io.put(runtime.tables.returns, historyItems(scenario, customerId)),
    io.put(runtime.tables.refundLedger, ledgerHistory(scenario, customerId)),
  ]);
  const started = performance.now();
  const now = scenario.now ? new Date(scenario.now) : new Date();
  const begun = await startReturn(runtime, customerId, scenario.return, now);
  if (begun.rejection !== null) {
    return {
      result: {
        id: scenario.id,
        returnId: null,
        returnStatus: null,
        refundPolicy: null,
        refundedChargeIds: [],
        refundedAmount: 0,
        rejection: begun.rejection,
      },
      durationMs: performance.now() - started,
      currency: null,
    };
  }
  const { returnId, execution } = begun;
  const executor = returnsExecutorOf(runtime);
  try {
    await settleReturn(runtime, execution, options.timeoutMs);
    for (const [index, carrierEvent] of scenario.carrierEvents.entries()) {
      const record = await readReturn(runtime, returnId);
      if (!record.label) break;
      // The scenario's clock passed the label's life before this event: the label expired first.
      if (
        record.status === 'label_created' &&
        toEpochMs(carrierEvent.at) > toEpochMs(record.label.expiresAt)
      ) {
        letLabelExpire(runtime, returnId);
        await settleReturn(runtime, execution, options.timeoutMs);
      }
      await postCarrierEvent(runtime, {
        trackingId: record.label.trackingId,
        event: carrierEvent.event,
        at: carrierEvent.at,
        eventId: `${scenario.id}-${index}`,
      });
      await settleReturn(runtime, execution, options.timeoutMs);
    }
    let record = await readReturn(runtime, returnId);
    // Nothing more will come from the carrier: a label never scanned runs out its life.
    if (record.status === 'label_created' && letLabelExpire(runtime, returnId)) {
      await settleReturn(runtime, execution, options.timeoutMs);
      record = await readReturn(runtime, returnId);
    }
    if (record.status === 'awaiting_inspection' && scenario.inspection) {
      await inspect(runtime, returnId, scenario.inspection, 'arn:aws:iam::000000000000:user/replay-agent');
      await settleReturn(runtime, execution, options.timeoutMs);
    }
  } finally {
    // Replay does not wait for an agent or a carrier beyond the scenario: nothing is left running.
    executor.stop(execution.name);
    await execution.done;
  }
  const record = await readReturn(runtime, returnId);
  const refunded =
    record.refund && record.refund.amount > 0 && record.refund.chargeId ? record.refund : undefined;
  const result: ReturnScenarioReport['result'] = {
    id: scenario.id,
    returnId,
    returnStatus: record.status,
    refundPolicy: record.refundPolicy,
    refundedChargeIds: refunded?.chargeId ? [refunded.chargeId] : [],
    refundedAmount: refunded?.amount ?? 0,
    rejection: record.rejection ?? null,
  };
  if (options.trace) {
    result.trace = execution.events
      .filter((event) => event.type === 'StateEntered' && event.state)
      .map((event) => event.state?.name ?? '');
  }
  // Handed to a person (the fail-safe's Fail state) is an outcome of the return, not a failed replay.
  if (execution.status === 'FAILED' && execution.error && execution.error.error !== 'ReturnNeedsAttention')
    result.error = execution.error;
  executor.forget(execution.name);
  return { result, durationMs: performance.now() - started, currency: record.currency };
}
