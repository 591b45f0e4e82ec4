// `npm run export:contracts [-- --local <ignition deployment dir>] [--check]`
// Writes src/lib/contracts/{abis,deployments}.ts from the compiled artifacts and the Ignition
// deployments; with --check, fails instead when the committed files differ (stale ABIs).
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  EXPORTED_CONTRACTS,
  committedDeploymentDirs,
  readAbi,
  readDeployment,
  renderModules,
} from "./exportContracts.ts";

const root = new URL("../..", import.meta.url).pathname;
const { values } = parseArgs({ options: { local: { type: "string" }, check: { type: "boolean", default: false } } });

const abis = Object.fromEntries(
  await Promise.all(EXPORTED_CONTRACTS.map(async (name) => [name, await readAbi(root, name)] as const)),
);
const dirs = await committedDeploymentDirs(root);
if (values.local) dirs.push(values.local);
const generated = renderModules(abis, await Promise.all(dirs.map(readDeployment)));

const targets = {
  abis: join(root, "src/lib/contracts/abis.ts"),
  deployments: join(root, "src/lib/contracts/deployments.ts"),
};
let stale = false;
for (const [key, path] of Object.entries(targets) as [keyof typeof targets, string][]) {
  const current = await readFile(path, "utf8").catch(() => "");
  if (current === generated[key]) continue;
  if (values.check) {
    console.error(`${path} is out of date with the contracts. Run \`npm run export:contracts\` and commit it.`);
    stale = true;
  } else {
    await writeFile(path, generated[key]);
    console.log(`wrote ${path}`);
  }
}
if (stale) process.exit(1);
