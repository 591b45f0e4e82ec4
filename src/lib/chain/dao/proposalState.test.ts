import { describe, expect, it } from "vitest";
import { DaoUnknownProposalStateError } from "./errors.ts";
import { isCancelable, isExecutable, isVotable, proposalStateLabel } from "./proposalState.ts";

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

  it("allows voting only while Active, execution once Succeeded, cancelling only while Pending", () => {
    expect(isVotable("Active")).toBe(true);
    expect(isVotable("Pending")).toBe(false);
    expect(isVotable("Succeeded")).toBe(false);
    expect(isExecutable("Succeeded")).toBe(true);
    expect(isExecutable("Defeated")).toBe(false);
    expect(isExecutable("Executed")).toBe(false);
    expect(isCancelable("Pending")).toBe(true);
    expect(isCancelable("Active")).toBe(false);
  });
});
