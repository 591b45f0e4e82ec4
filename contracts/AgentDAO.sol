// SPDX-License-Identifier: MIT
// HEXS contracts/AgentDAO.sol
pragma solidity ^0.8.30;

import {IERC5805} from "@openzeppelin/contracts/interfaces/IERC5805.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {GovernorUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/GovernorUpgradeable.sol";
import {GovernorSettingsUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorSettingsUpgradeable.sol";
import {GovernorCountingSimpleUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorCountingSimpleUpgradeable.sol";
import {GovernorStorageUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorStorageUpgradeable.sol";
import {GovernorVotesUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorVotesUpgradeable.sol";
import {GovernorVotesQuorumFractionUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorVotesQuorumFractionUpgradeable.sol";
import {IAgentDAO} from "./interfaces/IAgentDAO.sol";
import {CloneArgs} from "./libraries/CloneArgs.sol";

/**
 * @dev See {IAgentDAO}: a standard OpenZeppelin Governor (propose → vote for/against/abstain →
 * execute, quorum as a fraction of all votes at the snapshot) over the agent's ledger, with
 * proposals stored on chain (GovernorStorage) so the dApp lists them without an indexer.
 *
 * The executor is the governor itself (no timelock): its proposals call the Agent's setters,
 * `publishVersion` for contributed versions, and move the ETH it holds (its treasury).
 *
 * Time is the ledger's clock (timestamps), so the voting delay and period are in seconds.
 *
 * The ledger (the votes token) is the clone's immutable argument rather than storage: one storage
 * write less per agent and a cheaper read on every vote.
 */
contract AgentDAO is
    GovernorUpgradeable,
    GovernorSettingsUpgradeable,
    GovernorCountingSimpleUpgradeable,
    GovernorStorageUpgradeable,
    GovernorVotesUpgradeable,
    GovernorVotesQuorumFractionUpgradeable,
    IAgentDAO
{
    constructor() {
        _disableInitializers();
    }

    /// @inheritdoc IAgentDAO
    function initialize(uint48 votingDelay_, uint32 votingPeriod_, uint256 quorumPercent) external initializer {
        // No __Governor_init: name and EIP-712 domain are constants (see {name}), which saves
        // three storage writes per agent. No __GovernorVotes_init: see {token}.
        __GovernorSettings_init(votingDelay_, votingPeriod_, 0);
        __GovernorVotesQuorumFraction_init(quorumPercent);
    }

    /// @dev The agent's ledger, from the clone's immutable arguments.
    function token() public view override returns (IERC5805) {
        return IERC5805(CloneArgs.addressAt(0));
    }

    /// @dev The same for every agent's DAO; the EIP-712 domain still differs per clone address.
    function name() public pure override returns (string memory) {
        return "HEXS Agent DAO";
    }

    /// @dev Proposing needs at least one vote (any member) unless the DAO set a higher threshold.
    function proposalThreshold()
        public
        view
        override(GovernorUpgradeable, GovernorSettingsUpgradeable)
        returns (uint256)
    {
        return Math.max(super.proposalThreshold(), 1);
    }

    /// @inheritdoc GovernorSettingsUpgradeable
    function votingDelay() public view override(GovernorUpgradeable, GovernorSettingsUpgradeable) returns (uint256) {
        return super.votingDelay();
    }

    /// @inheritdoc GovernorSettingsUpgradeable
    function votingPeriod() public view override(GovernorUpgradeable, GovernorSettingsUpgradeable) returns (uint256) {
        return super.votingPeriod();
    }

    /// @inheritdoc GovernorVotesQuorumFractionUpgradeable
    function quorum(
        uint256 timepoint
    ) public view override(GovernorUpgradeable, GovernorVotesQuorumFractionUpgradeable) returns (uint256) {
        return super.quorum(timepoint);
    }

    /// @dev Stores the proposal's details so that `proposalDetailsAt` can list it.
    function _propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description,
        address proposer
    ) internal override(GovernorUpgradeable, GovernorStorageUpgradeable) returns (uint256) {
        return super._propose(targets, values, calldatas, description, proposer);
    }

    /// @dev Constant EIP-712 domain name (no storage); see {name}.
    function _EIP712Name() internal pure override returns (string memory) {
        return "HEXS Agent DAO";
    }

    function _EIP712Version() internal pure override returns (string memory) {
        return "1";
    }
}
