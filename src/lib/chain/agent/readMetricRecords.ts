import { getContractEvents, type Config } from "@wagmi/core";
import type { Address, Log } from "viem";
import { agentLedgerAbi } from "../../contracts/abis.ts";
import { factoryDeployment } from "../factory.ts";

/** One published benchmark result: a `MetricRecorded` event of an agent's ledger. */
export interface MetricRecord {
  /** The record's number on its ledger, from 0. */
  index: bigint;
  /** Who recorded it: the agent's owner or its DAO at the time. */
  recorder: Address;
  benchmarkSetCid: string;
  weightsCid: string;
  resultCid: string;
  blockNumber: bigint;
}

export type MetricRecordedLog = Log<bigint, number, false, undefined, true, typeof agentLedgerAbi, "MetricRecorded">;

/** The records in `logs`, newest (highest index) first. */
export function toMetricRecords(logs: readonly MetricRecordedLog[]): MetricRecord[] {
  return logs
    .map(({ args, blockNumber }) => ({ ...args, blockNumber }))
    .sort((a, b) => (a.index === b.index ? 0 : a.index > b.index ? -1 : 1));
}

/**
 * Every benchmark result recorded on `ledger` (the agent's `summary.ledger`), newest first. The
 * records live only in the events, so they are read from the factory's deployment block on.
 */
export async function readMetricRecords(config: Config, chainId: number, ledger: Address): Promise<MetricRecord[]> {
  const logs = await getContractEvents(config, {
    chainId,
    address: ledger,
    abi: agentLedgerAbi,
    eventName: "MetricRecorded",
    strict: true,
    fromBlock: factoryDeployment(chainId).fromBlock,
  });
  return toMetricRecords(logs);
}
