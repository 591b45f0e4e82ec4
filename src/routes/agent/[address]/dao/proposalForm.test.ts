import { parseEther } from "viem";
import { describe, expect, it } from "vitest";
import { DaoProposalInputError } from "#lib/chain/dao/errors.ts";
import { templateFromForm, type ProposalForm } from "./proposalForm.ts";
import { formatDuration } from "./time.ts";

const blank: ProposalForm = {
  kind: "price",
  priceEth: "",
  mode: "free",
  endpoint: "",
  royaltyBps: "",
  floorBps: "",
  powers: 0,
  weightsCid: "",
  contributor: "",
  baseVersion: "",
  datasetCid: "",
  metricsCid: "",
  leaseProvider: "",
  leaseDseq: "",
  leaseCost: "",
  to: "",
  amountEth: "",
  target: "",
  valueEth: "",
  calldata: "",
  description: "",
};
const someone = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

function fieldAtFault(form: Partial<ProposalForm>): string | undefined {
  try {
    templateFromForm({ ...blank, ...form });
  } catch (error) {
    if (error instanceof DaoProposalInputError) return error.field;
    throw error;
  }
  return undefined;
}

describe("templateFromForm", () => {
  it("reads a price in ETH as wei", () => {
    expect(templateFromForm({ ...blank, priceEth: "0.0002" })).toEqual({
      kind: "price",
      pricePerCredit: parseEther("0.0002"),
    });
  });

  it("reads a contributed version with its training record", () => {
    const template = templateFromForm({
      ...blank,
      kind: "version",
      weightsCid: "bafyweights",
      contributor: someone,
      baseVersion: "1",
      leaseDseq: "77",
    });
    expect(template).toEqual({
      kind: "version",
      weightsCid: "bafyweights",
      record: {
        contributor: someone,
        baseVersion: 1,
        datasetCid: "",
        metricsCid: "",
        leaseProvider: "",
        leaseDseq: 77n,
        leaseCost: 0n,
      },
    });
  });

  it("reads raw calls, defaulting to no value and no data", () => {
    expect(templateFromForm({ ...blank, kind: "raw", target: someone })).toEqual({
      kind: "raw",
      target: someone,
      value: 0n,
      calldata: "0x",
    });
    expect(templateFromForm({ ...blank, kind: "raw", target: someone, calldata: "0xABCD" })).toMatchObject({
      calldata: "0xabcd",
    });
  });

  it("names the field a user must fix", () => {
    expect(fieldAtFault({ priceEth: "cheap" })).toBe("priceEth");
    expect(fieldAtFault({ priceEth: "-1" })).toBe("priceEth");
    expect(fieldAtFault({ kind: "royalty", royaltyBps: "1.5" })).toBe("royaltyBps");
    expect(fieldAtFault({ kind: "transfer", to: "0x123", amountEth: "1" })).toBe("to");
    expect(fieldAtFault({ kind: "transfer", to: someone, amountEth: "" })).toBe("amountEth");
    expect(fieldAtFault({ kind: "raw", target: someone, calldata: "0xabc" })).toBe("calldata");
    expect(fieldAtFault({ kind: "version", contributor: "nobody", baseVersion: "0" })).toBe("contributor");
  });
});

describe("formatDuration", () => {
  it("shows the two largest units", () => {
    expect(formatDuration(7 * 86_400)).toBe("7 days");
    expect(formatDuration(3_600 + 30 * 60 + 5)).toBe("1 hour 30 minutes");
    expect(formatDuration(0n)).toBe("0 seconds");
  });
});
