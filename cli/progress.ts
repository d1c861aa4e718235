/**
 * One progress display for the long-running commands (replay, import), on stderr. On a terminal it is a
 * cli-progress bar; elsewhere (a log, CI) a plain line at every `plainEvery` fraction of the work, or nothing
 * when disabled (`--no-progress`).
 */
import { SingleBar } from 'cli-progress';

export interface Progress {
  update(done: number): void;
  end(): void;
}

export interface ProgressOptions {
  /** What is counted, e.g. "cases" or "imported". */
  readonly unit: string;
  /** Plain-line mode prints one line per this fraction of the total (default 0.1). */
  readonly plainEvery?: number;
  /** Plain line's wording; default `${unit} done/total (n/s)`. */
  readonly plainLine?: (done: number, total: number, ratePerSecond: number) => string;
}

export function progress(
  stream: NodeJS.WritableStream,
  total: number,
  enabled: boolean,
  options: ProgressOptions,
): Progress {
  if (!enabled || total === 0) return { update: () => undefined, end: () => undefined };
  const started = performance.now();
  const rate = (done: number) => done / Math.max(0.001, (performance.now() - started) / 1000);
  if ((stream as { isTTY?: boolean }).isTTY) {
    const bar = new SingleBar({
      stream: stream as NodeJS.WriteStream,
      format: `[{bar}] {value}/{total} ({percentage}%) {rate} ${options.unit}/s | ETA {eta_formatted}`,
      barCompleteChar: '#',
      barIncompleteChar: '.',
      barsize: 30,
      fps: 10,
      hideCursor: false,
      clearOnComplete: false,
    });
    bar.start(total, 0, { rate: '0' });
    return {
      update: (done) => bar.update(done, { rate: rate(done).toFixed(0) }),
      end: () => bar.stop(),
    };
  }
  const step = Math.max(1, Math.ceil(total * (options.plainEvery ?? 0.1)));
  const line =
    options.plainLine ??
    ((done: number, all: number, perSecond: number) =>
      `${done}/${all} (${Math.floor((done / all) * 100)}%) ${perSecond.toFixed(0)} ${options.unit}/s`);
  let lastPrinted = -1;
  return {
    update(done) {
      if (done !== total && lastPrinted >= 0 && done - lastPrinted < step) return;
      if (done === lastPrinted) return;
      lastPrinted = done;
      stream.write(`${line(done, total, rate(done))}\n`);
    },
    end: () => undefined,
  };
}
