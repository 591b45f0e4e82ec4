import { getBalance, readContract, type Config } from "@wagmi/core";
import type { Address } from "viem";
import { agentAbi, agentDAOAbi } from "../../contracts/abis.ts";

export interface DaoAddresses {
  agent: Address;
  dao: Address;
}

/**
 * The DAO's rules and treasury, in one JSON-RPC batch. The treasury is the ETH the governor holds:
 * it executes its own proposals (after their timelock), so transfers out of it are proposals too.
 */
export async function readDao(config: Config, chainId: number, { agent, dao }: DaoAddresses) {
  const at = { chainId, address: dao, abi: agentDAOAbi } as const;
  const [
    treasury,
    votingDelay,
    votingPeriod,
    quorumNumerator,
    quorumDenominator,
    proposalThreshold,
    daoPowers,
    executionDelay,
  ] = await Promise.all([
    getBalance(config, { chainId, address: dao }).then((b) => b.value),
    readContract(config, { ...at, functionName: "votingDelay" }),
    readContract(config, { ...at, functionName: "votingPeriod" }),
    readContract(config, { ...at, functionName: "quorumNumerator" }),
    readContract(config, { ...at, functionName: "quorumDenominator" }),
    readContract(config, { ...at, functionName: "proposalThreshold" }),
    readContract(config, { chainId, address: agent, abi: agentAbi, functionName: "daoPowers" }),
    readContract(config, { ...at, functionName: "EXECUTION_DELAY" }),
  ]);
  return {
    treasury,
    votingDelay,
    votingPeriod,
    quorumPercent: Number((quorumNumerator * 10_000n) / quorumDenominator) / 100,
    proposalThreshold,
    daoPowers,
    executionDelay,
  };
}

export type DaoOverview = Awaited<ReturnType<typeof readDao>>;
