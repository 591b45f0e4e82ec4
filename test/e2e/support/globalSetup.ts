import { startChain } from "../../../dev/stack/chain.ts";
import { deployContracts } from "../../../dev/stack/deploy.ts";
import { freePort } from "../../../dev/stack/ports.ts";
import { ROOT, runToCompletion } from "../../../dev/stack/processes.ts";
import { serveUnderSubpath } from "./subpathServer.ts";

/** A CID-shaped prefix: the site must work below it exactly as it would on a gateway. */
export const SITE_PREFIX = "/ipfs/bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/";

/**
 * Starts what the browser tests need — a fresh local chain with the contracts deployed (and the
 * generated contract module regenerated, or in CI checked, from it), and the built site served
 * under a sub-path —
 * and returns the teardown that stops them.
 */
export default async function globalSetup() {
  const chain = await startChain(await freePort());
  try {
    // In CI a stale generated contract module fails the run; locally it is simply regenerated.
    await deployContracts(chain.url, "e2e", { check: Boolean(process.env.CI) });
    await runToCompletion("npm", ["run", "build"]);
    const site = await serveUnderSubpath(`${ROOT}build`, SITE_PREFIX);
    process.env.HEXS_E2E_RPC_URL = chain.url;
    process.env.HEXS_E2E_SITE_URL = site.url;
    return async () => {
      await site.stop();
      await chain.stop();
    };
  } catch (error) {
    await chain.stop();
    throw error;
  }
}
