/**
 * One benchmark measurement in its own process (one embedded runtime per process):
 *
 *   tsx bench/child.ts replay FILE CONCURRENCY [WORKERS|auto] [inline]
 *                                                the real workflow: `replay()` on the file, with
 *                                                replay's default workers (`auto`) or N; `inline`
 *                                                keeps the handlers on the main thread
 *   tsx bench/child.ts floor FILE CONCURRENCY    the same definition, every Task a no-op that
 *                                                returns a minimal valid output (no I/O), so the
 *                                                same paths run: the executor's own cost
 *
 * Prints one JSON line: `{ mode, cases, seconds, casesPerSecond, p50, p99, mismatches, failed }`.
 */
import '../local/quiet.js';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { assessBilling } from '../functions/compare-billing/domain.js';
import { executionInput, newCaseRecord } from '../functions/intake/domain.js';
import { orderFacts, selectOrder } from '../functions/load-account/domain.js';
import { settle } from '../local/cases.js';
import type { LambdaHandler } from '../local/executor.js';
import { DEFAULT_CONCURRENCY, replay } from '../local/replay.js';
import { startLocalRuntime } from '../local/runtime.js';
import { type Scenario, scenarioSchema } from '../local/scenario.js';
import { CLASSIFICATIONS } from './generate.js';
import { type ChildResult, childResult } from './stats.js';

const [mode, file, concurrencyText, workersText, placement] = process.argv.slice(2);
const concurrency = Number(concurrencyText ?? DEFAULT_CONCURRENCY);
const workers = workersText === undefined || workersText === 'auto' ? undefined : Number(workersText);

async function measureReplay(): Promise<ChildResult> {
  const durations: number[] = [];
  const sink = new Writable({ write: (_chunk, _enc, cb) => cb() });
  const summary = await replay({
    input: file as string,
    concurrency,
    ...(workers === undefined ? {} : { workers }),
    ...(placement === 'inline' ? { runtimeOptions: { handlerThread: false } } : {}),
    stdout: sink,
    progress: false,
    summary: false,
    onResult: (r) => durations.push(r.durationMs),
  });
  return childResult('replay', durations, summary.elapsedMs / 1000, {
    mismatches: summary.mismatches.length,
    failed: summary.failures.length,
  });
}

/** Each step's minimal valid output, computed from the scenario in memory (no DynamoDB, no SNS). */
function noopHandlers(byCustomer: Map<string, Scenario>) {
  const outputs: Record<string, (event: Record<string, unknown>) => unknown> = {
    'functions/classify/handler.ts': (e) => {
      const classification = CLASSIFICATIONS[String(e.message)];
      if (!classification) throw new Error(`No canned classification for ${String(e.message)}`);
      return classification;
    },
    'functions/load-account/handler.ts': (e) => {
      const s = byCustomer.get(String(e.customerId));
      return {
        profile: { phone: s?.customer.phone ?? null },
        subscriptions: s?.subscriptions ?? [],
        charges: s?.charges ?? [],
        order: orderFacts(
          selectOrder(s?.orders ?? [], (e.orderId as string | null) ?? null),
          String(e.requestedAt),
        ),
      };
    },
    'functions/compare-billing/handler.ts': (e) =>
      assessBilling(e.subscriptions as never, e.charges as never),
    'functions/issue-refund/handler.ts': (e) => {
      const charges = e.charges as { chargeId: string; amount: number }[];
      return {
        refundedChargeIds: charges.map((c) => c.chargeId),
        refundedAmount: charges.reduce((sum, c) => sum + c.amount, 0),
        skippedChargeIds: [],
      };
    },
    'functions/request-human/handler.ts': () => ({ dispatched: true, queue: 'general', priority: 'normal' }),
    'functions/record-outcome/handler.ts': () => ({ status: 'resolved' }),
  };
  return (entry: string, real: LambdaHandler): LambdaHandler => {
    const output = outputs[entry];
    return output ? async (event) => output(event as Record<string, unknown>) : real;
  };
}

async function measureFloor(): Promise<ChildResult> {
  const scenarios = readFileSync(file as string, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => scenarioSchema.parse(JSON.parse(l)));
  const byCustomer = new Map<string, Scenario>();
  const runtime = await startLocalRuntime({ wrapHandler: noopHandlers(byCustomer) });
  const durations: number[] = [];
  let failed = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < scenarios.length; i = next++) {
        const scenario = scenarios[i] as Scenario;
        const t0 = performance.now();
        const customerId = `${scenario.id}::${scenario.customer.id}`;
        byCustomer.set(customerId, scenario);
        const record = newCaseRecord(
          `case-${i}`,
          customerId,
          {
            message: scenario.message,
            ...(scenario.orderId ? { orderId: scenario.orderId } : {}),
            ...(scenario.callbackPhone ? { callbackPhone: scenario.callbackPhone } : {}),
          },
          scenario.now ? new Date(scenario.now) : new Date(),
        );
        const execution = runtime.executor.start(record.caseId, executionInput(record));
        if (await settle(runtime, execution)) runtime.executor.stop(execution.name);
        await execution.done;
        if (execution.status === 'FAILED') failed += 1;
        runtime.executor.forget(execution.name);
        durations.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await runtime.stop();
  return childResult('floor', durations, seconds, { mismatches: 0, failed });
}

if (mode === 'replay' || mode === 'floor') {
  const result = mode === 'replay' ? await measureReplay() : await measureFloor();
  process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
} else if (mode !== undefined) {
  process.stderr.write('usage: tsx bench/child.ts replay|floor FILE CONCURRENCY\n');
  process.exit(2);
}
