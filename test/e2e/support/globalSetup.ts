import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startIpfsNode } from "../../../dev/ipfs/node.ts";
import { startChain } from "../../../dev/stack/chain.ts";
import { deployContracts } from "../../../dev/stack/deploy.ts";
import { startDemoGateways } from "../../../dev/stack/gateways.ts";
import { freePort } from "../../../dev/stack/ports.ts";
import { ROOT, runToCompletion } from "../../../dev/stack/processes.ts";
import { seedLocalMarketplace } from "../../../dev/stack/seed.ts";
import { startStorachaStandIn } from "../../../dev/standins/storacha/server.ts";
import { serveUnderSubpath } from "../../../dev/stack/subpathServer.ts";

/** A CID-shaped prefix: the site must work below it exactly as it would on a gateway. */
export const SITE_PREFIX = "/ipfs/bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/";

/**
 * Starts what the browser tests need and returns the teardown that stops it: a fresh local
 * chain with the contracts deployed (the generated contract module regenerated from it, or in
 * CI checked against it), a local IPFS node in a temporary folder, the demo marketplace seeded
 * exactly as `npm start` seeds it, the Storacha stand-in (for the tests that choose Storacha
 * on /settings), the demo agents' inference gateways (settling every 2 s, so a test sees usage
 * reach the chain), and the built site served under a sub-path.
 */
export default async function globalSetup() {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    const chain = await startChain(await freePort());
    stops.push(chain.stop);
    const dataDir = await mkdtemp(join(tmpdir(), "hexs-e2e-ipfs-"));
    stops.push(() => rm(dataDir, { recursive: true, force: true }));
    const ipfs = await startIpfsNode({ dataDir });
    stops.push(ipfs.stop);
    const storacha = await startStorachaStandIn();
    stops.push(storacha.stop);

    const { deploymentDir } = await deployContracts(chain.url, "e2e", { check: Boolean(process.env.CI) });
    const [seeded] = await Promise.all([
      seedLocalMarketplace(chain.url, ipfs.url, deploymentDir),
      runToCompletion("npm", ["run", "build"]),
    ]);
    const gatewayDir = await mkdtemp(join(tmpdir(), "hexs-e2e-gateways-"));
    stops.push(() => rm(gatewayDir, { recursive: true, force: true }));
    const gateways = await startDemoGateways({
      rpcUrl: chain.url,
      ipfsGateways: [ipfs.url],
      agents: seeded.agents,
      ports: await Promise.all(seeded.agents.map(() => freePort())),
      dataDir: gatewayDir,
      settleIntervalSeconds: 2,
      watchIntervalSeconds: 1,
    });
    stops.push(() => Promise.all(gateways.map((gateway) => gateway.stop())).then(() => undefined));
    const site = await serveUnderSubpath(`${ROOT}build`, SITE_PREFIX);
    stops.push(site.stop);

    process.env.HEXS_E2E_RPC_URL = chain.url;
    process.env.HEXS_E2E_IPFS_URL = ipfs.url;
    process.env.HEXS_E2E_SITE_URL = site.url;
    process.env.HEXS_E2E_STORACHA_URL = storacha.url;
    process.env.HEXS_E2E_STORACHA_DID = storacha.did;
    process.env.HEXS_E2E_GATEWAYS = JSON.stringify(
      gateways.map(({ agent, url, endpoint, model }) => ({ agent, url, endpoint, model })),
    );
    process.env.HEXS_E2E_SEED = JSON.stringify(seeded, (_, value) =>
      typeof value === "bigint" ? value.toString() : value,
    );
    return stopAll;
  } catch (error) {
    await stopAll();
    throw error;
  }
}
