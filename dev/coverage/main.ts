/**
 * `npm run coverage`: runs `hardhat test --coverage` from a clean `coverage/` folder (so no
 * earlier run's hits or sources count), adds the branch probes' results to Hardhat's line
 * coverage, writes `coverage/lcov.info` with branch records and `coverage/summary.md`, prints
 * the table, and fails below the contracts' targets.
 */
import { spawnSync } from "node:child_process";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { coverageDir } from "./paths.ts";
import { type BranchMetadata, formatMarkdown, summarize, totals, withBranchRecords } from "./report.ts";

/** Issue 3: the contracts keep at least this share of lines and of branch outcomes covered. */
const MIN_PERCENT = 95;

const root = process.cwd();
const dir = coverageDir(root);
const lcovPath = path.join(dir, "lcov.info");

await rm(dir, { recursive: true, force: true });
const run = spawnSync(path.join(root, "node_modules", ".bin", "hardhat"), ["test", "--coverage"], { stdio: "inherit" });
if (run.status !== 0) {
  console.error("hardhat test --coverage failed; no coverage report");
  process.exit(run.status ?? 1);
}

const lcov = await readFile(lcovPath, "utf8");
const metadata = await readJsonFiles<BranchMetadata>(path.join(dir, "branches"));
const hitTags = new Set((await readJsonFiles<Record<string, number>>(path.join(dir, "data"))).flatMap(Object.keys));
if (metadata.length === 0) throw new Error(`hardhat test --coverage wrote no branch metadata under ${dir}/branches`);

const files = summarize(lcov, metadata, hitTags);
const table = formatMarkdown(files);
await writeFile(lcovPath, withBranchRecords(lcov, metadata, hitTags));
await writeFile(path.join(dir, "summary.md"), `# Contract coverage\n\n${table}\n`);
console.log(`\nContract coverage (lines from Hardhat, branches from the HEXS branch probes)\n\n${table}\n`);

const total = totals(files);
const short = (["lines", "branches"] as const).filter((kind) => total[kind] < MIN_PERCENT);
if (short.length > 0) {
  console.error(short.map((kind) => `${kind} coverage ${total[kind].toFixed(2)}% is below ${MIN_PERCENT}%`).join("\n"));
  process.exitCode = 1;
}

async function readJsonFiles<T>(folder: string): Promise<T[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && e.name.endsWith(".json"));
  return Promise.all(files.map(async (e) => JSON.parse(await readFile(path.join(e.parentPath, e.name), "utf8")) as T));
}
