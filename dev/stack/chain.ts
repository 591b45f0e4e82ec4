import { createPublicClient, http } from "viem";
import { HARDHAT_CLI, spawnService, stopChild, waitUntil, type Service } from "./processes.ts";

/** A Hardhat node (chain id 31337) on 127.0.0.1:`port`, ready when its RPC answers. */
export async function startChain(port: number): Promise<Service> {
  const child = spawnService(
    "chain",
    process.execPath,
    [HARDHAT_CLI, "node", "--hostname", "127.0.0.1", "--port", String(port)],
    {
      quiet: true,
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const client = createPublicClient({ transport: http(url, { retryCount: 0 }) });
  let exited = false;
  child.once("exit", () => (exited = true));
  await waitUntil("the local chain", async () => {
    if (exited) throw new Error("the Hardhat node exited during start-up");
    return (await client.getChainId()) === 31337;
  });
  return { name: "chain", url, stop: () => stopChild(child) };
}
