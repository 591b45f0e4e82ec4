// SPDX-License-Identifier: MIT
// HEXS contracts/interfaces/IAgentDAO.sol
pragma solidity ^0.8.30;

/**
 * @dev The creation hook of an agent's DAO. Its votes token (the agent's ledger) is the clone's
 * immutable argument, set by the factory. The DAO itself is a standard OpenZeppelin `IGovernor`
 * (so existing DAO tooling reads it) whose voting power comes from the agent's ledger; proposals
 * are enumerable through `proposalCount()` / `proposalDetailsAt(index)` (GovernorStorage).
 */
interface IAgentDAO {
    /**
     * @notice Sets up the DAO of a new agent; called once by the factory in the creation transaction.
     * @param votingDelay_ seconds between a proposal and the start of its vote
     * @param votingPeriod_ seconds a vote lasts
     * @param quorumPercent share of all voting units at the snapshot that must vote for or abstain
     */
    function initialize(uint48 votingDelay_, uint32 votingPeriod_, uint256 quorumPercent) external;
}
