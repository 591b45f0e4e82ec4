import { describe, expect, it } from "vitest";
import { encodeAbiParameters, encodeEventTopics, getAbiItem, parseEventLogs, type Address, type Log } from "viem";
import { agentLedgerAbi } from "../../contracts/abis.ts";
import { toMetricRecords } from "./readMetricRecords.ts";

const LEDGER: Address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const OWNER: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const DAO: Address = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

const event = getAbiItem({ abi: agentLedgerAbi, name: "MetricRecorded" });
const dataInputs = event.inputs.filter((input) => !input.indexed);

/** A log as the node returns it for `MetricRecorded(index, recorder, set, weights, result)`. */
function metricLog(index: bigint, recorder: Address, cids: [string, string, string], blockNumber: bigint): Log {
  return {
    address: LEDGER,
    topics: encodeEventTopics({
      abi: agentLedgerAbi,
      eventName: "MetricRecorded",
      args: { index, recorder },
    }) as Log["topics"],
    data: encodeAbiParameters(dataInputs, cids),
    blockNumber,
    blockHash: `0x${blockNumber.toString(16).padStart(64, "0")}`,
    transactionHash: `0x${(blockNumber + 1000n).toString(16).padStart(64, "0")}`,
    transactionIndex: 0,
    logIndex: 0,
    removed: false,
  };
}

describe("toMetricRecords", () => {
  it("decodes every field of MetricRecorded and lists the newest record first", () => {
    const logs = parseEventLogs({
      abi: agentLedgerAbi,
      eventName: "MetricRecorded",
      strict: true,
      logs: [
        metricLog(0n, OWNER, ["bafySet", "bafyWeightsA", "bafkResult0"], 10n),
        metricLog(1n, DAO, ["bafySet", "bafyWeightsB", "bafkResult1"], 12n),
        metricLog(2n, OWNER, ["bafyOtherSet", "bafyWeightsB", "bafkResult2"], 12n),
      ],
    });

    expect(toMetricRecords(logs)).toEqual([
      {
        index: 2n,
        recorder: OWNER,
        benchmarkSetCid: "bafyOtherSet",
        weightsCid: "bafyWeightsB",
        resultCid: "bafkResult2",
        blockNumber: 12n,
      },
      {
        index: 1n,
        recorder: DAO,
        benchmarkSetCid: "bafySet",
        weightsCid: "bafyWeightsB",
        resultCid: "bafkResult1",
        blockNumber: 12n,
      },
      {
        index: 0n,
        recorder: OWNER,
        benchmarkSetCid: "bafySet",
        weightsCid: "bafyWeightsA",
        resultCid: "bafkResult0",
        blockNumber: 10n,
      },
    ]);
  });

  it("orders by the ledger's index even when the node returns logs out of order", () => {
    const logs = parseEventLogs({
      abi: agentLedgerAbi,
      eventName: "MetricRecorded",
      strict: true,
      logs: [3n, 0n, 10n, 2n].map((index) => metricLog(index, OWNER, ["s", "w", `r${index}`], 5n + index)),
    });
    expect(toMetricRecords(logs).map((record) => record.resultCid)).toEqual(["r10", "r3", "r2", "r0"]);
  });

  it("lists nothing for a ledger without records", () => {
    expect(toMetricRecords([])).toEqual([]);
  });
});
