import { useCallback, useEffect, useRef, useState } from "react";

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
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;

  const refresh = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let cancelled = false;

    const run = async () => {
      try {
        const value = await fetcherRef.current(controller.signal);
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
    setLoading(true);
    void run();
    return () => {
      cancelled = true;
      controller.abort();
      if (timer) clearTimeout(timer);
    };
    // `deps` are the caller's inputs to `fetcher` (kept in a ref so it never restarts the loop).
  }, [intervalMs, tick, ...deps]);

  return { data, error, loading, refresh };
}
