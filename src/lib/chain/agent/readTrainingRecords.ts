import { getContractEvents, type Config } from "@wagmi/core";
import type { Address } from "viem";
import { agentLedgerAbi } from "../../contracts/abis.ts";
import { factoryDeployment } from "../factory.ts";

/**
 * Each version's full training record. The ledger keeps only a header per version in storage;
 * the record itself (data set, metrics, Akash lease, shares minted) is in its `VersionRecorded`
 * event, so it is read from the logs.
 */
export async function readTrainingRecords(config: Config, chainId: number, ledger: Address) {
  const logs = await getContractEvents(config, {
    chainId,
    address: ledger,
    abi: agentLedgerAbi,
    eventName: "VersionRecorded",
    fromBlock: factoryDeployment(chainId).fromBlock,
    strict: true,
  });
  return logs
    .map(({ args }) => ({
      version: Number(args.version),
      contributor: args.contributor,
      weightsCid: args.weightsCid,
      record: args.record,
      scoreBps: args.scoreBps,
      sharesMinted: args.sharesMinted,
    }))
    .sort((a, b) => a.version - b.version);
}

export type TrainingRecordEntry = Awaited<ReturnType<typeof readTrainingRecords>>[number];
