import { useCallback, useEffect, useEffectEvent, useState } from "react";

export type Polled<T> = {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  refresh: () => void;
};

/**
 * Load `fetcher` now and then every `intervalMs` (0 = once). Polling pauses while the tab is
 * hidden, and a slow response never overlaps the next one.
 */
export function usePolling<T>(
  fetcher: (signal: AbortSignal) => Promise<T>,
  intervalMs: number,
  deps: readonly unknown[],
): Polled<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  // The latest `fetcher` without restarting the loop: `deps` say when its inputs changed.
  const fetchLatest = useEffectEvent((signal: AbortSignal) => fetcher(signal));

  const refresh = useCallback(() => setTick((t) => t + 1), []);

  // The loop's inputs as one value whose identity changes only when one of them does, recorded
  // while rendering (React's pattern for state that follows props): the render that changes
  // them already says "loading", and the effect below restarts on exactly that change.
  const inputs = [intervalMs, tick, ...deps];
  const [current, setCurrent] = useState(inputs);
  if (inputs.length !== current.length || inputs.some((v, i) => !Object.is(v, current[i]))) {
    setCurrent(inputs);
    setLoading(true);
  }

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let cancelled = false;

    const run = async () => {
      try {
        const value = await fetchLatest(controller.signal);
        if (cancelled) return;
        setData(value);
        setError(null);
      } catch (e) {
        if (cancelled || controller.signal.aborted) return;
        setError(e instanceof Error ? e.message : String(e));
      } finally {
        if (!cancelled) {
          setLoading(false);
          if (intervalMs > 0) timer = setTimeout(schedule, intervalMs);
        }
      }
    };
    const schedule = () => {
      if (document.hidden) timer = setTimeout(schedule, intervalMs);
      else void run();
    };
    void run();
    return () => {
      cancelled = true;
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [intervalMs, current]);

  return { data, error, loading, refresh };
}
