// SPDX-License-Identifier: MIT
// HEXS contracts/interfaces/IAgentDAO.sol
pragma solidity ^0.8.30;

/**
 * @dev The HEXS-specific part of an agent's DAO. Its votes token (the agent's ledger) is the clone's
 * immutable argument, set by the factory. The DAO itself is a standard OpenZeppelin `IGovernor`
 * (so existing DAO tooling reads it) whose voting power comes from the agent's ledger; proposals
 * are enumerable through `proposalCount()` / `proposalDetailsAt(index)` (GovernorStorage).
 *
 * Every proposal that passes waits {EXECUTION_DELAY} in the Governor's queue (`queue`, then
 * `execute` from its ETA), longer than an agent's credit refund notice, so that holders and credit
 * buyers who disagree can leave before it takes effect. A sale of the agent cancels every proposal
 * whose snapshot came before it: those counted the seller's votes.
 */
interface IAgentDAO {
    /// @notice Thrown when a voting delay is above {MAX_VOTING_DELAY}.
    error AgentDAOInvalidVotingDelay(uint256 votingDelay, uint256 max);
    /// @notice Thrown when a voting period is outside {MIN_VOTING_PERIOD}..{MAX_VOTING_PERIOD}.
    error AgentDAOInvalidVotingPeriod(uint256 votingPeriod, uint256 min, uint256 max);
    /// @notice Thrown when a quorum is outside 1..100 percent.
    error AgentDAOInvalidQuorum(uint256 quorumPercent);
    /// @notice Thrown when executing a queued proposal before its ETA.
    error AgentDAOTimelockNotReady(uint256 proposalId, uint256 eta);
    /// @notice Thrown when anyone but the agent reports a sale.
    error AgentDAONotAgent(address caller);

    /// @notice Proposals snapshotted before `soldAt` are cancelled: the agent changed hands.
    event ProposalsCancelledBySale(uint256 soldAt);

    /**
     * @notice Sets up the DAO of a new agent; called once by the factory in the creation transaction.
     * @param votingDelay_ seconds between a proposal and the start of its vote (at most {MAX_VOTING_DELAY})
     * @param votingPeriod_ seconds a vote lasts ({MIN_VOTING_PERIOD}..{MAX_VOTING_PERIOD})
     * @param quorumPercent share of all voting units at the snapshot that must vote for or abstain
     */
    function initialize(uint48 votingDelay_, uint32 votingPeriod_, uint256 quorumPercent) external;

    /// @notice Agent only, on a sale: cancels every proposal snapshotted before this moment.
    function cancelProposalsBeforeSale() external;

    /// @notice When the agent was last sold (0 if never); proposals snapshotted earlier are cancelled.
    function lastSaleAt() external view returns (uint256);

    /// @notice Seconds a passed proposal waits in the queue before it can be executed.
    function EXECUTION_DELAY() external view returns (uint256);
    /// @notice Longest voting delay.
    function MAX_VOTING_DELAY() external view returns (uint256);
    /// @notice Shortest voting period.
    function MIN_VOTING_PERIOD() external view returns (uint256);
    /// @notice Longest voting period.
    function MAX_VOTING_PERIOD() external view returns (uint256);
}
