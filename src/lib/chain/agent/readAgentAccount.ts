import { getContractEvents, readContract, type Config } from "@wagmi/core";
import type { Address, Hex } from "viem";
import { agentAbi, agentLedgerAbi } from "../../contracts/abis.ts";
import { factoryDeployment } from "../factory.ts";

/** What one account has in one agent: credits, membership, rating, shares, earnings and API keys. */
export async function readAgentAccount(
  config: Config,
  chainId: number,
  agent: Address,
  ledger: Address,
  user: Address,
) {
  const at = { chainId, address: agent, abi: agentAbi } as const;
  const atLedger = { chainId, address: ledger, abi: agentLedgerAbi } as const;
  const [account, withdrawable, isMember, rating, shares, totalShares, created] = await Promise.all([
    readContract(config, { ...at, functionName: "account", args: [user] }),
    readContract(config, { ...at, functionName: "withdrawable", args: [user] }),
    readContract(config, { ...atLedger, functionName: "isMember", args: [user] }),
    readContract(config, { ...atLedger, functionName: "ratingOf", args: [user] }),
    readContract(config, { ...atLedger, functionName: "sharesOf", args: [user] }),
    readContract(config, { ...atLedger, functionName: "totalShares" }),
    getContractEvents(config, {
      ...at,
      eventName: "ApiKeyCreated",
      args: { user },
      fromBlock: factoryDeployment(chainId).fromBlock,
    }),
  ]);
  const keyHashes = created.map((event) => event.args.keyHash).filter((hash): hash is Hex => hash !== undefined);
  const keys = await Promise.all(
    keyHashes.map(async (keyHash) => ({
      keyHash,
      ...(await readContract(config, { ...at, functionName: "apiKey", args: [keyHash] })),
    })),
  );
  return { account, withdrawable, isMember, rating, shares, totalShares, keys };
}

export type AgentAccount = Awaited<ReturnType<typeof readAgentAccount>>;
