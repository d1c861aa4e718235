/**
 * Replay (POLICY.md "Replay format"): every scenario of a JSON-lines file through the embedded
 * runtime's real workflow, isolated from the others, with bounded concurrency and the results in
 * input order. Used by `npm run replay` (scripts/replay.ts), the tests and the benchmark.
 */
import { fork } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { progress } from '../cli/progress.js';
import { PROJECT_ROOT } from '../lib/paths.js';
import type { LocalRuntime, LocalRuntimeOptions, TableRole } from './runtime.js';
import { describeIssues, isReturnLine, returnScenarioSchema, scenarioSchema } from './scenario.js';
import {
  type Mismatch,
  type ParsedLine,
  type RunOptions,
  type ScenarioReport,
  ScenarioRunner,
} from './scenario-runner.js';
import { startDynamoServer } from './table-endpoints.js';

export type { Mismatch, ScenarioReport } from './scenario-runner.js';

export const EXIT = { ok: 0, mismatch: 1, unreadable: 2 } as const;

export interface ReplayOptions {
  /** The JSON-lines file. */
  readonly input: string;
  /** Adds `trace: [state names entered]` to each output line. */
  readonly trace?: boolean;
  /** Executions in flight at once, across all workers (as many more are seeded ahead). @default 48 */
  readonly concurrency?: number;
  /** A running runtime to use (tests, benchmark); else replay starts its own and stops it. */
  readonly runtime?: LocalRuntime;
  /**
   * Options for the runtime replay starts itself (in-process only: functions cannot cross
   * processes). @default `{ handlerThread: true }`: the handlers run on a thread of their own.
   */
  readonly runtimeOptions?: LocalRuntimeOptions;
  /**
   * Processes, each with its own runtime (one runtime per process) and its handler thread: a
   * runtime keeps two cores busy. They share one daily refund budget, which this process serves.
   * At most `concurrency` (one execution each at least); ignored when `runtime` is given.
   * @default 1 below 500 scenarios, else half the cores (at least 1, at most 4)
   */
  readonly workers?: number;
  /** CDK context overrides for the runtime(s) replay starts (`-c refundHub:paymentProvider=stripe`). */
  readonly context?: Record<string, unknown>;
  /** Prefix of every namespaced customer id, to replay the same file twice on one runtime. @default '' */
  readonly namespace?: string;
  /** Where result lines go. @default process.stdout */
  readonly stdout?: NodeJS.WritableStream;
  /** Where progress, the summary and input errors go. @default process.stderr */
  readonly stderr?: NodeJS.WritableStream;
  /** Progress bar: `auto` shows it when stderr is a TTY or the file has more than 200 scenarios. @default 'auto' */
  readonly progress?: boolean | 'auto';
  /** Prints the summary table on stderr. @default true */
  readonly summary?: boolean;
  /** Longest a scenario may take before it is stopped and reported as failed. @default 60000 */
  readonly scenarioTimeoutMs?: number;
  /**
   * Compares each result with its scenario's `expect` (a mismatch exits 1). A what-if pass sets it false: a changed
   * configuration is meant to change outcomes, so the expectations are skipped and the summary says so. @default true
   */
  readonly expectations?: boolean;
  /** Called for each scenario once it is reported (the benchmark's per-case timings). */
  readonly onResult?: (result: ScenarioReport) => void;
}

export interface ReplaySummary {
  readonly exitCode: number;
  readonly scenarios: number;
  readonly elapsedMs: number;
  readonly byOutcome: ReadonlyMap<string, number>;
  readonly refundedByCurrency: ReadonlyMap<string, number>;
  readonly mismatches: readonly Mismatch[];
  /** False when `expectations: false` skipped them (then `mismatches` is empty). */
  readonly expectationsChecked: boolean;
  readonly failures: readonly { id: string; line: number; error: string }[];
  /** Input problems (exit 2), `line N: ...`. */
  readonly inputErrors: readonly string[];
}

const MAX_INPUT_ERRORS = 20;
/**
 * Executions in flight: enough that the handler thread always has work while the main thread runs
 * the state machine and the emulators (24 left the threads waiting on each other: 8% slower).
 */
export const DEFAULT_CONCURRENCY = 48;

/** Reads the file line by line: each non-blank line parsed and validated, blank lines skipped. */
async function* scenarios(file: string, errors: string[]): AsyncGenerator<ParsedLine> {
  const lines = createInterface({
    input: createReadStream(file, { encoding: 'utf8' }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let line = 0;
  for await (const text of lines) {
    line += 1;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      errors.push(`line ${line}: not valid JSON (${(error as Error).message})`);
      continue;
    }
    if (isReturnLine(value)) {
      const parsedReturn = returnScenarioSchema.safeParse(value);
      if (!parsedReturn.success) {
        errors.push(`line ${line}: ${describeIssues(parsedReturn.error)}`);
        continue;
      }
      yield { line, scenario: parsedReturn.data };
      continue;
    }
    const parsed = scenarioSchema.safeParse(value);
    if (!parsed.success) {
      errors.push(`line ${line}: ${describeIssues(parsed.error)}`);
      continue;
    }
    yield { line, scenario: parsed.data };
  }
}

/** First pass: is every line readable, are ids unique; how many scenarios. Nothing runs otherwise. */
async function check(file: string): Promise<{ count: number; errors: string[] }> {
  const errors: string[] = [];
  try {
    await access(file);
  } catch (error) {
    return { count: 0, errors: [`cannot read ${file}: ${(error as Error).message}`] };
  }
  const firstLine = new Map<string, number>();
  let count = 0;
  for await (const { line, scenario } of scenarios(file, errors)) {
    count += 1;
    const first = firstLine.get(scenario.id);
    if (first !== undefined)
      errors.push(`line ${line}: id: "${scenario.id}" is already used on line ${first}`);
    else firstLine.set(scenario.id, line);
    if (errors.length >= MAX_INPUT_ERRORS) break;
  }
  return { count, errors };
}

/** Writes to a stream, waiting for `drain` when its buffer is full (a slow pipe must not grow memory). */
function writer(stream: NodeJS.WritableStream) {
  return async (text: string) => {
    if (!stream.write(text)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
  };
}

function progressBar(stream: NodeJS.WritableStream, total: number, mode: boolean | 'auto') {
  const tty = Boolean((stream as { isTTY?: boolean }).isTTY);
  return progress(stream, total, mode === 'auto' ? tty || total > 200 : mode, { unit: 'cases' });
}

function formatMoney(amount: number, currency: string): string {
  try {
    const format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return `${format.format(amount / 10 ** digits)} (${amount} minor units)`;
  } catch {
    return `${amount} ${currency} minor units`;
  }
}

export function renderSummary(summary: ReplaySummary): string {
  const lines: string[] = [];
  const seconds = summary.elapsedMs / 1000;
  lines.push(
    '',
    `Replayed ${summary.scenarios} scenario(s) in ${seconds.toFixed(1)} s (${(summary.scenarios / Math.max(seconds, 0.001)).toFixed(0)} cases/s)`,
    '',
    '| outcome | reason | count |',
    '|---|---|---:|',
  );
  const rows = [...summary.byOutcome.entries()].sort(([a], [b]) => a.localeCompare(b));
  for (const [key, count] of rows) {
    const [outcome, reason] = key.split('\u0000');
    lines.push(`| ${outcome} | ${reason} | ${count} |`);
  }
  const refunded = [...summary.refundedByCurrency.entries()];
  lines.push(
    '',
    `Total refunded: ${refunded.length === 0 ? '0' : refunded.map(([c, a]) => formatMoney(a, c)).join(', ')}`,
  );
  if (summary.failures.length > 0) {
    lines.push('', `Failed executions: ${summary.failures.length}`);
    for (const f of summary.failures.slice(0, 20)) lines.push(`  line ${f.line} ${f.id}: ${f.error}`);
  }
  if (!summary.expectationsChecked) {
    lines.push('Expectations (expect): not checked');
  } else if (summary.mismatches.length === 0) {
    lines.push('Mismatches against expect: 0');
  } else {
    lines.push('', `Mismatches against expect: ${summary.mismatches.length}`, '');
    lines.push('| id | field | expected | actual |', '|---|---|---|---|');
    for (const m of summary.mismatches.slice(0, 50)) {
      lines.push(`| ${m.id} | ${m.field} | ${JSON.stringify(m.expected)} | ${JSON.stringify(m.actual)} |`);
    }
    if (summary.mismatches.length > 50) lines.push(`... and ${summary.mismatches.length - 50} more`);
  }
  return `${lines.join('\n')}\n`;
}

interface Runner {
  run(parsed: ParsedLine): Promise<ScenarioReport>;
  stop(): Promise<void>;
}

async function inProcess(
  given: LocalRuntime | undefined,
  runtimeOptions: LocalRuntimeOptions | undefined,
  runOptions: RunOptions,
  concurrency: number,
): Promise<Runner> {
  let runtime = given;
  if (!runtime) {
    const { startLocalRuntime } = await import('./runtime.js');
    runtime = await startLocalRuntime(runtimeOptions);
  }
  const own = runtime !== given;
  const runner = new ScenarioRunner(runtime, runOptions, concurrency);
  return {
    run: (parsed) => runner.run(parsed),
    stop: async () => {
      if (own) await runtime.stop();
    },
  };
}

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'result'; id: number; report: ScenarioReport }
  | { type: 'error'; id: number; message: string };

/**
 * Tables that are one for the whole run, served by the replay process to all workers: the daily refund budget (rule 8)
 * counts the automatic refunds of all cases together, so the workers' guardrail handlers reserve it in one table with
 * the same conditional UpdateItem as on AWS. Everything else a case touches is its own (its namespaced customer, its
 * ledger lines, its case id), so each worker keeps it in its own runtime.
 */
const SHARED_TABLES: readonly TableRole[] = ['refundBudgets'];

/**
 * Worker processes (local/replay-worker.ts), each with its own runtime; a scenario goes to the least busy. The
 * executions in flight are split between them (`concurrency` in all), so `--concurrency 1` still runs one at a time.
 */
async function startWorkers(
  count: number,
  runOptions: RunOptions,
  concurrency: number,
  context: Record<string, unknown>,
): Promise<Runner> {
  const workerPath = fileURLToPath(new URL('./replay-worker.ts', import.meta.url));
  // Under tsx the loader is already in execArgv; anywhere else, add it.
  const execArgv = process.execArgv.filter((a) => !a.startsWith('--cpu-prof'));
  if (!execArgv.some((a) => a.includes('tsx'))) execArgv.push('--import', 'tsx');
  // A replay allocates fast and keeps little: a larger young generation means fewer, cheaper
  // scavenges (about 4% of a worker's CPU).
  if (!execArgv.some((a) => a.startsWith('--max-semi-space-size'))) execArgv.push('--max-semi-space-size=64');
  const shared = await startDynamoServer();
  const tableEndpoints = Object.fromEntries(SHARED_TABLES.map((role) => [role, shared.endpoint]));
  const pending = new Map<number, { resolve(r: ScenarioReport): void; reject(e: Error): void }>();
  let nextId = 0;
  const starting = Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const slots = Math.floor(concurrency / count) + (index < concurrency % count ? 1 : 0);
      const child = fork(
        workerPath,
        [JSON.stringify(runOptions), String(slots), JSON.stringify(context), JSON.stringify(tableEndpoints)],
        {
          cwd: PROJECT_ROOT,
          execArgv,
          // A handler's logs must never reach replay's stdout.
          stdio: ['ignore', 2, 2, 'ipc'],
        },
      );
      const worker = { child, inFlight: 0, exited: false };
      await new Promise<void>((resolve, reject) => {
        child.on('message', (message: WorkerMessage) => {
          if (message.type === 'ready') return resolve();
          const waiter = pending.get(message.id);
          if (!waiter) return;
          pending.delete(message.id);
          worker.inFlight -= 1;
          if (message.type === 'result') waiter.resolve(message.report);
          else waiter.reject(new Error(message.message));
        });
        child.once('exit', (code) => {
          worker.exited = true;
          reject(new Error(`a replay worker exited with code ${code} before it was ready`));
          for (const [id, waiter] of pending) {
            pending.delete(id);
            waiter.reject(new Error(`a replay worker exited with code ${code}`));
          }
        });
      });
      return worker;
    }),
  );
  // A worker that cannot start fails the replay: the shared table's server goes with it.
  const workers = await starting.catch(async (error: Error) => {
    await shared.stop();
    throw error;
  });
  return {
    run: (parsed) =>
      new Promise<ScenarioReport>((resolve, reject) => {
        const worker = workers.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
        if (worker.exited) return reject(new Error('a replay worker has exited'));
        const id = nextId++;
        pending.set(id, { resolve, reject });
        worker.inFlight += 1;
        worker.child.send({ type: 'run', id, parsed });
      }),
    stop: async () => {
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((resolve) => {
              if (w.exited) return resolve();
              w.child.once('exit', () => resolve());
              w.child.send({ type: 'stop' });
            }),
        ),
      );
      await shared.stop();
    },
  };
}

/** A runtime keeps about two cores busy: its main thread and its handler thread. */
export function defaultWorkers(): number {
  return Math.min(4, Math.max(1, Math.floor(availableParallelism() / 2)));
}

/** Replays a file. Resolves to the summary; its `exitCode` is 0, 1 (mismatch or failure) or 2 (unreadable). */
export async function replay(options: ReplayOptions): Promise<ReplaySummary> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const started = performance.now();
  const empty = {
    scenarios: 0,
    byOutcome: new Map(),
    refundedByCurrency: new Map(),
    mismatches: [],
    expectationsChecked: options.expectations ?? true,
    failures: [],
  };

  const checked = await check(options.input);
  if (checked.errors.length > 0) {
    for (const error of checked.errors) stderr.write(`${error}\n`);
    if (checked.errors.length >= MAX_INPUT_ERRORS) stderr.write('(stopped after 20 problems)\n');
    return {
      ...empty,
      exitCode: EXIT.unreadable,
      elapsedMs: performance.now() - started,
      inputErrors: checked.errors,
    };
  }

  const runOptions: RunOptions = {
    namespace: options.namespace ?? '',
    trace: options.trace ?? false,
    timeoutMs: options.scenarioTimeoutMs ?? 60_000,
  };
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  // A worker without an execution slot would only wait: never more workers than executions in flight.
  const workers = options.runtime
    ? 1
    : Math.min(concurrency, Math.max(1, options.workers ?? (checked.count >= 500 ? defaultWorkers() : 1)));
  const runner =
    workers > 1 && !options.runtimeOptions
      ? await startWorkers(workers, runOptions, concurrency, options.context ?? {})
      : await inProcess(
          options.runtime,
          options.runtimeOptions ?? {
            handlerThread: true,
            ...(options.context ? { context: options.context } : {}),
          },
          runOptions,
          concurrency,
        );
  const runStarted = performance.now();

  // Besides the scenarios executing, as many again are handed out ahead, so runners seed them while
  // others run. They are handed out in bursts: scenarios that arrive together are seeded together
  // (a few BatchWriteItem calls for a burst, not two calls per scenario).
  const inFlight = concurrency * 2;
  const burst = concurrency;
  const window = inFlight * 4;
  const write = writer(stdout);
  const progress = progressBar(stderr, checked.count, options.progress ?? 'auto');
  const byOutcome = new Map<string, number>();
  const refundedByCurrency = new Map<string, number>();
  const mismatches: Mismatch[] = [];
  const failures: { id: string; line: number; error: string }[] = [];
  // Results wait here until every earlier one is written: output order is input order.
  const finished = new Map<number, ScenarioReport | Error>();
  let nextToWrite = 0;
  let active = 0;
  let written = 0;
  let fatal: Error | undefined;
  let wake: (() => void) | undefined;
  const signal = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const changed = () => new Promise<void>((resolve) => (wake = resolve));

  let flushing = Promise.resolve();
  const flush = () => {
    flushing = flushing.then(async () => {
      for (let next = finished.get(nextToWrite); next !== undefined; next = finished.get(nextToWrite)) {
        finished.delete(nextToWrite);
        nextToWrite += 1;
        if (next instanceof Error) {
          fatal ??= next;
          continue;
        }
        const { result, mismatches: found, currency } = next;
        // A return is counted by its status and policy (or its rejection), beside the messages' outcomes.
        const key =
          'returnStatus' in result
            ? `return ${result.returnStatus ?? 'not created'}\u0000${result.refundPolicy ?? result.rejection ?? 'none'}`
            : `${result.outcome ?? 'none'}\u0000${result.reason ?? 'none'}`;
        byOutcome.set(key, (byOutcome.get(key) ?? 0) + 1);
        if (result.refundedAmount > 0) {
          const c = currency ?? 'unknown';
          refundedByCurrency.set(c, (refundedByCurrency.get(c) ?? 0) + result.refundedAmount);
        }
        if (options.expectations ?? true) mismatches.push(...found);
        if (result.error) failures.push({ id: result.id, line: next.line, error: result.error.cause });
        options.onResult?.(next);
        await write(`${JSON.stringify(result)}\n`);
        written += 1;
        progress.update(written);
      }
      signal();
    });
  };

  const streamErrors: string[] = [];
  let index = 0;
  try {
    for await (const parsed of scenarios(options.input, streamErrors)) {
      if (active >= inFlight || index - nextToWrite >= window) {
        while (!fatal && (active > inFlight - burst || index - nextToWrite >= window)) await changed();
      }
      if (fatal) break;
      const at = index;
      index += 1;
      active += 1;
      runner.run(parsed).then(
        (report) => {
          active -= 1;
          finished.set(at, report);
          flush();
        },
        (error: Error) => {
          active -= 1;
          finished.set(at, new Error(`line ${parsed.line} (${parsed.scenario.id}): ${error.message}`));
          flush();
        },
      );
    }
    while (nextToWrite < index) await changed();
    await flushing;
  } finally {
    progress.end();
    await runner.stop();
  }
  if (fatal) throw fatal;
  if (streamErrors.length > 0) throw new Error(`the input changed while replaying: ${streamErrors[0]}`);

  const summary: ReplaySummary = {
    exitCode: mismatches.length > 0 || failures.length > 0 ? EXIT.mismatch : EXIT.ok,
    scenarios: written,
    elapsedMs: performance.now() - runStarted,
    byOutcome,
    refundedByCurrency,
    mismatches,
    expectationsChecked: options.expectations ?? true,
    failures,
    inputErrors: [],
  };
  if (options.summary ?? true) stderr.write(renderSummary(summary));
  return summary;
}
