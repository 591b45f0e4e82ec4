import { getContractEvents, readContract, type Config } from "@wagmi/core";
import type { Address } from "viem";
import { agentLedgerAbi } from "../../contracts/abis.ts";
import { factoryDeployment } from "../factory.ts";

export interface DaoMember {
  account: Address;
  shares: bigint;
  /** Voting units earned by settled spending (activated). */
  spendVotes: bigint;
  /** Current voting power: its shares and spend votes, or what others delegated to it. */
  votes: bigint;
  delegate: Address;
}

/**
 * Every member of an agent's DAO with its shares and votes. Members come from the ledger's
 * `MemberAdded` events (the chain keeps no list); balances from one batch of reads.
 */
export async function readDaoMembers(config: Config, chainId: number, ledger: Address) {
  const at = { chainId, address: ledger, abi: agentLedgerAbi } as const;
  const [added, totalShares, metrics] = await Promise.all([
    getContractEvents(config, { ...at, eventName: "MemberAdded", fromBlock: factoryDeployment(chainId).fromBlock }),
    readContract(config, { ...at, functionName: "totalShares" }),
    readContract(config, { ...at, functionName: "metrics" }),
  ]);
  const accounts = [...new Set(added.flatMap((e) => (e.args.account ? [e.args.account] : [])))];
  const members = await Promise.all(
    accounts.map(async (account): Promise<DaoMember> => {
      const [shares, spendVotes, votes, delegate] = await Promise.all([
        readContract(config, { ...at, functionName: "sharesOf", args: [account] }),
        readContract(config, { ...at, functionName: "spendVotesOf", args: [account] }),
        readContract(config, { ...at, functionName: "getVotes", args: [account] }),
        readContract(config, { ...at, functionName: "delegates", args: [account] }),
      ]);
      return { account, shares, spendVotes, votes, delegate };
    }),
  );
  members.sort((a, b) => (a.votes === b.votes ? 0 : a.votes > b.votes ? -1 : 1));
  // Every voting unit: all shares plus the activated spend votes (membership carries none).
  const totalSpendVotes = metrics.spendVotes;
  const totalVotes = totalShares + totalSpendVotes;
  return { members, totalShares, totalSpendVotes, totalVotes };
}

export type DaoMembers = Awaited<ReturnType<typeof readDaoMembers>>;
