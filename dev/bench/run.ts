// `npm run bench [section…]`: runs the benchmark sections and writes bench/report.{json,md}.
// Each section is a module in this folder exporting `run(): Promise<BenchSection>`.
import { mkdir, writeFile } from "node:fs/promises";
import { renderMarkdown, type BenchSection } from "./report.ts";

const SECTIONS: Record<string, () => Promise<{ run: () => Promise<BenchSection> }>> = {
  gas: () => import("./gas.ts"),
  playground: () => import("./playground.ts"),
  ipfs: () => import("./ipfs.ts"),
  akash: () => import("./akash.ts"),
};

const wanted = process.argv.slice(2);
const names = wanted.length > 0 ? wanted : Object.keys(SECTIONS);
const sections: BenchSection[] = [];
for (const name of names) {
  const load = SECTIONS[name];
  if (!load) throw new Error(`unknown benchmark section "${name}"; known: ${Object.keys(SECTIONS).join(", ")}`);
  console.log(`bench: ${name}…`);
  sections.push(await (await load()).run());
}
const out = new URL("../../bench/", import.meta.url);
await mkdir(out, { recursive: true });
const now = new Date();
await writeFile(new URL("report.json", out), JSON.stringify({ generatedAt: now.toISOString(), sections }, null, 2));
await writeFile(new URL("report.md", out), renderMarkdown(sections, now));
console.log(renderMarkdown(sections, now));
