/** One measured figure in the benchmark report. */
export interface BenchMetric {
  name: string;
  value: number;
  unit: string;
  /** The target, as text (e.g. "≤ 750000"), when there is one. */
  target?: string;
  /** Whether the value meets the target; absent when there is no target. */
  met?: boolean;
}

/** A titled group of figures, written by one benchmark module. */
export interface BenchSection {
  title: string;
  /** How the figures were produced: machine, sizes, repetitions. */
  method: string;
  metrics: BenchMetric[];
  /** When the section was last run (set by run.ts). */
  measuredAt?: string;
}

export function renderMarkdown(sections: BenchSection[], when: Date): string {
  const lines = [`# HEXS benchmark report`, ``, `Generated ${when.toISOString()} by \`npm run bench\`.`, ``];
  for (const section of sections) {
    const measured = section.measuredAt ? ` Measured ${section.measuredAt}.` : "";
    lines.push(`## ${section.title}`, ``, `${section.method}${measured}`, ``, `| metric | value | unit | target | met |`, `|---|---:|---|---|---|`);
    for (const m of section.metrics) {
      const met = m.met === undefined ? "" : m.met ? "yes" : "**no**";
      lines.push(`| ${m.name} | ${formatValue(m.value)} | ${m.unit} | ${m.target ?? ""} | ${met} |`);
    }
    lines.push(``);
  }
  return lines.join("\n");
}

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}
