import type { Page } from "@playwright/test";
import type { SeededAgent } from "../../../dev/seed/seedMarketplace.ts";

export function e2eEnv() {
  const { HEXS_E2E_RPC_URL: rpcUrl, HEXS_E2E_SITE_URL: siteUrl, HEXS_E2E_IPFS_URL: ipfsUrl } = process.env;
  if (!rpcUrl || !siteUrl || !ipfsUrl) throw new Error("globalSetup did not run: the HEXS_E2E_* variables are missing");
  return { rpcUrl, siteUrl, ipfsUrl };
}

/** The Storacha stand-in globalSetup started: its service URL and DID. */
export function e2eStoracha() {
  const { HEXS_E2E_STORACHA_URL: url, HEXS_E2E_STORACHA_DID: did } = process.env;
  if (!url || !did) throw new Error("globalSetup did not run: the HEXS_E2E_STORACHA_* variables are missing");
  return { url, did };
}

/** The demo agents globalSetup seeded (bigints arrive as decimal strings). */
export function seededAgents(): Pick<SeededAgent, "name" | "agent" | "ledger" | "dao" | "owner" | "mode">[] {
  return (JSON.parse(process.env.HEXS_E2E_SEED ?? "{}") as { agents?: SeededAgent[] }).agents ?? [];
}

/** The inference gateway globalSetup runs for the seeded agent `agent`. */
export function e2eGateway(agent: string): { agent: string; url: string; endpoint: string; model: string } {
  const gateways = JSON.parse(process.env.HEXS_E2E_GATEWAYS ?? "[]") as ReturnType<typeof e2eGateway>[];
  const gateway = gateways.find((g) => g.agent.toLowerCase() === agent.toLowerCase());
  if (!gateway) throw new Error(`globalSetup runs no gateway for ${agent}`);
  return gateway;
}

/** The settings a user would enter on /settings to use the test chain and IPFS node. */
export function testSettings() {
  const { rpcUrl, ipfsUrl } = e2eEnv();
  return { chainId: 31337, rpcUrl, ipfsApiUrl: ipfsUrl, ipfsGateways: [ipfsUrl] };
}

/**
 * Opens the built site at `route` (a hash route such as "#/account"), with its settings pointing
 * at the test chain and IPFS node the way a user would set them on /settings; `overrides` sets
 * more of them (e.g. `{ hubUrl }`).
 */
export async function openApp(page: Page, route = "#/", overrides: Record<string, unknown> = {}): Promise<void> {
  await page.addInitScript(
    (settings) => {
      localStorage.setItem("hexs:settings", JSON.stringify(settings));
    },
    { ...testSettings(), ...overrides },
  );
  await page.goto(`${e2eEnv().siteUrl}${route}`);
}
