import { act, render, screen } from "@testing-library/react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App } from "./App";
import { ApiServer, fleet, page } from "./test/apiServer";

const server = new ApiServer();
beforeAll(() => server.start());
afterAll(() => server.stop());

describe("App shell", () => {
  it("routes by hash, marks the current page, titles it and moves focus to the content", async () => {
    server
      .on("GET /api/taxonomy", { json: { name: "IAB", tree: [] } })
      .on("GET /cluster/analytics", { json: {} })
      .on("GET /cluster/nodes", fleet([]))
      .on("GET /metrics", { json: {} })
      .on("GET /cluster/jobs", page({ jobs: [], total: 0, limit: 6, offset: 0 }));
    window.location.hash = "#/";
    render(<App />);
    expect(screen.getByRole("heading", { level: 1, name: "Overview" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Overview" })).toHaveAttribute("aria-current", "page");

    await act(async () => {
      window.location.hash = "#/taxonomy";
      window.dispatchEvent(new HashChangeEvent("hashchange"));
    });
    expect(await screen.findByRole("heading", { level: 1, name: "Taxonomy" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Taxonomy" })).toHaveAttribute("aria-current", "page");
    expect(screen.getByRole("link", { name: "Overview" })).not.toHaveAttribute("aria-current");
    expect(document.title).toBe("Taxonomy · adclf");
    expect(screen.getByRole("main")).toHaveFocus();

    await act(async () => {
      window.location.hash = "#/somewhere-else";
      window.dispatchEvent(new HashChangeEvent("hashchange"));
    });
    expect(await screen.findByRole("heading", { name: "Not found" })).toBeInTheDocument();
  });
});
