// Every custom error the HEXS contracts (and the OpenZeppelin code they build on) can revert
// with, as a sentence a user can act on. A revert is decoded against the errors of every
// contract, not only the one called: a DAO proposal that fails inside the Agent bubbles up the
// Agent's error, and a createAgent that fails inside the DAO's initializer the DAO's.
import { decodeErrorResult, formatEther, type Abi, type Hex } from "viem";
import { agentAbi, agentDAOAbi, agentLedgerAbi, hexsFactoryAbi } from "../contracts/abis.ts";
import { PROPOSAL_STATES } from "./dao/proposalState.ts";
import { DAO_POWERS } from "./dao/templates.ts";

type Args = readonly unknown[];
type AbiError = Extract<Abi[number], { type: "error" }>;
type Sentence = (args: Args) => string;

const short = (value: unknown) => {
  const text = String(value);
  return /^0x[0-9a-fA-F]{40,}$/.test(text) ? `${text.slice(0, 6)}…${text.slice(-4)}` : text;
};
const eth = (wei: unknown) => `${formatEther(BigInt(wei as bigint))} ETH`;
const percent = (bps: unknown) => `${Number(bps) / 100} %`;
const when = (seconds: unknown) => new Date(Number(seconds) * 1000).toLocaleString();
const duration = (seconds: unknown) => {
  const s = Number(seconds);
  return s >= 86_400 ? `${s / 86_400} days` : s >= 3_600 ? `${s / 3_600} hours` : `${s} seconds`;
};
/** What a power bit lets its holder change, for "only the DAO can change …". */
const powerName = (bit: number) => DAO_POWERS.find((power) => power.bit === bit)?.name;

/** Sentences by error name; the test beside this file fails on any ABI error missing here. */
export const CONTRACT_ERROR_SENTENCES: Record<string, Sentence> = {
  // Agent
  AgentAlreadyMember: () => "You are already a member of this agent.",
  AgentApiKeyRevokedAlready: () => "This API key is already revoked.",
  AgentApiKeyTaken: () => "You already registered this key. Create a new one.",
  AgentArgsStringTooLong: ([length]) => `A name, CID or base model is ${length} bytes long; 65 535 is the most.`,
  AgentEmptyBenchmarkSetCid: () => "The benchmark result names no benchmark set.",
  AgentEmptyResultCid: () => "The benchmark result has no result document.",
  AgentEmptySettlement: () => "There is no usage to settle.",
  AgentEmptyWeightsCid: () => "A version needs its weights' CID.",
  AgentInsufficientPayment: ([sent, needed]) => `That needs ${eth(needed)}; ${eth(sent)} was sent.`,
  AgentInvalidApiKey: () => "An API key needs a secret: its hash cannot be zero.",
  AgentInvalidContributor: ([contributor]) =>
    `The version's contributor ${short(contributor)} is not allowed: the owner publishes only its own versions, and a contributed one needs a contributor.`,
  AgentInvalidCreditAmount: ([credits, limit]) =>
    BigInt(credits as bigint) === 0n
      ? "Buy at least one credit."
      : `${credits} credits is more than one balance can hold here: at most ${limit} more at this price.`,
  AgentInvalidOperator: () => "The operator cannot be the zero address.",
  AgentInvalidPrice: ([price]) =>
    BigInt(price as bigint) === 0n ? "A paid agent needs a price above 0." : `The price ${price} wei is too large.`,
  AgentInvalidRoyalty: ([bps]) =>
    `A royalty of ${percent(bps)} is not allowed: at most 50 %, and only for a derived agent.`,
  AgentInvalidSpendCap: ([cap]) => `A spend cap of ${cap} credits is more than a key can count.`,
  AgentNoCreditsToRefund: () => "There are no unspent credits to refund, or a refund is already pending.",
  AgentNoRefundRequested: () => "Request a refund first; the credits can be withdrawn after the notice period.",
  AgentNotDao: () => "Only this agent's DAO can do that, through a proposal.",
  AgentNotForSale: () => "This agent is not for sale (or you are its owner).",
  AgentNotKeyHolder: () => "Only the key's holder can revoke it.",
  AgentNotMember: () => "Join the agent or buy credits first.",
  AgentNotOperator: () => "Only the agent's operator (who runs its gateway) can do that.",
  AgentNotOwner: () => "Only the agent's owner can do that.",
  AgentNotOwnerOrDao: ([, power]) =>
    Number(power) === 0
      ? "Only the owner or the DAO can do that."
      : `Only the DAO can change ${powerName(Number(power)) ? `the ${powerName(Number(power))}` : "that"} now: make a proposal.`,
  AgentNothingToWithdraw: () => "There is nothing to withdraw.",
  AgentRatingNotAllowed: () =>
    "Ratings count only with settled usage behind them: use the agent with credits, then rate once your usage is settled.",
  AgentRefundNotReady: ([availableAt]) => `The refund can be withdrawn from ${when(availableAt)}.`,
  AgentRoyaltyBelowFloor: ([bps, floor]) =>
    `The parent asks at least ${percent(floor)} of agents derived from it; ${percent(bps)} is below that.`,
  AgentTransferFailed: ([to, amount]) => `Sending ${eth(amount)} to ${short(to)} failed: the receiver refused it.`,
  AgentUnknownApiKey: () => "That API key is not registered on this agent.",
  AgentWrongMode: ([mode]) =>
    Number(mode) === 0
      ? "This agent is free: join it instead of buying credits."
      : "This agent is paid: buy credits to use it.",
  AgentWrongPayment: ([sent, price]) => `The agent costs exactly ${eth(price)}; ${eth(sent)} was sent.`,
  // AgentLedger
  AgentLedgerInvalidRating: ([stars, weight]) =>
    BigInt(weight as bigint) === 0n
      ? "A rating needs settled spending behind it."
      : `${stars} is not a rating from 1 to 5.`,
  AgentLedgerInvalidScoreParams: () =>
    "Every score parameter must be above 0, and the contribution share at most 50 %.",
  AgentLedgerUnauthorized: () => "Only the agent itself writes to its ledger.",
  AgentLedgerUnknownVersion: ([version, count]) => `Version ${version} does not exist; there are ${count}.`,
  // AgentDAO
  AgentDAOInvalidQuorum: ([quorum]) => `A quorum of ${quorum} % is not allowed: 1 to 100 %.`,
  AgentDAOInvalidVotingDelay: ([delay, max]) =>
    `A voting delay of ${duration(delay)} is too long: at most ${duration(max)}.`,
  AgentDAOInvalidVotingPeriod: ([period, min, max]) =>
    `A voting period of ${duration(period)} is not allowed: from ${duration(min)} to ${duration(max)}.`,
  AgentDAONotAgent: () => "Only the agent reports its sale to its DAO.",
  AgentDAOTimelockNotReady: ([, eta]) => `The proposal is in the timelock until ${when(eta)}; execute it then.`,
  // HexsFactory
  HexsFactoryInvalidImplementation: ([address]) => `${short(address)} is not a contract.`,
  HexsFactoryInvalidProtocolFee: ([, bps]) =>
    `A protocol fee of ${percent(bps)} is not allowed (at most 5 %, to a treasury).`,
  HexsFactoryMissingMetadata: () => "An agent needs a name, a model card, a base model and weights.",
  HexsFactoryNotAgent: () => "Only a registered agent can do that.",
  HexsFactoryUnknownParent: ([parent]) => `${short(parent)} is not an agent of this marketplace.`,
  // OpenZeppelin Governor
  GovernorAlreadyCastVote: () => "You already voted on this proposal.",
  GovernorAlreadyQueuedProposal: () => "This proposal is already queued.",
  GovernorDisabledDeposit: () => "Send funds with the treasury deposit, not directly.",
  GovernorInsufficientProposerVotes: ([, votes, threshold]) =>
    `Proposing needs ${threshold} vote${BigInt(threshold as bigint) === 1n ? "" : "s"}; you had ${votes} a second ago. Votes come from training shares and settled spending.`,
  GovernorInvalidProposalLength: () => "The proposal's targets, values and calls do not line up.",
  GovernorInvalidQuorumFraction: ([numerator, denominator]) =>
    `A quorum of ${numerator}/${denominator} is not allowed.`,
  GovernorInvalidSignature: () => "The vote's signature is not valid.",
  GovernorInvalidVoteParams: () => "This DAO takes no vote parameters.",
  GovernorInvalidVoteType: () => "Vote for, against or abstain.",
  GovernorInvalidVotingPeriod: ([period]) => `A voting period of ${duration(period)} is not allowed.`,
  GovernorNonexistentProposal: () => "There is no such proposal.",
  GovernorOnlyExecutor: () => "Only the DAO itself can change its settings, through a proposal.",
  GovernorProposalQueueingFailed: () => "The proposal could not be queued.",
  GovernorProposalQueueingNotRequired: () => "This proposal needs no queueing.",
  GovernorRestrictedProposer: () => "This proposal's description restricts who may propose it.",
  GovernorUnableToCancel: () => "Only the proposer can cancel, and only before voting starts.",
  GovernorUnexpectedProposalState: ([, current]) =>
    `The proposal is ${PROPOSAL_STATES[Number(current)]?.toLowerCase() ?? "in another state"}, so that is not possible now.`,
  // OpenZeppelin utilities
  CheckpointUnorderedInsertion: () => "Votes cannot be recorded in the past.",
  CloneArgumentsTooLong: () => "The agent's metadata is too long to deploy.",
  Create2EmptyBytecode: () => "Nothing to deploy.",
  ECDSAInvalidSignature: () => "The signature is not valid.",
  ECDSAInvalidSignatureLength: () => "The signature has the wrong length.",
  ECDSAInvalidSignatureS: () => "The signature is malformed.",
  ERC5805FutureLookup: ([timepoint]) => `Votes at ${when(timepoint)} are not known yet.`,
  FailedCall: () => "A call the transaction made failed.",
  FailedDeployment: () => "An agent with these addresses exists already: publish again (it picks a new salt).",
  InsufficientBalance: ([balance, needed]) => `That needs ${eth(needed)}; the contract holds ${eth(balance)}.`,
  InvalidAccountNonce: () => "The signature was already used.",
  InvalidInitialization: () => "This contract is already set up.",
  NotInitializing: () => "This contract is not being set up.",
  OwnableInvalidOwner: ([owner]) => `${short(owner)} cannot own the factory.`,
  OwnableUnauthorizedAccount: () => "Only the protocol's owner can do that.",
  ReentrancyGuardReentrantCall: () => "The contract refused a call made while it was paying out.",
  SafeCastOverflowedUintDowncast: ([bits, value]) => `${value} is too large (it must fit in ${bits} bits).`,
  VotesExpiredSignature: ([expiry]) => `The delegation signature expired at ${when(expiry)}.`,
};

/** Every error any HEXS contract can revert with, each once. */
export const CONTRACT_ERRORS_ABI: readonly AbiError[] = [
  ...new Map(
    [hexsFactoryAbi, agentAbi, agentLedgerAbi, agentDAOAbi]
      .flatMap((abi) => (abi as Abi).filter((item): item is AbiError => item.type === "error"))
      .map((error) => [error.name, error] as const),
  ).values(),
];

/** The error in raw revert data, decoded against every contract's errors; undefined if none matches. */
export function decodeContractError(data: Hex): { errorName: string; args: Args } | undefined {
  try {
    const { errorName, args } = decodeErrorResult({ abi: CONTRACT_ERRORS_ABI, data });
    return { errorName, args: args ?? [] };
  } catch {
    return undefined;
  }
}

/** The sentence for a decoded error, or undefined for a name no HEXS contract has. */
export function contractErrorSentence(errorName: string, args: Args): string | undefined {
  return CONTRACT_ERROR_SENTENCES[errorName]?.(args);
}
