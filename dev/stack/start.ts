// `npm start`: the embedded default. Brings up, on 127.0.0.1 only, the local chain with the
// contracts deployed, the local IPFS node, the stand-ins for the Hugging Face hub and Akash, the
// seeded demo marketplace, and the dApp pointed at them. Ctrl-C stops everything it started.
import { join } from "node:path";
import { startIpfsNode } from "../ipfs/node.ts";
import { startAkashStandIn } from "../standins/akash/server.ts";
import { startHubStandIn } from "../standins/hub/server.ts";
import { startStorachaStandIn } from "../standins/storacha/server.ts";
import { startApp } from "./app.ts";
import { startChain } from "./chain.ts";
import { curlSnippet, openaiJsSnippet } from "../../src/lib/inference/snippets.ts";
import { deployContracts } from "./deploy.ts";
import { startDemoGateways } from "./gateways.ts";
import { assertPortFree, portFromEnv } from "./ports.ts";
import { ROOT, type Service } from "./processes.ts";
import { seedLocalMarketplace } from "./seed.ts";

const ports = {
  chain: portFromEnv("HEXS_CHAIN_PORT", 8545),
  ipfs: portFromEnv("HEXS_IPFS_PORT", 5001),
  hub: portFromEnv("HEXS_HUB_PORT", 8091),
  akash: portFromEnv("HEXS_AKASH_PORT", 8090),
  storacha: portFromEnv("HEXS_STORACHA_PORT", 8092),
  app: portFromEnv("HEXS_APP_PORT", 5173),
  /** The demo agents' inference gateways take this port and the ones after it, one each. */
  gateways: portFromEnv("HEXS_GATEWAYS_PORT", 8200),
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
  await assertPortFree(ports.ipfs, "local IPFS node", "HEXS_IPFS_PORT");
  await assertPortFree(ports.hub, "Hugging Face hub stand-in", "HEXS_HUB_PORT");
  await assertPortFree(ports.akash, "Akash stand-in", "HEXS_AKASH_PORT");
  await assertPortFree(ports.storacha, "Storacha stand-in", "HEXS_STORACHA_PORT");
  await assertPortFree(ports.app, "dApp", "HEXS_APP_PORT");

  // Blocks and pins persist between runs; the chain starts fresh each time.
  const ipfs = await startIpfsNode({
    dataDir: process.env.HEXS_DATA_DIR ?? join(ROOT, ".hexs", "ipfs"),
    port: ports.ipfs,
  });
  running.push({ name: "ipfs", url: ipfs.url, stop: ipfs.stop });
  const hub = await startHubStandIn({ port: ports.hub, host: "127.0.0.1" });
  running.push({ name: "hub", url: hub.url, stop: hub.stop });
  // Jobs idle after their final line as the trainer images do, until /train closes the lease.
  const akash = await startAkashStandIn({
    port: ports.akash,
    ipfsApiUrl: ipfs.url,
    hfEndpoint: hub.url,
    holdAfterExit: true,
    proxyAllowedOrigins: [`http://127.0.0.1:${ports.app}`, `http://localhost:${ports.app}`],
  });
  running.push({ name: "akash", url: akash.nodeUrl, stop: akash.stop });
  const storacha = await startStorachaStandIn({ port: ports.storacha });
  running.push({ name: "storacha", url: storacha.url, stop: storacha.stop });

  const chain = await startChain(ports.chain);
  running.push(chain);
  console.log("Deploying the contracts…");
  const { deploymentDir } = await deployContracts(chain.url, "local");
  console.log("Pinning the demo content and seeding the marketplace…");
  const seeded = await seedLocalMarketplace(chain.url, ipfs.url, deploymentDir);
  const gatewayPorts = seeded.agents.map((_, i) => ports.gateways + i);
  for (const port of gatewayPorts) await assertPortFree(port, "inference gateway", "HEXS_GATEWAYS_PORT");
  console.log("Starting the demo agents' inference gateways…");
  const gateways = await startDemoGateways({
    rpcUrl: chain.url,
    ipfsGateways: [ipfs.gatewayUrl],
    agents: seeded.agents,
    ports: gatewayPorts,
    // Usage logs belong to this chain, which starts fresh: they start fresh with it.
    dataDir: join(ROOT, ".hexs", "gateways"),
    settleIntervalSeconds: 10,
    watchIntervalSeconds: 2,
  });
  running.push(...gateways);

  const app = await startApp(ports.app, {
    VITE_HEXS_CHAIN_ID: "31337",
    VITE_HEXS_RPC_URL: chain.url,
    VITE_HEXS_IPFS_API_URL: ipfs.url,
    VITE_HEXS_IPFS_GATEWAYS: ipfs.gatewayUrl,
    VITE_HEXS_HUB_URL: hub.url,
    VITE_HEXS_AKASH_REST_URL: akash.nodeUrl,
    VITE_HEXS_AKASH_CHAIN_ID: akash.chainId,
    // Uploads still go to the local node by default; choosing Storacha on /settings uses the
    // stand-in, which also plays the gateway a new space authorizes.
    VITE_HEXS_STORACHA_SERVICE_URL: storacha.url,
    VITE_HEXS_STORACHA_SERVICE_DID: storacha.did,
    VITE_HEXS_STORACHA_GATEWAY_URL: storacha.url,
    VITE_HEXS_STORACHA_GATEWAY_DID: storacha.did,
    VITE_HEXS_AKASH_PROVIDER_PROXY_URL: akash.providerProxyUrl,
  });
  running.push(app);

  console.log(`
HEXS is running (embedded default, everything on 127.0.0.1):
  dApp         ${app.url}
  local chain  ${chain.url}  (chain id 31337; the dApp's dev wallet holds its funded accounts)
  IPFS node    ${ipfs.url}/api/v0  (Kubo RPC subset)  ·  gateway ${ipfs.gatewayUrl}/ipfs/<cid>
  hub          ${hub.url}  (stand-in for the Hugging Face hub API, serving the repo's tiny models)
  Akash        ${akash.nodeUrl}  (stand-in for an Akash node and its providers; runs fine-tunes on this machine)
  Storacha     ${storacha.url}  (stand-in for up.storacha.network running Storacha's own service code; confirms email logins itself)
  provider proxy ${akash.providerProxyUrl}  (HEXS's provider-proxy service, allowing the dApp's origin)
  providers    ${akash.chain.providers.map((p) => `${p.name} (${p.auth === "mtls" ? "mTLS only" : "JWT"})`).join(", ")}
  marketplace  ${seeded.agents.length} demo agents; open DAO proposal on "${seeded.agents[0]?.name}"
  gateways     ${gateways.map((g) => g.url).join(", ")}  (one per demo agent, OpenAI-compatible, usage settled every 10 s)
${demoCall(seeded.agents, gateways)}
Press Ctrl-C to stop.`);
} catch (error) {
  console.error(`\nnpm start failed: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll(1);
}

/** A call of the first paid demo agent with a key the seed made for one of its users. */
function demoCall(
  agents: Awaited<ReturnType<typeof seedLocalMarketplace>>["agents"],
  gateways: Awaited<ReturnType<typeof startDemoGateways>>,
): string {
  const index = agents.findIndex((agent) => agent.mode === "paid" && agent.apiKeys.length > 0);
  const agent = agents[index];
  const gateway = gateways[index];
  const apiKey = agent?.apiKeys[0]?.text;
  if (!agent || !gateway || !apiKey) return "";
  const target = { endpoint: gateway.endpoint, model: gateway.model, apiKey };
  return `
Call "${agent.name}" with a key the seed made for one of its users:

${curlSnippet(target)}

or with the official openai client (npm install openai):

${openaiJsSnippet(target)}
`;
}
