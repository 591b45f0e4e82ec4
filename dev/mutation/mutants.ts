// The mutants of a Solidity source: each one flips a comparison (`<` ↔ `<=`, `>` ↔ `>=`,
// `==` ↔ `!=`), rounds a division up instead of down, or removes one modifier from a function
// (`nonReentrant`, `onlyAgent`, `initializer`, …). A suite that lets one survive either has a
// gap or the mutant is equivalent (it changes no behaviour); the report lists survivors so a
// reader can tell which. A mutant shown equivalent is marked in the contract itself, by a
// comment on its line — `// equivalent mutant \`<\` → \`<=\`: at a tie both sides are the same`
// — and is reported with that reason instead of run.
import parser from "@solidity-parser/parser";

export type MutationKind = "comparison" | "rounding" | "modifier";

export interface Mutant {
  file: string;
  kind: MutationKind;
  /** 1-based line of the mutated code, for the report. */
  line: number;
  /** What changed, e.g. "`<` → `<=`" or "removed `nonReentrant`". */
  description: string;
  /** The whole mutated source. */
  source: string;
  /** Why the mutant cannot change behaviour, from an `equivalent mutant …:` comment on its line. */
  equivalent?: string;
}

const COMPARISON_FLIPS: Record<string, string> = {
  "<": "<=",
  "<=": "<",
  ">": ">=",
  ">=": ">",
  "==": "!=",
  "!=": "==",
};

interface Range {
  range?: [number, number];
  loc?: { start: { line: number } };
}

/** Every mutant of `source` (the file at `file`, for the report). */
export function mutantsOf(file: string, source: string): Mutant[] {
  const ast = parser.parse(source, { range: true, loc: true });
  const mutants: Mutant[] = [];
  const at = (node: Range) => {
    if (!node.range || !node.loc) throw new Error(`${file}: the parser gave no position`);
    return { start: node.range[0], end: node.range[1] + 1, line: node.loc.start.line };
  };
  const splice = (start: number, end: number, text: string) => source.slice(0, start) + text + source.slice(end);

  const lines = source.split("\n");
  const push = (mutant: Mutant) => {
    const marker = `equivalent mutant ${mutant.description}:`;
    const line = lines[mutant.line - 1] ?? "";
    const at = line.indexOf(marker);
    mutants.push(at < 0 ? mutant : { ...mutant, equivalent: line.slice(at + marker.length).trim() });
  };

  parser.visit(ast, {
    BinaryOperation(node) {
      const flipped = COMPARISON_FLIPS[node.operator];
      const left = at(node.left as Range);
      const right = at(node.right as Range);
      if (flipped) {
        const gap = source.slice(left.end, right.start);
        const offset = gap.indexOf(node.operator);
        if (offset < 0) return;
        const start = left.end + offset;
        push({
          file,
          kind: "comparison",
          line: left.line,
          description: `\`${node.operator}\` → \`${flipped}\``,
          source: splice(start, start + node.operator.length, flipped),
        });
      } else if (node.operator === "/") {
        const numerator = source.slice(left.start, left.end);
        const denominator = source.slice(right.start, right.end);
        push({
          file,
          kind: "rounding",
          line: left.line,
          description: "division rounded up",
          source: splice(left.start, right.end, `((${numerator}) + (${denominator}) - 1) / (${denominator})`),
        });
      }
    },
    FunctionDefinition(node) {
      // Constructors' base calls are modifier invocations too; removing one does not compile.
      if (node.isConstructor) return;
      for (const modifier of node.modifiers) {
        const { start, end, line } = at(modifier as Range);
        push({
          file,
          kind: "modifier",
          line,
          description: `removed \`${modifier.name}\``,
          source: splice(start, end, ""),
        });
      }
    },
  });
  return mutants;
}
