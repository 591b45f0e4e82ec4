import { DaoUnknownProposalStateError } from "./errors.ts";

/** OpenZeppelin's `IGovernor.ProposalState`, in enum order: `state(id)` returns the index. */
export const PROPOSAL_STATES = [
  "Pending",
  "Active",
  "Canceled",
  "Defeated",
  "Succeeded",
  "Queued",
  "Expired",
  "Executed",
] as const;

export type ProposalStateLabel = (typeof PROPOSAL_STATES)[number];

export function proposalStateLabel(state: number): ProposalStateLabel {
  const label = PROPOSAL_STATES[state];
  if (label === undefined) throw new DaoUnknownProposalStateError(state);
  return label;
}

/** Votes are accepted only while the proposal is Active. */
export function isVotable(state: ProposalStateLabel): boolean {
  return state === "Active";
}

/** A proposal that passed goes into the DAO's timelock queue before anything can run it. */
export function isQueueable(state: ProposalStateLabel): boolean {
  return state === "Succeeded";
}

/** A queued proposal runs from its ETA (`proposalEta`, on the chain's clock) on. */
export function isExecutable(state: ProposalStateLabel, eta: bigint, now: bigint): boolean {
  return state === "Queued" && eta !== 0n && now >= eta;
}

/** The Governor lets the proposer cancel only before the vote starts. */
export function isCancelable(state: ProposalStateLabel): boolean {
  return state === "Pending";
}

/** Vote types of GovernorCountingSimple, as `castVote` takes them. */
export const VOTE_SUPPORT = { against: 0, for: 1, abstain: 2 } as const;
export type VoteChoice = keyof typeof VOTE_SUPPORT;
