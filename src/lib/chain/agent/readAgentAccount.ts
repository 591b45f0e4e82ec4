import { getBlock, getContractEvents, readContract, type Config } from "@wagmi/core";
import type { Address, Hex } from "viem";
import { agentAbi, agentLedgerAbi } from "../../contracts/abis.ts";
import { factoryDeployment } from "../factory.ts";

/**
 * What one account has in one agent: credits (and a pending refund), settled spending and the
 * votes it earns, membership, rating, shares, earnings and API keys.
 */
export async function readAgentAccount(
  config: Config,
  chainId: number,
  agent: Address,
  ledger: Address,
  user: Address,
) {
  const at = { chainId, address: agent, abi: agentAbi } as const;
  const atLedger = { chainId, address: ledger, abi: agentLedgerAbi } as const;
  const [
    account,
    refundAllowance,
    withdrawable,
    isMember,
    [rating, ratingWeight],
    shares,
    totalShares,
    votes,
    spendVotes,
    spendPerVote,
    latest,
    created,
  ] = await Promise.all([
    readContract(config, { ...at, functionName: "account", args: [user] }),
    readContract(config, { ...at, functionName: "refundAllowance", args: [user] }),
    readContract(config, { ...at, functionName: "withdrawable", args: [user] }),
    readContract(config, { ...atLedger, functionName: "isMember", args: [user] }),
    readContract(config, { ...atLedger, functionName: "ratingOf", args: [user] }),
    readContract(config, { ...atLedger, functionName: "sharesOf", args: [user] }),
    readContract(config, { ...atLedger, functionName: "totalShares" }),
    readContract(config, { ...atLedger, functionName: "getVotes", args: [user] }),
    readContract(config, { ...atLedger, functionName: "spendVotesOf", args: [user] }),
    readContract(config, { ...atLedger, functionName: "SPEND_PER_VOTE" }),
    getBlock(config, { chainId }),
    getContractEvents(config, {
      ...at,
      eventName: "ApiKeyCreated",
      args: { user },
      fromBlock: factoryDeployment(chainId).fromBlock,
    }),
  ]);
  const keyIds = created.map((event) => event.args.keyId).filter((id): id is Hex => id !== undefined);
  const keys = await Promise.all(
    keyIds.map(async (keyId) => ({
      keyId,
      ...(await readContract(config, { ...at, functionName: "apiKey", args: [keyId] })),
    })),
  );
  // Settled spending earns votes once activated (anyone may send the activation).
  const votesToActivate = account.spent / spendPerVote - spendVotes;
  return {
    account,
    refundAllowance,
    withdrawable,
    isMember,
    rating,
    ratingWeight,
    shares,
    totalShares,
    votes,
    spendVotes,
    votesToActivate,
    keys,
    /** The chain's clock, which the refund time is measured against. */
    now: latest.timestamp,
  };
}

export type AgentAccount = Awaited<ReturnType<typeof readAgentAccount>>;
