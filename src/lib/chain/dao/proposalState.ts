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

/**
 * The AgentDAO has no timelock (it executes its own proposals), so a proposal that Succeeded
 * is executable at once; Queued never happens here but would be executable too.
 */
export function isExecutable(state: ProposalStateLabel): boolean {
  return state === "Succeeded" || state === "Queued";
}

/** The Governor lets the proposer cancel only before the vote starts. */
export function isCancelable(state: ProposalStateLabel): boolean {
  return state === "Pending";
}

/** Vote types of GovernorCountingSimple, as `castVote` takes them. */
export const VOTE_SUPPORT = { against: 0, for: 1, abstain: 2 } as const;
export type VoteChoice = keyof typeof VOTE_SUPPORT;
