import { createHash } from "node:crypto";
import parser from "@solidity-parser/parser";
import type { ASTNode, Expression } from "@solidity-parser/parser/dist/src/ast-types";
import { PROBE_LIBRARY_FILENAME, PROBE_LIBRARY_NAME } from "./probeLibrary.ts";

/** Where a branch point is and the two probe tags that record which way it went. */
export interface BranchPoint {
  line: number;
  kind: BranchKind;
  /** Hex (no 0x) tags reported when the condition is true, and when it is false. */
  whenTrue: string;
  whenFalse: string;
}

/**
 * `if` (taken / not taken), `?:` (either value), `require`/`assert` (passes / reverts) —
 * the branch points solidity-coverage counts, so figures compare with what Solidity
 * developers know.
 */
export type BranchKind = "if" | "ternary" | "require" | "assert";

export interface ProbedSource {
  source: string;
  branches: BranchPoint[];
}

interface Insertion {
  at: number;
  text: string;
  /** Among insertions at the same offset, the outermost condition closes last. */
  span: number;
}

/**
 * Wraps the condition of every branch point in `source` (a file already carrying Hardhat's
 * statement probes) in a call that reports one tag for each outcome, so `hardhat test
 * --coverage` records branch arms through the same coverage channel as statements.
 * Only text is inserted and none of it holds a newline, so line numbers stay those of the
 * file on disk.
 */
export function addBranchProbes(source: string, sourceName: string): ProbedSource {
  const ast = parser.parse(source, { range: true });
  const bodies = functionBodyRanges(ast);
  const found: { kind: BranchKind; condition: Expression }[] = [];

  parser.visit(ast, {
    IfStatement: (node) => void found.push({ kind: "if", condition: node.condition }),
    Conditional: (node) => {
      // A state variable's initializer must stay a compile-time expression; only code in
      // function and modifier bodies runs where a probe can report.
      if (insideAny(node, bodies)) found.push({ kind: "ternary", condition: node.condition });
    },
    FunctionCall: (node) => {
      const callee = node.expression;
      const [condition] = node.arguments;
      if (callee.type !== "Identifier" || condition === undefined) return;
      if (callee.name === "require" || callee.name === "assert") found.push({ kind: callee.name, condition });
    },
  });

  const insertions: Insertion[] = [];
  const branches = found.map(({ kind, condition }) => {
    const [start, end] = rangeOf(condition);
    const branch: BranchPoint = {
      line: lineAt(source, start),
      kind,
      whenTrue: probeTag(sourceName, start, true),
      whenFalse: probeTag(sourceName, start, false),
    };
    const span = end - start;
    insertions.push({ at: start, text: `${PROBE_LIBRARY_NAME}.hit(`, span });
    insertions.push({ at: end + 1, text: `, 0x${branch.whenTrue}, 0x${branch.whenFalse})`, span });
    return branch;
  });

  const probed = applyInsertions(source, insertions);
  return { source: `${probed} import {${PROBE_LIBRARY_NAME}} from "${PROBE_LIBRARY_FILENAME}";`, branches };
}

function applyInsertions(source: string, insertions: Insertion[]): string {
  // Right to left so earlier offsets stay valid; at one offset, the wider condition's text
  // goes in first and so ends up after the narrower one's.
  const ordered = insertions.toSorted((a, b) => b.at - a.at || b.span - a.span);
  let result = source;
  for (const { at, text } of ordered) result = result.slice(0, at) + text + result.slice(at);
  return result;
}

function functionBodyRanges(ast: ASTNode): [number, number][] {
  const ranges: [number, number][] = [];
  parser.visit(ast, {
    FunctionDefinition: (node) => void (node.body && ranges.push(rangeOf(node.body))),
    ModifierDefinition: (node) => void (node.body && ranges.push(rangeOf(node.body))),
  });
  return ranges;
}

function insideAny(node: ASTNode, ranges: [number, number][]): boolean {
  const [start, end] = rangeOf(node);
  return ranges.some(([from, to]) => from <= start && end <= to);
}

function rangeOf(node: ASTNode): [number, number] {
  if (!node.range) throw new Error(`parser returned a ${node.type} without a source range`);
  return node.range;
}

function lineAt(source: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}

function probeTag(sourceName: string, offset: number, outcome: boolean): string {
  return createHash("sha256").update(`hexs-branch:${sourceName}:${offset}:${outcome}`).digest("hex");
}
