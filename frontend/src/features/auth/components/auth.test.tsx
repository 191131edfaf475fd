import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { getToken, setToken } from "../../../api/auth";
import { api, apiUrl, unwrap } from "../../../api/client";
import { ApiServer } from "../../../test/apiServer";
import { TokenDialog } from "./TokenDialog";

// Any authenticated route will do; calling the shared client directly keeps this feature's test
// off another feature's API module.
const fetchNodes = () => unwrap(api.GET("/cluster/nodes"));

const server = new ApiServer();
beforeAll(() => server.start());
afterAll(() => server.stop());
beforeEach(() => {
  server.reset();
  setToken(null);
});

describe("API token", () => {
  it("asks once after a 401, stores the token in sessionStorage and sends it as a Bearer header", async () => {
    server.on("GET /cluster/nodes", (r) =>
      r.headers.authorization === "Bearer s3cret" ? { json: [] } : { status: 401, json: { detail: "missing token" } },
    );
    const reload = vi.fn();
    vi.stubGlobal("location", { ...window.location, reload });
    const user = userEvent.setup();
    render(<TokenDialog />);
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();

    await act(async () => {
      await expect(fetchNodes()).rejects.toThrow("missing token");
      await expect(fetchNodes()).rejects.toThrow("missing token");
    });
    expect(screen.getAllByRole("dialog")).toHaveLength(1);
    const input = screen.getByLabelText("API token");
    await waitFor(() => expect(input).toHaveFocus());
    await user.type(input, "s3cret{enter}");
    expect(sessionStorage.getItem("adclf.apiToken")).toBe("s3cret");
    expect(reload).toHaveBeenCalledOnce();
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    vi.unstubAllGlobals();

    await expect(fetchNodes()).resolves.toEqual([]);
    expect(server.requests.at(-1)?.headers.authorization).toBe("Bearer s3cret");
    // EventSource cannot send headers; the stream URL carries the token instead.
    expect(apiUrl("/jobs/x/stream", { tokenInQuery: true })).toBe(`${server.url}/jobs/x/stream?token=s3cret`);
    expect(getToken()).toBe("s3cret");
  });
});
