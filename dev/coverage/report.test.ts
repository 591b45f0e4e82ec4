import { describe, expect, it } from "vitest";
import type { BranchMetadata } from "./report.ts";
import { formatMarkdown, summarize, totals, withBranchRecords } from "./report.ts";

// Hardhat lists a file in more than one section when several compilation jobs include it.
const LCOV = [
  "TN:",
  "SF:contracts/A.sol",
  "DA:3,1",
  "DA:4,0",
  "LH:1",
  "LF:2",
  "end_of_record",
  "SF:contracts/B.sol",
  "DA:7,2",
  "LH:1",
  "LF:1",
  "end_of_record",
  "SF:contracts/A.sol",
  "DA:3,1",
  "DA:4,1",
  "LH:2",
  "LF:2",
  "end_of_record",
  "",
].join("\n");

const METADATA: BranchMetadata[] = [
  {
    file: "contracts/A.sol",
    branches: [
      { line: 3, kind: "if", whenTrue: "a1", whenFalse: "a2" },
      { line: 4, kind: "ternary", whenTrue: "a3", whenFalse: "a4" },
    ],
  },
  { file: "contracts/B.sol", branches: [{ line: 7, kind: "require", whenTrue: "b1", whenFalse: "b2" }] },
  { file: "contracts/Gone.sol", branches: [{ line: 1, kind: "if", whenTrue: "g1", whenFalse: "g2" }] },
];

const HITS = new Set(["a1", "a2", "a3", "b1"]);

describe("coverage report", () => {
  it("merges a file's line records across sections and counts taken branch outcomes", () => {
    expect(summarize(LCOV, METADATA, HITS)).toEqual([
      {
        file: "contracts/A.sol",
        linesFound: 2,
        linesHit: 2,
        branchesFound: 4,
        branchesHit: 3,
        missed: [{ line: 4, kind: "ternary", outcome: false }],
      },
      {
        file: "contracts/B.sol",
        linesFound: 1,
        linesHit: 1,
        branchesFound: 2,
        branchesHit: 1,
        missed: [{ line: 7, kind: "require", outcome: false }],
      },
    ]);
  });

  it("totals lines and branch outcomes over all files", () => {
    expect(totals(summarize(LCOV, METADATA, HITS))).toEqual({ lines: 100, branches: (4 / 6) * 100 });
  });

  it("adds BRDA/BRF/BRH records once per file, before its end_of_record", () => {
    const records = withBranchRecords(LCOV, METADATA, HITS).split("\n");
    expect(records.filter((r) => r.startsWith("BRDA:"))).toEqual([
      "BRDA:3,0,0,1",
      "BRDA:3,0,1,1",
      "BRDA:4,1,0,1",
      "BRDA:4,1,1,-",
      "BRDA:7,0,0,1",
      "BRDA:7,0,1,-",
    ]);
    const firstEnd = records.indexOf("end_of_record");
    expect(records.slice(firstEnd - 2, firstEnd)).toEqual(["BRF:4", "BRH:3"]);
    expect(records.filter((r) => r.startsWith("BRF:"))).toEqual(["BRF:4", "BRF:2"]);
  });

  it("names each outcome never taken in the Markdown table", () => {
    const table = formatMarkdown(summarize(LCOV, METADATA, HITS));
    expect(table).toContain("| contracts/A.sol | 100.00% | 75.00% (3/4) | 4 ternary false |");
    expect(table).toContain("| **Total** | **100.00%** | **66.67%** | |");
  });
});
