// The real things a gateway test needs: a Hardhat node with HEXS deployed through Ignition, a
// local IPFS node holding a tiny model, a paid agent whose operator is a dev account, and users
// with credits and API keys made the way the dApp makes them.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  bytesToHex,
  createPublicClient,
  createWalletClient,
  http,
  keccak256,
  parseEventLogs,
  toHex,
  zeroAddress,
  type Address,
  type Hex,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { readDeployment } from "../../dev/contracts/exportContracts.ts";
import { startIpfsNode } from "../../dev/ipfs/node.ts";
import { startChain } from "../../dev/stack/chain.ts";
import { freePort } from "../../dev/stack/ports.ts";
import { HARDHAT_CLI, ROOT, runToCompletion } from "../../dev/stack/processes.ts";
import { apiKeyFrom } from "../../src/lib/apiKey.ts";
import { agentAbi, hexsFactoryAbi } from "../../src/lib/contracts/abis.ts";
import { packFiles } from "../../src/lib/ipfs/car.ts";
import { kuboAdapter } from "../../src/lib/ipfs/kubo.ts";
import { uploadCar } from "../../src/lib/ipfs/upload.ts";
import type { GatewayConfig } from "../src/config.ts";

const MNEMONIC = "test test test test test test test test test test test junk";
export const PRICE = 10n ** 12n;

export const devAccount = (index: number) => mnemonicToAccount(MNEMONIC, { addressIndex: index });
export const devKey = (index: number): Hex => bytesToHex(devAccount(index).getHdKey().privateKey!);

export interface TestStack {
  rpcUrl: string;
  ipfsUrl: string;
  factory: Address;
  weightsCid: string;
  publicClient: ReturnType<typeof createPublicClient>;
  /** A new agent created by dev account `owner` (its operator too). */
  createAgent(options: { owner: number; name: string; mode?: "paid" | "free" }): Promise<Address>;
  /** `user` buys `credits` (paid agents) or joins (free), and registers a key with `cap`; returns the key. */
  userKey(agent: Address, user: number, options: { credits?: bigint; cap: bigint; label?: string }): Promise<string>;
  send(account: number, agent: Address, functionName: string, args: readonly unknown[], value?: bigint): Promise<void>;
  gatewayConfig(agent: Address, owner: number, dataDir: string, overrides?: Partial<GatewayConfig>): GatewayConfig;
  stop(): Promise<void>;
}

export async function startTestStack(): Promise<TestStack> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const chain = await startChain(await freePort());
    stops.push(chain.stop);
    const deploymentId = `gateway-test-${process.pid}-${Date.now()}`;
    const deploymentDir = join(ROOT, "ignition", "deployments", deploymentId);
    stops.push(() => rm(deploymentDir, { recursive: true, force: true }));
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
      { HEXS_RPC_URL: chain.url },
    );
    const { factory } = await readDeployment(deploymentDir);
    const ipfsDir = await mkdtemp(join(tmpdir(), "hexs-gateway-ipfs-"));
    stops.push(() => rm(ipfsDir, { recursive: true, force: true }));
    const ipfs = await startIpfsNode({ dataDir: ipfsDir });
    stops.push(ipfs.stop);
    // The tiny model in the Hugging Face layout: the gateway runs it on transformers.js.
    const model = new URL("../../models/out-hf/tiny-stories-char/", import.meta.url);
    const files = [
      "config.json",
      "generation_config.json",
      "tokenizer.json",
      "tokenizer_config.json",
      "special_tokens_map.json",
      "onnx/model.onnx",
    ];
    const car = await packFiles(
      await Promise.all(
        files.map(async (path) => ({ path, content: new Uint8Array(await readFile(new URL(path, model))) })),
      ),
    );
    const weightsCid = (await uploadCar(kuboAdapter({ url: ipfs.url }), car)).cid.toString();

    const transport = http(chain.url);
    const publicClient = createPublicClient({ chain: hardhat, transport, cacheTime: 0 });
    const wallet = (index: number) => createWalletClient({ account: devAccount(index), chain: hardhat, transport });
    const send = async (
      account: number,
      to: Address,
      functionName: string,
      args: readonly unknown[],
      value?: bigint,
    ) => {
      const hash = await wallet(account).writeContract({
        address: to,
        abi: agentAbi,
        functionName,
        args,
        value,
      } as never);
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") throw new Error(`${functionName} reverted`);
    };
    return {
      rpcUrl: chain.url,
      ipfsUrl: ipfs.url,
      factory,
      weightsCid,
      publicClient,
      send,
      async createAgent({ owner, name, mode = "paid" }) {
        const account = devAccount(owner);
        const hash = await wallet(owner).writeContract({
          address: factory,
          abi: hexsFactoryAbi,
          functionName: "createAgent",
          args: [
            {
              salt: keccak256(toHex(`${name}/${Date.now()}/${Math.random()}`)),
              metadata: {
                name,
                modelCardCid: weightsCid,
                baseModel: "hexs-demo/tiny-stories-char",
                baseModelRevision: "main",
                initialWeightsCid: weightsCid,
              },
              parent: zeroAddress,
              settings: {
                mode: mode === "paid" ? 1 : 0,
                pricePerCredit: mode === "paid" ? PRICE : 0n,
                royaltyBps: 0,
                operator: account.address,
                endpoint: "",
              },
              firstVersion: {
                contributor: account.address,
                baseVersion: 0,
                datasetCid: "",
                metricsCid: "",
                leaseProvider: "",
                leaseDseq: 0n,
                leaseCost: 0n,
              },
              votingDelay: 0,
              votingPeriod: 3600,
              quorumPercent: 4,
            },
          ],
        });
        const receipt = await publicClient.waitForTransactionReceipt({ hash });
        const [created] = parseEventLogs({ abi: hexsFactoryAbi, logs: receipt.logs, eventName: "AgentCreated" });
        if (!created) throw new Error("no AgentCreated");
        return created.args.agent;
      },
      async userKey(agent, user, { credits, cap, label = "key" }) {
        const mode = await publicClient.readContract({ address: agent, abi: agentAbi, functionName: "mode" });
        if (mode === 1 && credits) await send(user, agent, "buyCredits", [credits], credits * PRICE);
        else if (mode === 0) await send(user, agent, "join", []).catch(() => undefined);
        const key = apiKeyFrom(
          devAccount(user).address,
          keccak256(toHex(`${agent}/${user}/${label}/${Math.random()}`)),
        );
        await send(user, agent, "createApiKey", [key.secretHash, cap]);
        return key.text;
      },
      gatewayConfig: (agent, owner, dataDir, overrides = {}) => ({
        rpcUrl: chain.url,
        agent,
        operatorKey: devKey(owner),
        receiptKey: devKey(owner),
        registerReceiptSigner: true,
        ipfsGateways: [ipfs.url],
        dataDir,
        host: "127.0.0.1",
        port: 0,
        publicUrl: undefined,
        upstream: undefined,
        settleIntervalMs: 3_600_000,
        settleMaxLines: 100,
        watchIntervalMs: 200,
        maxConcurrentPerKey: 64,
        requestsPerMinutePerKey: 10_000,
        threads: 1,
        keepAliveMs: 15_000,
        ...overrides,
      }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Waits until `check` passes (the gateway's watcher reads events every 200 ms in tests). */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
