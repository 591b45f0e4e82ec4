import parser from "@solidity-parser/parser";
import { describe, expect, it } from "vitest";
import { addBranchProbes } from "./branchProbes.ts";
import { PROBE_LIBRARY_FILENAME } from "./probeLibrary.ts";

const SOURCE = `pragma solidity ^0.8.30;
contract C {
  uint256 public constant LIMIT = 1 > 0 ? 10 : 20;
  modifier positive(uint256 x) {
    require(x > 0, "zero");
    _;
  }
  function f(uint256 a, bool b) external pure positive(a) returns (uint256) {
    if ((b ? a : 0) > 3) return 1;
    assert(a != 7);
    return a < LIMIT ? a : LIMIT;
  }
}
`;

describe("addBranchProbes", () => {
  const { source, branches } = addBranchProbes(SOURCE, "contracts/C.sol");

  it("finds every if, ternary, require and assert in code that runs, with its line", () => {
    expect(branches.map(({ line, kind }) => `${line} ${kind}`)).toEqual([
      "5 require",
      "9 if",
      "9 ternary",
      "10 assert",
      "11 ternary",
    ]);
  });

  it("wraps each condition in a probe call, the inner one inside the outer one", () => {
    const [requireProbe, ifProbe, innerProbe, assertProbe, returnProbe] = branches;
    expect(source).toContain(
      `require(__HexsBranchCoverage.hit(x > 0, 0x${requireProbe?.whenTrue}, 0x${requireProbe?.whenFalse}), "zero")`,
    );
    expect(source).toContain(
      `if (__HexsBranchCoverage.hit((__HexsBranchCoverage.hit(b, 0x${innerProbe?.whenTrue}, 0x${innerProbe?.whenFalse}) ? a : 0) > 3, 0x${ifProbe?.whenTrue}, 0x${ifProbe?.whenFalse})) return 1;`,
    );
    expect(source).toContain(`assert(__HexsBranchCoverage.hit(a != 7, 0x${assertProbe?.whenTrue}, 0x${assertProbe?.whenFalse}))`);
    expect(source).toContain(`return __HexsBranchCoverage.hit(a < LIMIT, 0x${returnProbe?.whenTrue}, 0x${returnProbe?.whenFalse}) ? a : LIMIT;`);
  });

  it("leaves a constant's initializer alone, which must stay a compile-time expression", () => {
    expect(source).toContain("uint256 public constant LIMIT = 1 > 0 ? 10 : 20;");
  });

  it("keeps every line where it was and imports the probe library on the last line", () => {
    const lines = source.split("\n");
    expect(lines).toHaveLength(SOURCE.split("\n").length);
    expect(lines.at(-1)).toBe(` import {__HexsBranchCoverage} from "${PROBE_LIBRARY_FILENAME}";`);
    expect(() => parser.parse(source)).not.toThrow();
  });

  it("gives each outcome its own 32-byte tag, the same on every build", () => {
    const tags = branches.flatMap((b) => [b.whenTrue, b.whenFalse]);
    expect(new Set(tags).size).toBe(tags.length);
    for (const tag of tags) expect(tag).toMatch(/^[0-9a-f]{64}$/);
    expect(addBranchProbes(SOURCE, "contracts/C.sol").branches).toEqual(branches);
    expect(addBranchProbes(SOURCE, "contracts/D.sol").branches[0]?.whenTrue).not.toBe(branches[0]?.whenTrue);
  });

  it("rejects a file the parser cannot read instead of probing part of it", () => {
    expect(() => addBranchProbes("contract C { function f( }", "contracts/Bad.sol")).toThrow();
  });
});
