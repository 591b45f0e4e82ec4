import { decodeFunctionData, parseEther, type Address } from "viem";
import { describe, expect, it } from "vitest";
import { agentAbi } from "../../contracts/abis.ts";
import { describeAction } from "./describeAction.ts";
import { DaoProposalInputError } from "./errors.ts";
import { buildProposal, powerNames, type ProposalTemplate, type TrainingRecord } from "./templates.ts";

const agent: Address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const other: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const context = { agent, agentName: "StoryTeller Tiny" };

function decodeOnly(template: ProposalTemplate) {
  const call = buildProposal(context, template);
  expect(call.targets).toEqual([agent]);
  expect(call.values).toEqual([0n]);
  return { call, decoded: decodeFunctionData({ abi: agentAbi, data: call.calldatas[0]! }) };
}

describe("buildProposal", () => {
  it("turns a price change into one setPrice call on the agent with a readable description", () => {
    const { call, decoded } = decodeOnly({ kind: "price", pricePerCredit: parseEther("0.0002") });
    expect(decoded).toEqual({ functionName: "setPrice", args: [parseEther("0.0002")] });
    expect(call.description).toBe("Set the price of StoryTeller Tiny to 0.0002 ETH per credit");
  });

  it("encodes access mode, endpoint, royalty and DAO powers as the agent's setters", () => {
    expect(decodeOnly({ kind: "mode", mode: "paid" }).decoded).toEqual({ functionName: "setMode", args: [1] });
    expect(decodeOnly({ kind: "mode", mode: "free" }).decoded).toEqual({ functionName: "setMode", args: [0] });
    expect(decodeOnly({ kind: "endpoint", endpoint: " https://gw.example/v1 " }).decoded).toEqual({
      functionName: "setEndpoint",
      args: ["https://gw.example/v1"],
    });
    expect(decodeOnly({ kind: "royalty", royaltyBps: 750 }).decoded).toEqual({
      functionName: "setRoyalty",
      args: [750n],
    });
    expect(decodeOnly({ kind: "daoPowers", powers: 1 | 16 }).decoded).toEqual({
      functionName: "setDaoPowers",
      args: [17],
    });
    // The royalty-floor power survives a change of powers (it did not when the mask stopped at 16).
    expect(decodeOnly({ kind: "daoPowers", powers: 32 | 4 | 128 }).decoded).toEqual({
      functionName: "setDaoPowers",
      args: [36],
    });
    const floor = decodeOnly({ kind: "royaltyFloor", floorBps: 1_250 });
    expect(floor.decoded).toEqual({ functionName: "setRoyaltyFloor", args: [1_250n] });
    expect(floor.call.description).toBe("Ask agents fine-tuned from StoryTeller Tiny for at least 12.5% royalty");
  });

  it("accepts a contributed version through publishVersion with its training record", () => {
    const record: TrainingRecord = {
      contributor: other,
      baseVersion: 2,
      datasetCid: "bafkdata",
      metricsCid: "bafkmetrics",
      leaseProvider: "akash1provider",
      leaseDseq: 42n,
      leaseCost: 1_000n,
    };
    const { call, decoded } = decodeOnly({ kind: "version", weightsCid: "bafkweights", record });
    expect(decoded).toEqual({ functionName: "publishVersion", args: ["bafkweights", record] });
    expect(call.description).toContain(other);
  });

  it("sends treasury funds as a plain value transfer to the recipient", () => {
    const call = buildProposal(context, { kind: "transfer", to: other, amount: parseEther("1.5") });
    expect(call).toEqual({
      targets: [other],
      values: [parseEther("1.5")],
      calldatas: ["0x"],
      description: `Send 1.5 ETH from the StoryTeller Tiny treasury to ${other}`,
    });
  });

  it("passes raw calldata through unchanged and keeps a description the proposer wrote", () => {
    const call = buildProposal(
      context,
      { kind: "raw", target: other, value: 3n, calldata: "0xdeadbeef" },
      "  Pay the auditors  ",
    );
    expect(call).toEqual({
      targets: [other],
      values: [3n],
      calldatas: ["0xdeadbeef"],
      description: "Pay the auditors",
    });
  });

  it("names the field at fault for input no proposal could carry", () => {
    const fieldOf = (template: ProposalTemplate) => {
      try {
        buildProposal(context, template);
      } catch (error) {
        expect(error).toBeInstanceOf(DaoProposalInputError);
        return (error as DaoProposalInputError).field;
      }
      return undefined;
    };
    expect(fieldOf({ kind: "raw", target: other, value: 0n, calldata: "0xabc" })).toBe("calldata");
    expect(fieldOf({ kind: "raw", target: "0x1234" as Address, value: 0n, calldata: "0x" })).toBe("target");
    expect(fieldOf({ kind: "royalty", royaltyBps: 12.5 })).toBe("royalty");
    expect(fieldOf({ kind: "royaltyFloor", floorBps: 5_001 })).toBe("royaltyFloor");
    expect(fieldOf({ kind: "price", pricePerCredit: 2n ** 96n })).toBe("price");
    expect(fieldOf({ kind: "transfer", to: other, amount: 0n })).toBe("amount");
    const record = { contributor: other, baseVersion: 0, datasetCid: "", metricsCid: "", leaseProvider: "" };
    expect(fieldOf({ kind: "version", weightsCid: " ", record: { ...record, leaseDseq: 0n, leaseCost: 0n } })).toBe(
      "weightsCid",
    );
  });
});

describe("describeAction", () => {
  it("decodes calls to the agent into what they change", () => {
    const price = buildProposal(context, { kind: "price", pricePerCredit: parseEther("0.00008") });
    expect(describeAction(agent, { target: agent, value: 0n, calldata: price.calldatas[0]! })).toBe(
      "Set the price to 0.00008 ETH per credit",
    );
    const powers = buildProposal(context, { kind: "daoPowers", powers: 1 | 4 });
    expect(describeAction(agent, { target: agent, value: 0n, calldata: powers.calldatas[0]! })).toBe(
      "Give the DAO sole power over: price, endpoint",
    );
  });

  it("shows transfers and unknown calls as they are", () => {
    expect(describeAction(agent, { target: other, value: parseEther("2"), calldata: "0x" })).toBe(
      `Send 2 ETH to ${other}`,
    );
    expect(describeAction(agent, { target: other, value: 0n, calldata: "0xdeadbeef" })).toBe(
      `Call ${other} with data 0xdeadbeef`,
    );
    expect(describeAction(agent, { target: agent, value: 0n, calldata: "0x12345678" })).toBe(
      `Call ${agent} with data 0x12345678`,
    );
  });

  it("lists the names of DAO powers", () => {
    expect(powerNames(16)).toBe("royalty");
    expect(powerNames(32 | 1)).toBe("price, royalty floor");
    expect(powerNames(0)).toBe("");
  });
});
