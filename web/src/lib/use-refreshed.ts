import { useEffect, useState } from 'preact/hooks';

/**
 * Runs `load` now and every `intervalMs` while the dependencies stay the same (a board agents keep open), and ticks
 * `now` every second so waits and SLA countdowns move between loads. A failed load keeps the last value and reports
 * the error until a load succeeds; an answer arriving after the page moved on is dropped.
 */
export function useRefreshed<T>(load: () => Promise<T>, intervalMs: number, deps: readonly unknown[]) {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loadedAt, setLoadedAt] = useState(Date.now());
  const [now, setNow] = useState(Date.now());
  // The caller names what `load` depends on (`deps`).
  useEffect(() => {
    let stopped = false;
    const run = async () => {
      try {
        const loaded = await load();
        if (stopped) return;
        setValue(loaded);
        setError(null);
        setLoadedAt(Date.now());
      } catch (caught) {
        if (!stopped) setError(caught);
      }
    };
    void run();
    const refresh = setInterval(run, intervalMs);
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      stopped = true;
      clearInterval(refresh);
      clearInterval(tick);
    };
  }, deps);
  return { value, error, loadedAt, now };
}
