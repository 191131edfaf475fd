import { act, renderHook, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { setToken } from "../api/auth";
import { useAuthedMedia } from "./useAuthedMedia";

describe("useAuthedMedia", () => {
  const revoked: string[] = [];
  let made = 0;
  let release: Record<string, () => void> = {};

  beforeEach(() => {
    setToken("secret");
    made = 0;
    release = {};
    revoked.length = 0;
    URL.createObjectURL = vi.fn(() => `blob:test/${++made}`);
    URL.revokeObjectURL = vi.fn((u: string) => void revoked.push(u));
    // Each file arrives when the test says so, so the moment between two paths can be seen.
    vi.stubGlobal(
      "fetch",
      vi.fn(
        (url: string) =>
          new Promise<Response>((resolve) => {
            release[url.split("/").pop() ?? ""] = () => resolve(new Response("x"));
          }),
      ),
    );
  });
  afterEach(() => {
    setToken(null);
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it("never returns the previous path's URL while the new file loads, and revokes it later", async () => {
    const { result, rerender, unmount } = renderHook(({ p }) => useAuthedMedia(p), {
      initialProps: { p: "/jobs/j/frames/a.jpg" },
    });
    expect(result.current).toBeUndefined();
    await act(async () => release["a.jpg"]?.());
    await waitFor(() => expect(result.current).toBe("blob:test/1"));

    vi.useFakeTimers();
    rerender({ p: "/jobs/j/frames/b.jpg" });
    // The old URL is gone from the very render that brings the new path...
    expect(result.current).toBeUndefined();
    // ...and is revoked only after the element has had time to let go of it.
    expect(revoked).toEqual([]);
    void act(() => {
      vi.advanceTimersByTime(6000);
    });
    expect(revoked).toEqual(["blob:test/1"]);
    vi.useRealTimers();

    await act(async () => release["b.jpg"]?.());
    await waitFor(() => expect(result.current).toBe("blob:test/2"));
    unmount();
  });
});
