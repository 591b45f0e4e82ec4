import type { BranchKind, BranchPoint } from "./branchProbes.ts";

/** What the branch plugin wrote for one instrumented source. */
export interface BranchMetadata {
  file: string;
  branches: BranchPoint[];
}

export interface MissedBranch {
  line: number;
  kind: BranchKind;
  outcome: boolean;
}

export interface FileCoverage {
  file: string;
  linesFound: number;
  linesHit: number;
  branchesFound: number;
  branchesHit: number;
  missed: MissedBranch[];
}

export interface CoverageTotals {
  lines: number;
  branches: number;
}

/** Line records (`DA:<line>,<count>`) per source file of an lcov tracefile. */
export function parseLcovLines(lcov: string): Map<string, Map<number, number>> {
  const files = new Map<string, Map<number, number>>();
  let current: Map<number, number> | undefined;
  for (const record of lcov.split("\n")) {
    if (record.startsWith("SF:")) {
      const file = record.slice(3);
      current = files.get(file) ?? new Map();
      files.set(file, current);
    } else if (record.startsWith("DA:") && current) {
      const [line, count] = record.slice(3).split(",").map(Number);
      if (line !== undefined && count !== undefined) current.set(line, Math.max(count, current.get(line) ?? 0));
    } else if (record === "end_of_record") {
      current = undefined;
    }
  }
  return files;
}

/** Per-file lines and branches, for the files present in the lcov tracefile. */
export function summarize(lcov: string, metadata: BranchMetadata[], hitTags: ReadonlySet<string>): FileCoverage[] {
  const branchesByFile = new Map(metadata.map((m) => [m.file, m.branches]));
  return [...parseLcovLines(lcov)].map(([file, lines]) => {
    const branches = branchesByFile.get(file) ?? [];
    const missed = branches.flatMap(({ line, kind, whenTrue, whenFalse }) =>
      [
        { line, kind, outcome: true, tag: whenTrue },
        { line, kind, outcome: false, tag: whenFalse },
      ]
        .filter(({ tag }) => !hitTags.has(tag))
        .map(({ tag: _tag, ...arm }) => arm),
    );
    return {
      file,
      linesFound: lines.size,
      linesHit: [...lines.values()].filter((count) => count > 0).length,
      branchesFound: branches.length * 2,
      branchesHit: branches.length * 2 - missed.length,
      missed,
    };
  });
}

export function totals(files: FileCoverage[]): CoverageTotals {
  const sum = (pick: (f: FileCoverage) => number) => files.reduce((acc, f) => acc + pick(f), 0);
  return {
    lines: percent(sum((f) => f.linesHit), sum((f) => f.linesFound)),
    branches: percent(sum((f) => f.branchesHit), sum((f) => f.branchesFound)),
  };
}

/**
 * The tracefile with `BRDA`/`BRF`/`BRH` records added before each file's `end_of_record`, so
 * genhtml, Codecov and editors show branch coverage. Block numbers are the branch point's index
 * in the file; branch 0 is the true outcome, 1 the false one.
 */
export function withBranchRecords(lcov: string, metadata: BranchMetadata[], hitTags: ReadonlySet<string>): string {
  const branchesByFile = new Map(metadata.map((m) => [m.file, m.branches]));
  const output: string[] = [];
  // Hardhat may list a file in more than one section; its branches are counted once.
  const recorded = new Set<string>();
  let file: string | undefined;
  for (const record of lcov.split("\n")) {
    if (record.startsWith("SF:")) file = record.slice(3);
    if (record === "end_of_record" && file !== undefined && !recorded.has(file)) {
      recorded.add(file);
      output.push(...branchRecords(branchesByFile.get(file) ?? [], hitTags));
    }
    output.push(record);
  }
  return output.join("\n");
}

function branchRecords(branches: BranchPoint[], hitTags: ReadonlySet<string>): string[] {
  const records: string[] = [];
  let hit = 0;
  branches.forEach(({ line, whenTrue, whenFalse }, block) => {
    [whenTrue, whenFalse].forEach((tag, arm) => {
      const taken = hitTags.has(tag);
      if (taken) hit++;
      // lcov has no per-arm counts from these probes, only whether an arm ran.
      records.push(`BRDA:${line},${block},${arm},${taken ? 1 : "-"}`);
    });
  });
  records.push(`BRF:${branches.length * 2}`, `BRH:${hit}`);
  return records;
}

export function formatMarkdown(files: FileCoverage[]): string {
  const total = totals(files);
  const rows = files
    .toSorted((a, b) => a.file.localeCompare(b.file))
    .map((f) => {
      const missed = f.missed.map((m) => `${m.line} ${m.kind} ${m.outcome ? "true" : "false"}`).join(", ") || "–";
      return `| ${f.file} | ${formatPercent(percent(f.linesHit, f.linesFound))} | ${formatPercent(percent(f.branchesHit, f.branchesFound))} (${f.branchesHit}/${f.branchesFound}) | ${missed} |`;
    });
  return [
    "| File | Lines | Branches | Branch outcomes never taken (line kind outcome) |",
    "| --- | --- | --- | --- |",
    ...rows,
    `| **Total** | **${formatPercent(total.lines)}** | **${formatPercent(total.branches)}** | |`,
  ].join("\n");
}

function percent(hit: number, found: number): number {
  return found === 0 ? 100 : (hit / found) * 100;
}

function formatPercent(value: number): string {
  return `${value.toFixed(2)}%`;
}
