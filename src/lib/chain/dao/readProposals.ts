import { getBlock, getContractEvents, readContract, type Config } from "@wagmi/core";
import type { Address, Hex } from "viem";
import { agentDAOAbi } from "../../contracts/abis.ts";
import { factoryDeployment } from "../factory.ts";
import type { ProposalAction } from "./describeAction.ts";
import { proposalStateLabel, type ProposalStateLabel } from "./proposalState.ts";

export interface Proposal {
  id: bigint;
  /** From the `ProposalCreated` event; the chain stores only its hash. */
  description: string | undefined;
  descriptionHash: Hex;
  proposer: Address;
  actions: ProposalAction[];
  state: ProposalStateLabel;
  votes: { against: bigint; for: bigint; abstain: bigint };
  /** Timestamps (the ledger's clock): voting starts after `snapshot` and ends at `deadline`. */
  snapshot: bigint;
  deadline: bigint;
  /** When a queued proposal may run (the chain's clock); 0 until it is queued. */
  eta: bigint;
  /** Cancelled because the agent was sold after its snapshot (its votes counted the seller's shares). */
  cancelledBySale: boolean;
  /** For + abstain votes needed; unknown while the snapshot is still in the future. */
  quorum: bigint | undefined;
  /** Whether the connected account has voted (undefined when none is connected). */
  hasVoted: boolean | undefined;
  /** The connected account's votes at the snapshot, once the snapshot has passed. */
  voterWeight: bigint | undefined;
}

/**
 * Every proposal of a DAO, newest first, from the governor's on-chain enumeration
 * (`proposalCount` / `proposalDetailsAt`) plus the descriptions in `ProposalCreated` events.
 * Also returns the chain's current time, which the deadlines are measured against.
 */
export async function readProposals(config: Config, chainId: number, dao: Address, voter?: Address) {
  const at = { chainId, address: dao, abi: agentDAOAbi } as const;
  const [count, created, latest, lastSaleAt] = await Promise.all([
    readContract(config, { ...at, functionName: "proposalCount" }),
    getContractEvents(config, { ...at, eventName: "ProposalCreated", fromBlock: factoryDeployment(chainId).fromBlock }),
    getBlock(config, { chainId }),
    readContract(config, { ...at, functionName: "lastSaleAt" }),
  ]);
  const descriptions = new Map(created.map((e) => [e.args.proposalId, e.args.description]));
  const indexes = Array.from({ length: Number(count) }, (_, i) => BigInt(Number(count) - 1 - i));
  const proposals = await Promise.all(
    indexes.map(async (index): Promise<Proposal> => {
      const [id, targets, values, calldatas, descriptionHash] = await readContract(config, {
        ...at,
        functionName: "proposalDetailsAt",
        args: [index],
      });
      const [state, [against, inFavour, abstain], snapshot, deadline, proposer, eta, hasVoted] = await Promise.all([
        readContract(config, { ...at, functionName: "state", args: [id] }),
        readContract(config, { ...at, functionName: "proposalVotes", args: [id] }),
        readContract(config, { ...at, functionName: "proposalSnapshot", args: [id] }),
        readContract(config, { ...at, functionName: "proposalDeadline", args: [id] }),
        readContract(config, { ...at, functionName: "proposalProposer", args: [id] }),
        readContract(config, { ...at, functionName: "proposalEta", args: [id] }),
        voter ? readContract(config, { ...at, functionName: "hasVoted", args: [id, voter] }) : undefined,
      ]);
      // Both read past checkpoints: unknown (the call reverts) until the snapshot has passed.
      const past = snapshot < latest.timestamp;
      const [quorum, voterWeight] = await Promise.all([
        past
          ? readContract(config, { ...at, functionName: "quorum", args: [snapshot] }).catch(() => undefined)
          : undefined,
        past && voter
          ? readContract(config, { ...at, functionName: "getVotes", args: [voter, snapshot] }).catch(() => undefined)
          : undefined,
      ]);
      return {
        id,
        description: descriptions.get(id),
        descriptionHash,
        proposer,
        actions: targets.map((target, i) => ({ target, value: values[i] ?? 0n, calldata: calldatas[i] ?? "0x" })),
        state: proposalStateLabel(state),
        votes: { against, for: inFavour, abstain },
        eta,
        cancelledBySale: proposalStateLabel(state) === "Canceled" && snapshot < lastSaleAt,
        snapshot,
        deadline,
        quorum,
        hasVoted,
        voterWeight,
      };
    }),
  );
  return { proposals, now: latest.timestamp };
}

export type ProposalList = Awaited<ReturnType<typeof readProposals>>;
