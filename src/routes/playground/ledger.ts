// Recording a benchmark result on an agent's ledger.
//
// WARNING: the contracts have no metric-record function yet (IAgent/IAgentLedger record metrics
// only inside a published version, which mints shares). The playground calls
// `Agent.recordMetric(string benchmarkSetCid, string weightsCid, string resultCid)` as soon as
// the generated ABI has it; until then publishing stops after pinning the result document.
import { writeContract, type Config } from "@wagmi/core";
import type { Abi, Address, Hash } from "viem";
import { agentAbi } from "#lib/contracts/abis.ts";
import { HexsError } from "#lib/errors.ts";

export const RECORD_FUNCTION = "recordMetric(string benchmarkSetCid, string weightsCid, string resultCid)";

const abi = agentAbi as Abi;

/** Whether this build's Agent ABI can record a metric on the ledger. */
export const ledgerRecordSupported = abi.some(
  (item) =>
    item.type === "function" &&
    item.name === "recordMetric" &&
    item.inputs.length === 3 &&
    item.inputs.every((input) => input.type === "string"),
);

export class LedgerRecordUnsupportedError extends HexsError {
  override name = "LedgerRecordUnsupportedError";
  constructor() {
    super("This deployment's Agent contract cannot record benchmark results yet", {
      details: `it needs ${RECORD_FUNCTION}`,
    });
  }
}

export interface RecordMetricParameters {
  chainId: number;
  agent: Address;
  benchmarkSetCid: string;
  weightsCid: string;
  resultCid: string;
}

/** Sends the owner's metric record; resolves with the transaction hash. */
export function recordMetric(config: Config, params: RecordMetricParameters): Promise<Hash> {
  if (!ledgerRecordSupported) return Promise.reject(new LedgerRecordUnsupportedError());
  return writeContract(config, {
    chainId: params.chainId,
    address: params.agent,
    abi,
    functionName: "recordMetric",
    args: [params.benchmarkSetCid, params.weightsCid, params.resultCid],
  } as Parameters<typeof writeContract>[1]);
}
