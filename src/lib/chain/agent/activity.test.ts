import { describe, expect, it } from "vitest";
import { cumulativeUsage, ratingHistory } from "./activity.ts";

describe("cumulativeUsage", () => {
  it("sums charged credits in time order, whatever order the events came in", () => {
    expect(
      cumulativeUsage([
        { time: 30, charged: 5n },
        { time: 10, charged: 2n },
        { time: 20, charged: 3n },
      ]),
    ).toEqual([
      { time: 10, value: 2 },
      { time: 20, value: 5 },
      { time: 30, value: 10 },
    ]);
  });
  it("is empty without settlements", () => expect(cumulativeUsage([])).toEqual([]));
});

describe("ratingHistory", () => {
  it("averages each member's latest rating, a new one replacing the old", () => {
    expect(
      ratingHistory([
        { time: 1, account: "0xA", stars: 5 },
        { time: 2, account: "0xB", stars: 3 },
        { time: 3, account: "0xa", stars: 1 },
      ]),
    ).toEqual([
      { time: 1, value: 5 },
      { time: 2, value: 4 },
      { time: 3, value: 2 },
    ]);
  });
});
