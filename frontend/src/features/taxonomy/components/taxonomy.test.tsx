import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiServer } from "../../../test/apiServer";
import { TaxonomyPage } from "./TaxonomyPage";

const server = new ApiServer();
beforeAll(() => server.start());
afterAll(() => server.stop());

describe("TaxonomyPage", () => {
  it("browses the tree and narrows it by search", async () => {
    server.on("GET /api/taxonomy", {
      json: {
        name: "IAB Ad Product 2.0",
        nodes: 5,
        tree: [
          { id: "1", name: "Apparel", children: [{ id: "11", name: "Footwear", children: [{ id: "111", name: "Athletic Shoes", children: [] }] }] },
          { id: "2", name: "Automotive", children: [{ id: "21", name: "Cars", children: [] }] },
        ],
      },
    });
    const user = userEvent.setup();
    render(<TaxonomyPage />);
    const tree = await screen.findByRole("tree");
    expect(tree).toHaveAccessibleName("IAB Ad Product 2.0");
    expect(within(tree).getByText("Apparel")).toBeInTheDocument();
    expect(within(tree).queryByText("Footwear")).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Expand Apparel" }));
    expect(within(tree).getByText("Footwear")).toBeInTheDocument();
    expect(screen.getByText("5 of 5 categories")).toBeInTheDocument();

    await user.type(screen.getByRole("searchbox", { name: "Search the taxonomy" }), "athletic");
    const filtered = screen.getByRole("tree");
    expect(filtered).toHaveTextContent("Athletic Shoes");
    expect(filtered.querySelector("mark")).toHaveTextContent(/^Athletic$/);
    expect(within(filtered).queryByText("Automotive")).not.toBeInTheDocument();
    expect(screen.getByText("3 of 5 categories")).toBeInTheDocument();
  });
});
