// Prometheus text exposition of the gateway's counters and gauges (`GET /metrics`).

type Labels = Record<string, string>;

export class Metrics {
  readonly #counters = new Map<string, { help: string; values: Map<string, number> }>();
  readonly #gauges = new Map<string, { help: string; read: () => number }>();

  counter(name: string, help: string): (labels?: Labels, by?: number) => void {
    const metric = { help, values: new Map<string, number>() };
    this.#counters.set(name, metric);
    return (labels = {}, by = 1) => {
      const key = labelText(labels);
      metric.values.set(key, (metric.values.get(key) ?? 0) + by);
    };
  }

  gauge(name: string, help: string, read: () => number): void {
    this.#gauges.set(name, { help, read });
  }

  render(): string {
    const lines: string[] = [];
    for (const [name, { help, values }] of this.#counters) {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const [labels, value] of values) lines.push(`${name}${labels} ${value}`);
    }
    for (const [name, { help, read }] of this.#gauges) {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${read()}`);
    }
    return `${lines.join("\n")}\n`;
  }
}

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return "";
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`))}"`).join(",")}}`;
}
