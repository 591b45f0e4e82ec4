// Marketplace benchmark: with 1 000 and 10 000 agents on a local chain, the time from navigation
// to the first page of marketplace cards in headless Chromium, the RPC requests it took, and the
// JavaScript the marketplace route loads (gzip).
import { gzipSync } from "node:zlib";
import { chromium } from "@playwright/test";
import { createPublicClient, createWalletClient, http, keccak256, toHex, zeroAddress, type Address } from "viem";
import { hardhat } from "viem/chains";
import { readDeployment } from "../contracts/exportContracts.ts";
import { hexsFactoryAbi } from "../../src/lib/contracts/abis.ts";
import { startChain } from "../stack/chain.ts";
import { deployContracts } from "../stack/deploy.ts";
import { freePort } from "../stack/ports.ts";
import { ROOT, runToCompletion } from "../stack/processes.ts";
import { serveUnderSubpath } from "../stack/subpathServer.ts";
import type { BenchMetric, BenchSection } from "./report.ts";
import { CHROMIUM_ARGS, chromiumExecutablePath } from "../chromium.ts";

const SIZES = [1_000, 10_000];
const PREFIX = "/ipfs/bafybeibenchmarkmarketplace/";

/**
 * Creates agents until the registry holds `total`, from the node's first unlocked account. Sent
 * one after another: an automining Hardhat node refuses a nonce that arrives ahead of its turn.
 */
async function fillRegistry(rpcUrl: string, factory: Address, total: number): Promise<void> {
  const transport = http(rpcUrl);
  const publicClient = createPublicClient({ chain: hardhat, transport });
  const [creator] = await createWalletClient({ chain: hardhat, transport }).getAddresses();
  if (!creator) throw new Error("the node has no unlocked account");
  const wallet = createWalletClient({ account: creator, chain: hardhat, transport });
  const have = Number(await publicClient.readContract({ address: factory, abi: hexsFactoryAbi, functionName: "agentCount" }));
  let nonce = await publicClient.getTransactionCount({ address: creator });
  for (let i = have; i < total; i++) {
    await wallet.writeContract({
        address: factory,
        abi: hexsFactoryAbi,
        functionName: "createAgent",
        nonce: nonce++,
        gas: 1_500_000n,
        args: [
          {
            salt: keccak256(toHex(`bench/${i}`)),
            metadata: {
              name: `Bench agent ${i}`,
              modelCardCid: "bafkreibenchmarkcard",
              baseModel: i % 2 ? "hexs-demo/tiny-verse-char" : "hexs-demo/tiny-stories-char",
              baseModelRevision: "main",
              initialWeightsCid: "bafybeibenchmarkweights",
            },
            parent: zeroAddress,
            settings: { mode: i % 3 === 0 ? 0 : 1, pricePerCredit: i % 3 === 0 ? 0n : BigInt(1e12 + i), royaltyBps: 0, operator: creator, endpoint: "" },
            firstVersion: { contributor: creator, baseVersion: 0, datasetCid: "", metricsCid: "", leaseProvider: "", leaseDseq: 0n, leaseCost: 0n },
            votingDelay: 0,
            votingPeriod: 3600,
            quorumPercent: 4,
          },
        ],
      });
  }
  const count = await publicClient.readContract({ address: factory, abi: hexsFactoryAbi, functionName: "agentCount" });
  if (Number(count) !== total) throw new Error(`registry holds ${count} agents, expected ${total}`);
}

interface PageLoad {
  firstCardMs: number;
  rpcRequests: number;
  jsGzipBytes: number;
  /** From typing a search to the first matching card, read from the streaming index. */
  searchFirstMatchMs: number;
  /** From typing a search to every agent's summary read (search and sort then cover all). */
  searchIndexCompleteMs: number;
}

async function measurePageLoad(siteUrl: string, rpcUrl: string): Promise<PageLoad> {
  const browser = await chromium.launch({ executablePath: chromiumExecutablePath(), args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.addInitScript((url) => localStorage.setItem("hexs:settings", JSON.stringify({ chainId: 31337, rpcUrl: url })), rpcUrl);
    let rpcRequests = 0;
    let jsGzipBytes = 0;
    const bodies: Promise<void>[] = [];
    page.on("request", (request) => {
      if (request.url().startsWith(rpcUrl)) rpcRequests++;
    });
    page.on("response", (response) => {
      if (response.url().endsWith(".js")) bodies.push(response.body().then((body) => void (jsGzipBytes += gzipSync(body).length)));
    });
    await page.goto(siteUrl);
    const firstCard = page.getByTestId("agent-card").first();
    const failure = page.getByTestId("marketplace-error");
    await firstCard.or(failure).waitFor({ timeout: 120_000 });
    if (await failure.isVisible()) throw new Error(`the marketplace failed: ${await failure.textContent()}`);
    const firstCardMs = await page.evaluate(() => performance.now());
    await page.waitForLoadState("networkidle");
    await Promise.all(bodies);
    const browsingRequests = rpcRequests;

    // Half the bench agents use this base model, so matches arrive with the first chunk.
    const typedAt = await page.evaluate(() => performance.now());
    await page.getByRole("searchbox", { name: "Search" }).fill("tiny-verse-char");
    await page.getByTestId("agent-card").filter({ hasText: "tiny-verse-char" }).first().waitFor({ timeout: 120_000 });
    const searchFirstMatchMs = (await page.evaluate(() => performance.now())) - typedAt;
    await page.getByTestId("index-progress").waitFor({ state: "detached", timeout: 300_000 });
    const searchIndexCompleteMs = (await page.evaluate(() => performance.now())) - typedAt;
    return { firstCardMs, rpcRequests: browsingRequests, jsGzipBytes, searchFirstMatchMs, searchIndexCompleteMs };
  } finally {
    await browser.close();
  }
}

export async function run(): Promise<BenchSection> {
  await runToCompletion("npm", ["run", "build"]);
  const chain = await startChain(await freePort());
  const site = await serveUnderSubpath(`${ROOT}build`, PREFIX);
  const metrics: BenchMetric[] = [];
  try {
    const { deploymentDir } = await deployContracts(chain.url, "bench");
    const { factory } = await readDeployment(deploymentDir);
    for (const size of SIZES) {
      await fillRegistry(chain.url, factory, size);
      const load = await measurePageLoad(site.url, chain.url);
      const timeTarget = size <= 1_000 ? 1_500 : 2_000;
      metrics.push(
        { name: `${size} agents: navigation → first cards`, value: Math.round(load.firstCardMs), unit: "ms", target: `≤ ${timeTarget}`, met: load.firstCardMs <= timeTarget },
        { name: `${size} agents: RPC requests`, value: load.rpcRequests, unit: "requests", ...(size <= 1_000 ? { target: "≤ 5", met: load.rpcRequests <= 5 } : {}) },
        { name: `${size} agents: search → first matching card`, value: Math.round(load.searchFirstMatchMs), unit: "ms" },
        {
          name: `${size} agents: search → every agent read (search and sort complete)`,
          value: Math.round(load.searchIndexCompleteMs),
          unit: "ms",
          ...(size >= 10_000 ? { target: "≤ 3000", met: load.searchIndexCompleteMs <= 3_000 } : {}),
        },
      );
      if (size === SIZES[0]) {
        metrics.push({ name: "marketplace route JavaScript (gzip)", value: Math.round(load.jsGzipBytes / 1024), unit: "KiB", target: "≤ 200", met: load.jsGzipBytes <= 200 * 1024 });
      }
    }
  } finally {
    await site.stop();
    await chain.stop();
  }
  return {
    title: "Marketplace in the browser",
    method: `Built site served under ${PREFIX}; headless Chromium opens \`#/\` against a local Hardhat node holding the given number of agents (created from one account through the factory). Time is performance.now() when the first card is in the DOM (from navigation start); requests are HTTP requests to the RPC URL (JSON-RPC batches count once). JS is every .js response of the route, gzip-compressed here. Search: typing a base model shared by half the agents; the index reads every name, base model and card CID from the factory's AgentCreated events (eth_getLogs in parts of about 3 000 logs, two at a time) and the figures from its listing words (5 000 per eth_call, one call at a time), all at one block.`,
    metrics,
  };
}
