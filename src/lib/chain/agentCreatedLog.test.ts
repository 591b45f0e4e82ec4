import { describe, expect, it } from "vitest";
import { decodeEventLog, encodeAbiParameters, encodeEventTopics, getAddress, type Hex } from "viem";
import { hexsFactoryAbi } from "../contracts/abis.ts";
import { AGENT_CREATED_TOPIC, decodeAgentCreated } from "./agentCreatedLog.ts";

const address = (n: number) => getAddress(`0x${n.toString(16).padStart(40, "0")}`);

function encode(args: { name: string; baseModel: string; modelCardCid: string }) {
  const topics = encodeEventTopics({
    abi: hexsFactoryAbi,
    eventName: "AgentCreated",
    args: { agent: address(1), owner: address(4), parent: address(5) },
  }) as [Hex, ...Hex[]];
  const data = encodeAbiParameters(
    [{ type: "address" }, { type: "address" }, { type: "string" }, { type: "string" }, { type: "string" }],
    [address(2), address(3), args.modelCardCid, args.name, args.baseModel],
  );
  return { topics, data };
}

describe("decodeAgentCreated", () => {
  it("reads what viem's ABI decoder reads, for names of every length and script", () => {
    for (const name of [
      "",
      "a",
      "StoryTeller Tiny",
      "ü".repeat(40),
      "名前 🚀 with a much longer name than one word holds",
    ]) {
      const log = encode({ name, baseModel: "hexs-demo/tiny-stories-char", modelCardCid: "bafkrei" + "x".repeat(52) });
      expect(log.topics[0]).toBe(AGENT_CREATED_TOPIC);
      const viem = decodeEventLog({ abi: hexsFactoryAbi, eventName: "AgentCreated", ...log });
      const lower = (a: string) => a.toLowerCase();
      expect(decodeAgentCreated(log)).toEqual({
        agent: viem.args.agent,
        owner: lower(viem.args.owner),
        parent: lower(viem.args.parent),
        ledger: lower(viem.args.ledger),
        dao: lower(viem.args.dao),
        modelCardCid: viem.args.modelCardCid,
        name: viem.args.name,
        baseModel: viem.args.baseModel,
      });
    }
  });

  it("refuses a log of another event", () => {
    const log = encode({ name: "x", baseModel: "y", modelCardCid: "z" });
    expect(() => decodeAgentCreated({ ...log, topics: [`0x${"00".repeat(32)}`, ...log.topics.slice(1)] })).toThrow(
      "not an AgentCreated log",
    );
  });
});
