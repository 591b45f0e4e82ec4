import { describe, expect, it } from "vitest";
import { mutantsOf } from "./mutants.ts";

const SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;
contract C {
    uint256 private x;
    modifier onlyOne() {
        require(x == 1, "one");
        _;
    }
    constructor() {}
    function f(uint256 a, uint256 b) external onlyOne returns (uint256) {
        if (a < b) return a / b;
        return a >= b ? 1 : 0; // a << 2 and a => b in a comment stay
    }
}
`;

describe("contract mutants", () => {
  const mutants = mutantsOf("C.sol", SOURCE);

  it("flips each comparison once, in the code only", () => {
    const flips = mutants.filter((m) => m.kind === "comparison").map((m) => m.description);
    expect(flips).toEqual(["`==` → `!=`", "`<` → `<=`", "`>=` → `>`"]);
    const lessThan = mutants.find((m) => m.description === "`<` → `<=`")!;
    expect(lessThan.line).toBe(11);
    expect(lessThan.source).toContain("if (a <= b) return a / b;");
    expect(lessThan.source).toContain("a << 2 and a => b in a comment stay");
  });

  it("rounds each division up", () => {
    const [rounding] = mutants.filter((m) => m.kind === "rounding");
    expect(rounding!.source).toContain("return ((a) + (b) - 1) / (b);");
  });

  it("removes each modifier of a function, not a constructor's base calls", () => {
    const removed = mutants.filter((m) => m.kind === "modifier");
    expect(removed.map((m) => m.description)).toEqual(["removed `onlyOne`"]);
    expect(removed[0]!.source).toContain("function f(uint256 a, uint256 b) external  returns (uint256)");
  });

  it("takes a mutant marked equivalent on its line as equivalent, with the reason, and no other", () => {
    const marked = SOURCE.replace(
      "if (a < b) return a / b;",
      "if (a < b) return a / b; // equivalent mutant `<` → `<=`: at a == b both branches return 1",
    );
    const all = mutantsOf("C.sol", marked);
    expect(all.filter((m) => m.equivalent).map((m) => [m.description, m.equivalent])).toEqual([
      ["`<` → `<=`", "at a == b both branches return 1"],
    ]);
    expect(all).toHaveLength(mutants.length);
  });

  it("leaves the rest of the source as it was", () => {
    for (const mutant of mutants) {
      expect(mutant.source.length).toBeGreaterThanOrEqual(SOURCE.length - "onlyOne".length);
      expect(mutant.source.split("\n").length).toBe(SOURCE.split("\n").length);
    }
  });
});
