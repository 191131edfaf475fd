import { act, renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { usePolling } from "./usePolling";

/** A fetch the test settles by hand, so each state in between can be looked at. */
function deferred() {
  const pending: { id: string; resolve: (v: string) => void }[] = [];
  const fetcher = (id: string) => () =>
    new Promise<string>((resolve) => {
      pending.push({ id, resolve });
    });
  const settle = async () => {
    const p = pending.shift();
    if (!p) throw new Error("nothing is being fetched");
    await act(async () => p.resolve(`data of ${p.id}`));
  };
  return { pending, fetcher, settle };
}

describe("usePolling", () => {
  it("loads once, reloads with the latest fetcher when deps change and on refresh, not otherwise", async () => {
    const f = deferred();
    const { result, rerender } = renderHook(({ id }) => usePolling(f.fetcher(id), 0, [id]), {
      initialProps: { id: "a" },
    });
    expect(result.current.loading).toBe(true);
    await f.settle();
    expect(result.current).toMatchObject({ data: "data of a", loading: false, error: null });

    // A new fetcher with the same deps (every render makes one) does not fetch again.
    rerender({ id: "a" });
    expect(f.pending).toHaveLength(0);

    // New deps: the very render that brings them reports loading, and the new fetcher runs.
    rerender({ id: "b" });
    expect(result.current.loading).toBe(true);
    await waitFor(() => expect(f.pending.map((p) => p.id)).toEqual(["b"]));
    await f.settle();
    expect(result.current).toMatchObject({ data: "data of b", loading: false });

    act(() => result.current.refresh());
    expect(result.current.loading).toBe(true);
    await waitFor(() => expect(f.pending.map((p) => p.id)).toEqual(["b"]));
    await f.settle();
    expect(result.current.loading).toBe(false);
  });

  it("keeps the last data and reports the error when a fetch fails", async () => {
    let fail = false;
    const { result } = renderHook(() =>
      usePolling(() => (fail ? Promise.reject(new Error("node-a is down")) : Promise.resolve(1)), 0, []),
    );
    await waitFor(() => expect(result.current.data).toBe(1));
    fail = true;
    act(() => result.current.refresh());
    await waitFor(() => expect(result.current.error).toBe("node-a is down"));
    expect(result.current).toMatchObject({ data: 1, loading: false });
  });
});
