import { describe, expect, it } from "vitest";
import { DaoUnknownProposalStateError } from "./errors.ts";
import { isCancelable, isExecutable, isQueueable, isVotable, proposalStateLabel } from "./proposalState.ts";

describe("proposal states", () => {
  it("names OpenZeppelin's ProposalState values in enum order", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(proposalStateLabel)).toEqual([
      "Pending",
      "Active",
      "Canceled",
      "Defeated",
      "Succeeded",
      "Queued",
      "Expired",
      "Executed",
    ]);
  });

  it("refuses a state the Governor does not define", () => {
    expect(() => proposalStateLabel(8)).toThrow(DaoUnknownProposalStateError);
  });

  it("allows voting only while Active, queuing once Succeeded, execution from the ETA, cancelling only while Pending", () => {
    expect(isVotable("Active")).toBe(true);
    expect(isVotable("Pending")).toBe(false);
    expect(isVotable("Succeeded")).toBe(false);
    expect(isQueueable("Succeeded")).toBe(true);
    expect(isQueueable("Queued")).toBe(false);
    expect(isExecutable("Succeeded", 0n, 100n)).toBe(false);
    expect(isExecutable("Queued", 200n, 100n)).toBe(false);
    expect(isExecutable("Queued", 200n, 200n)).toBe(true);
    expect(isExecutable("Defeated", 1n, 100n)).toBe(false);
    expect(isExecutable("Executed", 1n, 100n)).toBe(false);
    expect(isCancelable("Pending")).toBe(true);
    expect(isCancelable("Active")).toBe(false);
  });
});
