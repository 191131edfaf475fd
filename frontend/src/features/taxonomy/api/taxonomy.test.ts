import { describe, expect, it } from "vitest";
import { countNodes, filterTree } from "./taxonomy";

describe("taxonomy filter", () => {
  const tree = [
    { id: "1", name: "Apparel", children: [{ id: "2", name: "Shoes", children: [] }, { id: "3", name: "Hats" }] },
    { id: "4", name: "Automotive", children: [{ id: "5", name: "Car Shoes Cleaner" }] },
  ];
  it("keeps matches with their ancestors", () => {
    const out = filterTree(tree, "shoes");
    expect(out.map((n) => n.name)).toEqual(["Apparel", "Automotive"]);
    expect(out[0]?.children?.map((n) => n.name)).toEqual(["Shoes"]);
    expect(countNodes(out)).toBe(4);
  });
  it("keeps a matching parent's whole branch", () => {
    expect(countNodes(filterTree(tree, "apparel"))).toBe(3);
  });
});
