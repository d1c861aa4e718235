/**
 * Runs replay scenarios on one embedded runtime (in the replay process, or in each replay worker).
 * A scenario is seeded as soon as it arrives (its namespaced account and its case record, batched
 * with other arrivals), waits for one of `concurrency` execution slots, runs the real workflow on its
 * own clock until it has an outcome, frees the slot, and is reported from its case record.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { executionInput } from '../functions/intake/domain.js';
import { accountItems } from '../functions/shared/accounts.js';
import type { CaseRecord } from '../functions/shared/case-record.js';
import { seedBudget } from '../functions/shared/refund-budget.js';
import { type BatchedIo, batchedIoFor } from './batched-io.js';
import { caseRecordFor, settle } from './cases.js';
import type { LocalExecution } from './executor.js';
import { budgetHistory, ledgerHistoryItems } from './ledger-history.js';
import { runReturnScenario } from './returns-scenario.js';
import type { LocalRuntime } from './runtime.js';
import {
  accountOf,
  type ReplayResult,
  type ReturnReplayResult,
  type ReturnScenario,
  type Scenario,
} from './scenario.js';
import { accountWithStripe } from './stripe-emulator/index.js';

export interface ParsedLine {
  readonly line: number;
  readonly scenario: Scenario | ReturnScenario;
}

export interface RunOptions {
  readonly namespace: string;
  readonly trace: boolean;
  readonly timeoutMs: number;
}

export interface Mismatch {
  readonly id: string;
  readonly line: number;
  readonly field: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

export interface ScenarioReport {
  readonly line: number;
  readonly result: (ReplayResult | ReturnReplayResult) & {
    trace?: string[];
    error?: { error: string; cause: string };
  };
  readonly mismatches: Mismatch[];
  /** From the start of the execution to its outcome (seeding and the report's read excluded). */
  readonly durationMs: number;
  readonly currency: string | null;
}

class Timeout extends Error {
  override readonly name = 'ScenarioTimeout';
}

export class ScenarioRunner {
  private readonly io: BatchedIo;
  private readonly slots: LimitFunction;

  constructor(
    private readonly runtime: LocalRuntime,
    private readonly options: RunOptions,
    /** Executions running at once; more scenarios may be seeded and waiting. */
    concurrency: number,
  ) {
    this.io = batchedIoFor(runtime);
    this.slots = pLimit(Math.max(1, concurrency));
  }

  async run(parsed: ParsedLine): Promise<ScenarioReport> {
    if ('return' in parsed.scenario) {
      const scenario = parsed.scenario;
      const customerId = `${this.options.namespace}${scenario.id}::${scenario.customer.id}`;
      const report = await this.slots(() =>
        runReturnScenario(this.runtime, this.io, scenario, customerId, {
          trace: this.options.trace,
          timeoutMs: this.options.timeoutMs,
        }),
      );
      return {
        line: parsed.line,
        result: report.result,
        mismatches: compare(parsed.line, scenario.expect ?? {}, scenario.id, report.result),
        durationMs: report.durationMs,
        currency: report.currency,
      };
    }
    return this.runMessage({ line: parsed.line, scenario: parsed.scenario });
  }

  private async runMessage({
    line,
    scenario,
  }: {
    line: number;
    scenario: Scenario;
  }): Promise<ScenarioReport> {
    const customerId = `${this.options.namespace}${scenario.id}::${scenario.customer.id}`;
    const record = caseRecordFor({
      customerId,
      message: scenario.message,
      ...(scenario.orderId ? { orderId: scenario.orderId } : {}),
      ...(scenario.callbackPhone ? { callbackPhone: scenario.callbackPhone } : {}),
      ...(scenario.now ? { now: new Date(scenario.now) } : {}),
    });
    // With paymentProvider=stripe the account exists in the emulator too (in-process, no HTTP).
    const account = accountWithStripe(this.runtime.stripe, accountOf(scenario, customerId));
    // As intake does: the case record exists before its execution starts.
    await Promise.all([
      this.io.put(this.runtime.tables.accounts, accountItems(account)),
      this.io.put(this.runtime.tables.cases, [record]),
      ...(scenario.ledger.length > 0
        ? [this.io.put(this.runtime.tables.refundLedger, ledgerHistoryItems(customerId, scenario.ledger))]
        : []),
    ]);
    const { execution, durationMs, timedOut } = await this.slots(async () => {
      // The budget is shared by every scenario of the run: history joins it only when this scenario's turn comes,
      // so with --concurrency 1 a later line's history never counts for an earlier line.
      for (const [currency, entries] of budgetHistory(customerId, scenario.ledger))
        await seedBudget(this.runtime.documentClient, this.runtime.tables.refundBudgets, currency, entries);
      return this.execute(record);
    });
    const stored = (await this.io.readCase(record.caseId)) as CaseRecord | undefined;
    if (!stored) throw new Error(`Case ${record.caseId} not found`);
    await execution.done;
    const result: ScenarioReport['result'] = resultOf(scenario.id, stored);
    if (this.options.trace) {
      result.trace = execution.events
        .filter((event) => event.type === 'StateEntered' && event.state)
        .map((event) => event.state?.name ?? '');
    }
    if (timedOut) {
      result.error = { error: 'ScenarioTimeout', cause: `no outcome within ${this.options.timeoutMs} ms` };
    } else if ((execution.status === 'FAILED' || execution.status === 'TIMED_OUT') && execution.error) {
      result.error = execution.error;
    }
    this.runtime.executor.forget(execution.name);
    // Bounded memory over long replays, as the executor forgets the execution.
    if (account.profile.stripeCustomerId)
      this.runtime.stripe?.store.forgetCustomer(account.profile.stripeCustomerId);
    return {
      line,
      result,
      mismatches: compare(line, scenario.expect ?? {}, scenario.id, result),
      durationMs,
      currency: stored.currency ?? null,
    };
  }

  /** Runs the execution until it has an outcome: finished, or handed to a person (then stopped). */
  private async execute(
    record: CaseRecord,
  ): Promise<{ execution: LocalExecution; durationMs: number; timedOut: boolean }> {
    const started = performance.now();
    const execution = this.runtime.executor.start(record.caseId, executionInput(record));
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    try {
      const waiting = await Promise.race([
        settle(this.runtime, execution),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Timeout()), this.options.timeoutMs);
        }),
      ]);
      // Handed to a person: reported now, as the callback request is dispatched; nobody will answer.
      if (waiting) this.runtime.executor.stop(execution.name);
    } catch (e) {
      if (!(e instanceof Timeout)) throw e;
      this.runtime.executor.stop(execution.name);
      timedOut = true;
    } finally {
      clearTimeout(timer);
    }
    return { execution, durationMs: performance.now() - started, timedOut };
  }
}

function resultOf(id: string, record: CaseRecord): ReplayResult {
  const outcome = record.outcome ?? null;
  return {
    id,
    caseId: record.caseId,
    intent: record.intent ?? null,
    outcome,
    reason: record.reason ?? null,
    refundedChargeIds: record.refundedChargeIds ?? [],
    refundedAmount: record.refundedAmount ?? 0,
    handoffQueue: outcome === 'human_handoff' ? (record.handoffQueue ?? null) : null,
    callbackOffered: record.callbackOffered ?? false,
  };
}

function compare(
  line: number,
  expect: object,
  id: string,
  result: ReplayResult | ReturnReplayResult,
): Mismatch[] {
  const mismatches: Mismatch[] = [];
  for (const [field, expected] of Object.entries(expect)) {
    if (expected === undefined) continue;
    const actual = (result as Record<string, unknown>)[field];
    if (JSON.stringify(expected) !== JSON.stringify(actual))
      mismatches.push({ id, line, field, expected, actual });
  }
  return mismatches;
}
