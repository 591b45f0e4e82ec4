// `npm run mutation:contracts [-- --jobs 2] [--file contracts/Agent.sol]`: mutation testing of the
// contracts. Every mutant of dev/mutation/mutants.ts is written into a private copy of the repo
// and the whole contract suite (`hardhat test`: Solidity fuzz and invariant tests, node:test) runs
// against it; a mutant is killed when the suite fails. Writes bench/mutation.{json,md} and fails
// below the target kill rate.
//
// A full run takes hours on two cores, so each outcome is written to bench/mutation.progress.json
// as it is known: a run that is stopped resumes where it was, reusing an outcome only while the
// contracts and their tests are byte for byte the ones it was measured with.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { HARDHAT_CLI, ROOT } from "../stack/processes.ts";
import { mutantsOf, type Mutant } from "./mutants.ts";
import { renderMutationReport, type MutantResult, type Outcome } from "./report.ts";

const TARGET_KILL_RATE = 0.95;
const CONTRACTS = [
  "contracts/Agent.sol",
  "contracts/AgentLedger.sol",
  "contracts/AgentDAO.sol",
  "contracts/HexsFactory.sol",
  "contracts/libraries/AgentArgs.sol",
  "contracts/libraries/CloneArgs.sol",
  "contracts/libraries/Score.sol",
];
/** Copied into each worker's folder; everything else (node_modules) is linked or rebuilt. */
const COPIED = [
  "contracts",
  "test/contracts",
  "ignition/modules",
  "src/lib",
  "dev",
  "hardhat.config.ts",
  "package.json",
  "tsconfig.json",
];
const MUTANT_TIMEOUT_MS = 10 * 60_000;

const { values } = parseArgs({
  options: { jobs: { type: "string", default: "2" }, file: { type: "string", multiple: true } },
});
const files = values.file?.length ? values.file : CONTRACTS;
const mutants: Mutant[] = [];
for (const file of files) mutants.push(...mutantsOf(file, await readFile(join(ROOT, file), "utf8")));
console.log(`mutation: ${mutants.length} mutants of ${files.length} files, ${values.jobs} at a time`);

const started = Date.now();
const PROGRESS = join(ROOT, "bench", "mutation.progress.json");
const suite = await suiteHash();
const known = await readProgress(suite);
const results: MutantResult[] = [];
const pending: Mutant[] = [];
for (const mutant of mutants) {
  const { file, line, kind, description, equivalent } = mutant;
  const reused = known.get(mutantKey(mutant));
  if (equivalent !== undefined)
    results.push({ file, line, kind, description, outcome: "equivalent", ms: 0, reason: equivalent });
  else if (reused) results.push(reused);
  else pending.push(mutant);
}
console.log(`mutation: ${results.length} known from ${relative(ROOT, PROGRESS)}, ${pending.length} to run`);
await mkdir(join(ROOT, "bench"), { recursive: true });
const workers =
  pending.length === 0 ? [] : await Promise.all(Array.from({ length: Number(values.jobs) }, (_, i) => makeWorker(i)));
let next = 0;
await Promise.all(
  workers.map(async (dir) => {
    const baseline = await runSuite(dir);
    if (baseline !== "survived") throw new Error(`the suite does not pass without a mutant (${baseline}, in ${dir})`);
    while (next < pending.length) {
      const mutant = pending[next++]!;
      const original = await readFile(join(dir, mutant.file), "utf8");
      await writeFile(join(dir, mutant.file), mutant.source);
      const t0 = Date.now();
      const outcome = await runSuite(dir);
      await writeFile(join(dir, mutant.file), original);
      results.push({
        file: mutant.file,
        line: mutant.line,
        kind: mutant.kind,
        description: mutant.description,
        outcome,
        ms: Date.now() - t0,
        key: mutantKey(mutant),
      });
      await writeProgress(suite, results);
      console.log(
        `mutation: ${results.length}/${mutants.length} ${mutant.file}:${mutant.line} ${mutant.description} → ${outcome}`,
      );
    }
  }),
);
for (const dir of workers) await rm(dir, { recursive: true, force: true });

results.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
// Minutes of suite time over every mutant run, this run's and the reused ones alike.
const minutes = results.reduce((sum, r) => sum + r.ms, 0) / 60_000 / Number(values.jobs);
const report = renderMutationReport(results, { target: TARGET_KILL_RATE, minutes });
await writeFile(
  join(ROOT, "bench", "mutation.json"),
  JSON.stringify({ generatedAt: new Date().toISOString(), ...report.summary, results }, null, 2),
);
await writeFile(join(ROOT, "bench", "mutation.md"), report.markdown);
await rm(PROGRESS, { force: true });
console.log(`mutation: this run took ${((Date.now() - started) / 60_000).toFixed(1)} min`);
console.log(report.markdown);
if (!report.summary.met) process.exit(1);

/** What a mutant's outcome depends on besides the mutant: the contracts and their tests. */
async function suiteHash(): Promise<string> {
  const hash = createHash("sha256");
  for (const dir of ["contracts", "test/contracts"]) {
    const files = (await readdir(join(ROOT, dir), { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name))
      .sort();
    for (const file of files)
      hash
        .update(relative(ROOT, file))
        .update("\0")
        .update(await readFile(file))
        .update("\0");
  }
  return hash.digest("hex");
}

function mutantKey(mutant: Mutant): string {
  return `${mutant.file}:${mutant.line}:${mutant.description}:${createHash("sha256").update(mutant.source).digest("hex")}`;
}

/** Outcomes measured earlier against this very suite, by mutant key. */
async function readProgress(suite: string): Promise<Map<string, MutantResult>> {
  const text = await readFile(PROGRESS, "utf8").catch(() => undefined);
  if (text === undefined) return new Map();
  const progress = JSON.parse(text) as { suite: string; results: MutantResult[] };
  if (progress.suite !== suite) {
    console.log("mutation: the contracts or their tests changed since the saved progress; starting over");
    return new Map();
  }
  return new Map(progress.results.filter((r) => r.key !== undefined).map((r) => [r.key!, r]));
}

async function writeProgress(suite: string, results: readonly MutantResult[]): Promise<void> {
  const measured = results.filter((r) => r.key !== undefined);
  // Written whole to a temporary name, then renamed: a run killed mid-write keeps the last copy.
  await writeFile(`${PROGRESS}.tmp`, JSON.stringify({ suite, results: measured }, null, 1));
  await rename(`${PROGRESS}.tmp`, PROGRESS);
}

/** A private copy of what the contract suite needs, sharing node_modules with the checkout. */
async function makeWorker(index: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `hexs-mutation-${index}-`));
  for (const path of COPIED) await cp(join(ROOT, path), join(dir, path), { recursive: true });
  await symlink(join(ROOT, "node_modules"), join(dir, "node_modules"));
  console.log(`mutation: worker ${index} in ${relative(tmpdir(), dir)}`);
  return dir;
}

/**
 * Runs the contract suite in `dir`: killed when it fails, survived when it passes, stillborn when
 * it does not compile. The node:test suites run first (they kill most mutants); the Solidity unit,
 * fuzz and invariant tests run only when those pass, so a mutant is "survived" only if both pass.
 */
async function runSuite(dir: string): Promise<Outcome> {
  const nodeTests = await runHardhatTest(dir, "nodejs");
  return nodeTests === "survived" ? runHardhatTest(dir, "solidity") : nodeTests;
}

function runHardhatTest(dir: string, runner: "nodejs" | "solidity"): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [HARDHAT_CLI, "test", runner], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), MUTANT_TIMEOUT_MS);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve("survived");
      else if (/HHE910|Compilation failed/.test(output)) resolve("stillborn");
      else resolve(code === null ? "timeout" : "killed");
    });
  });
}
