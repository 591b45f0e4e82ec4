// `npm run bench [section…]`: runs the benchmark sections (all by default) and writes
// bench/report.{json,md}.
// Each section is a module in this folder exporting `run(): Promise<BenchSection>`.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { renderMarkdown, type BenchSection } from "./report.ts";

const SECTIONS: Record<string, () => Promise<{ run: () => Promise<BenchSection> }>> = {
  gas: () => import("./gas.ts"),
  playground: () => import("./playground.ts"),
  ipfs: () => import("./ipfs.ts"),
  akash: () => import("./akash.ts"),
  marketplace: () => import("./marketplace.ts"),
  gateway: () => import("./gateway.ts"),
  trainer: () => import("./trainer.ts"),
};

const wanted = process.argv.slice(2);
const names = wanted.length > 0 ? wanted : Object.keys(SECTIONS);
const out = new URL("../../bench/", import.meta.url);
const reportJson = new URL("report.json", out);

// Sections not run this time keep their last measurement, so running one section never
// erases the others from the report.
const previous = await readFile(reportJson, "utf8")
  .then((text) => (JSON.parse(text) as { sections?: Record<string, BenchSection> }).sections ?? {})
  .catch(() => ({}) as Record<string, BenchSection>);
const sections: Record<string, BenchSection> = Array.isArray(previous) ? {} : { ...previous };
for (const name of names) {
  const load = SECTIONS[name];
  if (!load) throw new Error(`unknown benchmark section "${name}"; known: ${Object.keys(SECTIONS).join(", ")}`);
  console.log(`bench: ${name}…`);
  sections[name] = { ...(await (await load()).run()), measuredAt: new Date().toISOString() };
}
await mkdir(out, { recursive: true });
const now = new Date();
const ordered = Object.keys(SECTIONS)
  .filter((name) => sections[name])
  .map((name) => sections[name]!);
await writeFile(reportJson, JSON.stringify({ generatedAt: now.toISOString(), sections }, null, 2));
await writeFile(new URL("report.md", out), renderMarkdown(ordered, now));
console.log(renderMarkdown(ordered, now));
