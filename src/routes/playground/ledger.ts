// Recording a benchmark result on an agent's ledger: `Agent.recordMetric` (owner or DAO), which
// the ledger announces as `MetricRecorded`.
import { writeContract, type Config } from "@wagmi/core";
import type { Address, Hash } from "viem";
import { agentAbi } from "#lib/contracts/abis.ts";

export interface RecordMetricParameters {
  chainId: number;
  agent: Address;
  benchmarkSetCid: string;
  weightsCid: string;
  resultCid: string;
}

/** Sends the owner's metric record; resolves with the transaction hash. */
export function recordMetric(config: Config, params: RecordMetricParameters): Promise<Hash> {
  return writeContract(config, {
    chainId: params.chainId,
    address: params.agent,
    abi: agentAbi,
    functionName: "recordMetric",
    args: [params.benchmarkSetCid, params.weightsCid, params.resultCid],
  });
}
