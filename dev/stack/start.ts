// `npm start`: the embedded default. Brings up, on 127.0.0.1 only, the local chain with the
// contracts deployed, and the dApp pointed at it. Ctrl-C stops everything it started.
import { startApp } from "./app.ts";
import { startChain } from "./chain.ts";
import { deployContracts } from "./deploy.ts";
import { assertPortFree, portFromEnv } from "./ports.ts";
import type { Service } from "./processes.ts";

const ports = {
  chain: portFromEnv("HEXS_CHAIN_PORT", 8545),
  app: portFromEnv("HEXS_APP_PORT", 5173),
};

const running: Service[] = [];
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log("\nStopping the local stack…");
    for (const service of running.reverse()) await service.stop().catch((e: unknown) => console.error(e));
  }
  process.exit(code);
}

process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));

try {
  await assertPortFree(ports.chain, "local chain", "HEXS_CHAIN_PORT");
  await assertPortFree(ports.app, "dApp", "HEXS_APP_PORT");

  const chain = await startChain(ports.chain);
  running.push(chain);
  console.log("Deploying the contracts…");
  await deployContracts(chain.url, "local");

  const app = await startApp(ports.app, { VITE_HEXS_CHAIN_ID: "31337", VITE_HEXS_RPC_URL: chain.url });
  running.push(app);

  console.log(`
HEXS is running (embedded default, everything on 127.0.0.1):
  dApp         ${app.url}
  local chain  ${chain.url}  (chain id 31337; the dApp's dev wallet holds its funded accounts)

Press Ctrl-C to stop.`);
} catch (error) {
  console.error(`\nnpm start failed: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll(1);
}
