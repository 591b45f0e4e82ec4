import { describe, expect, it } from "vitest";
import { matchesSearch, runQuery, sortAgents, type ListedAgent } from "./query.ts";

function agent(index: number, patch: Partial<ListedAgent> = {}): ListedAgent {
  return {
    agent: `0x${index.toString(16).padStart(40, "0")}`,
    name: `Agent ${index}`,
    baseModel: "org/base",
    index,
    mode: 1,
    pricePerCredit: 100n,
    score: 0n,
    calls: 0n,
    members: 0n,
    ...patch,
  };
}

describe("matchesSearch", () => {
  const verse = agent(1, { name: "Verse Garden", baseModel: "hexs-demo/tiny-verse-char", tags: ["poetry"] });
  it("matches name, base model and tags, ignoring case", () => {
    expect(matchesSearch(verse, "garden")).toBe(true);
    expect(matchesSearch(verse, "TINY-VERSE")).toBe(true);
    expect(matchesSearch(verse, "poetry")).toBe(true);
  });
  it("needs every word to match", () => {
    expect(matchesSearch(verse, "verse poetry")).toBe(true);
    expect(matchesSearch(verse, "verse stories")).toBe(false);
  });
  it("matches everything when the search is blank", () => {
    expect(matchesSearch(verse, "   ")).toBe(true);
  });
});

describe("sortAgents", () => {
  const a = agent(0, { score: 10n, calls: 5n, pricePerCredit: 300n });
  const b = agent(1, { score: 30n, calls: 1n, mode: 0, pricePerCredit: 999n });
  const c = agent(2, { score: 20n, calls: 9n, pricePerCredit: 200n });
  const names = (list: ListedAgent[]) => list.map((x) => x.index);

  it("puts the highest score first", () => expect(names(sortAgents([a, b, c], "score"))).toEqual([1, 2, 0]));
  it("puts the newest first", () => expect(names(sortAgents([a, b, c], "newest"))).toEqual([2, 1, 0]));
  it("puts free agents, then the cheapest, first", () =>
    expect(names(sortAgents([a, b, c], "price"))).toEqual([1, 2, 0]));
  it("puts the most used first", () => expect(names(sortAgents([a, b, c], "usage"))).toEqual([2, 0, 1]));
  it("breaks ties by newest", () => {
    expect(names(sortAgents([agent(3), agent(5), agent(4)], "score"))).toEqual([5, 4, 3]);
  });
});

describe("runQuery", () => {
  const many = Array.from({ length: 25 }, (_, i) => agent(i, { score: BigInt(i) }));
  it("pages the sorted matches", () => {
    const result = runQuery(many, { search: "", sort: "score", page: 2, pageSize: 10 });
    expect(result.total).toBe(25);
    expect(result.pages).toBe(3);
    expect(result.items.map((x) => x.index)).toEqual([14, 13, 12, 11, 10, 9, 8, 7, 6, 5]);
  });
  it("clamps a page past the end to the last page", () => {
    const result = runQuery(many, { search: "", sort: "score", page: 9, pageSize: 10 });
    expect(result.page).toBe(3);
    expect(result.items).toHaveLength(5);
  });
  it("reports one empty page when nothing matches", () => {
    const result = runQuery(many, { search: "nothing", sort: "score", page: 1, pageSize: 10 });
    expect(result).toEqual({ items: [], total: 0, pages: 1, page: 1 });
  });
});
