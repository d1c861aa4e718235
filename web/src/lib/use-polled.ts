import { useEffect, useState } from 'preact/hooks';

export interface PollOptions<T> {
  /** The first wait after a load, and after every change `fingerprint` sees (ms). */
  readonly firstMs: number;
  /** The longest wait between two loads (ms): each wait is 1.6 times the last. */
  readonly maxMs: number;
  /** What the customer would notice changing; a change calls `onChange` and polls quickly again. */
  readonly fingerprint?: (value: T) => string;
  readonly onChange?: (value: T) => void;
  /** Polling stops once this holds (a decided case, a finished return); without it, it goes on while shown. */
  readonly settled?: (value: T) => boolean;
}

/**
 * Loads now and again with back-off while the dependencies stay the same (the chat watching a case, a callback or a
 * return). A failed load keeps the last value and reports the error until a load succeeds; an answer arriving after
 * the component moved on is dropped.
 */
export function usePolled<T>(load: () => Promise<T>, options: PollOptions<T>, deps: readonly unknown[]) {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  // The caller names what `load` and `options` depend on (`deps`).
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let delay = options.firstMs;
    let seen: string | undefined;
    const poll = async () => {
      try {
        const loaded = await load();
        if (stopped) return;
        setValue(loaded);
        setError(null);
        const print = options.fingerprint?.(loaded);
        if (print !== undefined && print !== seen) {
          seen = print;
          delay = options.firstMs;
          options.onChange?.(loaded);
        }
        if (options.settled?.(loaded)) return;
      } catch (caught) {
        if (stopped) return;
        setError(caught);
      }
      delay = Math.min(options.maxMs, Math.round(delay * 1.6));
      timer = setTimeout(poll, delay);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, deps);
  return { value, error };
}
