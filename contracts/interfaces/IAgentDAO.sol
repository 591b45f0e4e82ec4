// SPDX-License-Identifier: MIT
// HEXS contracts/interfaces/IAgentDAO.sol
pragma solidity ^0.8.30;

import {IERC5805} from "@openzeppelin/contracts/interfaces/IERC5805.sol";

/**
 * @dev The creation hook of an agent's DAO. The DAO itself is a standard OpenZeppelin `IGovernor`
 * (so existing DAO tooling reads it) whose voting power comes from the agent's ledger; proposals
 * are enumerable through `proposalCount()` / `proposalDetailsAt(index)` (GovernorStorage).
 */
interface IAgentDAO {
    /**
     * @notice Sets up the DAO of a new agent; called once by the factory in the creation transaction.
     * @param ledger the agent's ledger (the votes token, timestamp clock)
     * @param votingDelay_ seconds between a proposal and the start of its vote
     * @param votingPeriod_ seconds a vote lasts
     * @param quorumPercent share of all voting units at the snapshot that must vote for or abstain
     */
    function initialize(IERC5805 ledger, uint48 votingDelay_, uint32 votingPeriod_, uint256 quorumPercent) external;
}
