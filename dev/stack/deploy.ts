import { rm } from "node:fs/promises";
import { join } from "node:path";
import { HARDHAT_CLI, ROOT, runToCompletion } from "./processes.ts";

/**
 * Deploys ignition/modules/Hexs.ts to the chain at `rpcUrl` under its own deployment id, so a
 * test chain and `npm start` never share a journal, then regenerates (or, with `check`,
 * verifies) the app's contract module from it.
 */
export async function deployContracts(rpcUrl: string, deploymentId: string, options: { check?: boolean } = {}) {
  const dir = join(ROOT, "ignition", "deployments", deploymentId);
  // A fresh chain has none of the journal's transactions; Ignition would refuse to continue it.
  await rm(dir, { recursive: true, force: true });
  await runToCompletion(
    process.execPath,
    [
      HARDHAT_CLI,
      "ignition",
      "deploy",
      "ignition/modules/Hexs.ts",
      "--network",
      "localhost",
      "--deployment-id",
      deploymentId,
    ],
    { HEXS_RPC_URL: rpcUrl },
  );
  const exportArgs = ["dev/contracts/main.ts", "--local", dir, ...(options.check ? ["--check"] : [])];
  await runToCompletion(process.execPath, exportArgs);
  return { deploymentDir: dir };
}
