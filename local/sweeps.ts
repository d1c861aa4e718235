/**
 * The case sweeper on the embedded runtime, as the schedule runs it on AWS: its real handler, once
 * at start-up and then every `sweeperScheduleMinutes`. The executor is in memory, so after a restart
 * no execution of an earlier run exists: the start-up sweep (before the API takes requests, so no
 * intake is in flight) passes a grace period of 0 and every open case is started again at once. It
 * reads the table itself rather than the status index, which dynalite does not keep crash-consistent.
 */
import { lambdaContext } from './lambda-context.js';
import type { LocalRuntime } from './runtime.js';

export const SWEEPER_ENTRY = 'functions/sweeper/handler.ts';

export interface SweepSummary {
  readonly examined: number;
  readonly started: number;
  readonly markedNeedsAttention: number;
}

export interface CaseSweeps {
  /** The start-up sweep's result. */
  readonly initial: SweepSummary;
  stop(): void;
}

const SWEEP_TIMEOUT_MS = 120_000;

export async function startCaseSweeps(
  runtime: LocalRuntime,
  options: { readonly intervalMs?: number; readonly onError?: (message: string) => void } = {},
): Promise<CaseSweeps> {
  const handler = runtime.handler(SWEEPER_ENTRY);
  const sweep = (event: Record<string, unknown>) =>
    handler(event, lambdaContext('CaseSweeper', SWEEP_TIMEOUT_MS)) as Promise<SweepSummary>;
  let initial: SweepSummary = { examined: 0, started: 0, markedNeedsAttention: 0 };
  try {
    initial = await sweep({ gracePeriodSeconds: 0, scanTable: true });
  } catch (error) {
    // The API still starts; the periodic sweeps go on with the cases this one could not finish.
    options.onError?.(`the start-up sweep failed: ${(error as Error).message}`);
  }

  let running = false;
  const timer = setInterval(
    () => {
      if (running) return;
      running = true;
      // The schedule's own event: the configured grace period, the status index.
      sweep({})
        .catch((error: Error) => {
          if (/does not have the specified index/.test(error.message)) {
            // dynalite cannot add an index to a table it already has.
            clearInterval(timer);
            options.onError?.(
              'this --data-dir predates the cases status index: periodic sweeps are off (the start-up sweep still runs); use a new --data-dir',
            );
          } else options.onError?.(error.stack ?? error.message);
        })
        .finally(() => {
          running = false;
        });
    },
    options.intervalMs ?? runtime.topology.config.sweeperScheduleMinutes * 60_000,
  );
  timer.unref();
  return { initial, stop: () => clearInterval(timer) };
}
