// SPDX-License-Identifier: MIT
// HEXS contracts/AgentDAO.sol
pragma solidity ^0.8.30;

import {IERC5805} from "@openzeppelin/contracts/interfaces/IERC5805.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {GovernorUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/GovernorUpgradeable.sol";
import {GovernorSettingsUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorSettingsUpgradeable.sol";
import {GovernorCountingSimpleUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorCountingSimpleUpgradeable.sol";
import {GovernorStorageUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorStorageUpgradeable.sol";
import {GovernorVotesUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorVotesUpgradeable.sol";
import {GovernorVotesQuorumFractionUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorVotesQuorumFractionUpgradeable.sol";
import {IAgentDAO} from "./interfaces/IAgentDAO.sol";
import {IAgentLedger} from "./interfaces/IAgentLedger.sol";
import {CloneArgs} from "./libraries/CloneArgs.sol";

/**
 * @dev See {IAgentDAO}: a standard OpenZeppelin Governor (propose → vote for/against/abstain →
 * execute, quorum as a fraction of all votes at the snapshot) over the agent's ledger, with
 * proposals stored on chain (GovernorStorage) so the dApp lists them without an indexer.
 *
 * The executor is the governor itself: its proposals call the Agent's setters, `publishVersion`
 * for contributed versions, and move the ETH it holds (its treasury). The timelock is the
 * Governor's own queue (`proposalNeedsQueuing` is always true): `queue` sets the ETA
 * {EXECUTION_DELAY} ahead and `execute` refuses to run before it. A separate TimelockController
 * per agent would cost another clone and its role storage at every `createAgent`.
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
    /// @inheritdoc IAgentDAO
    uint256 public constant EXECUTION_DELAY = 2 days;
    /// @inheritdoc IAgentDAO
    uint256 public constant MAX_VOTING_DELAY = 7 days;
    /// @inheritdoc IAgentDAO
    uint256 public constant MIN_VOTING_PERIOD = 1 hours;
    /// @inheritdoc IAgentDAO
    uint256 public constant MAX_VOTING_PERIOD = 30 days;

    uint48 private _lastSaleAt;

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

    /// @inheritdoc IAgentDAO
    function cancelProposalsBeforeSale() external {
        if (msg.sender != IAgentLedger(address(token())).agent()) revert AgentDAONotAgent(msg.sender);
        uint48 now_ = Time.timestamp();
        _lastSaleAt = now_;
        emit ProposalsCancelledBySale(now_);
    }

    /// @inheritdoc IAgentDAO
    function lastSaleAt() external view returns (uint256) {
        return _lastSaleAt;
    }

    /**
     * @dev A live proposal (pending, active, succeeded or queued) whose snapshot predates the last
     * sale reads as cancelled: its votes were counted while the seller held the shares.
     */
    function state(uint256 proposalId) public view override returns (ProposalState) {
        ProposalState current = super.state(proposalId);
        if (
            current == ProposalState.Executed ||
            current == ProposalState.Canceled ||
            current == ProposalState.Defeated
        ) return current;
        return proposalSnapshot(proposalId) < _lastSaleAt ? ProposalState.Canceled : current;
    }

    /// @dev Every proposal goes through the queue, so that it can take effect only after {EXECUTION_DELAY}.
    function proposalNeedsQueuing(uint256) public pure override returns (bool) {
        return true;
    }

    /// @dev The ledger's clock (timestamps), read here rather than by a call to it: one call less per vote.
    function clock() public view override(GovernorUpgradeable, GovernorVotesUpgradeable) returns (uint48) {
        return Time.timestamp();
    }

    /// @inheritdoc GovernorVotesUpgradeable
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override(GovernorUpgradeable, GovernorVotesUpgradeable) returns (string memory) {
        return "mode=timestamp";
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

    /// @dev The queue is this contract's own: queuing only fixes the ETA.
    function _queueOperations(
        uint256,
        address[] memory,
        uint256[] memory,
        bytes[] memory,
        bytes32
    ) internal view override returns (uint48) {
        return SafeCast.toUint48(block.timestamp + EXECUTION_DELAY);
    }

    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override {
        uint256 eta = proposalEta(proposalId);
        if (block.timestamp < eta) revert AgentDAOTimelockNotReady(proposalId, eta);
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    /// @dev A DAO that can never act (a delay of years) or acts before anyone can vote is refused.
    function _setVotingDelay(uint48 newVotingDelay) internal override {
        if (newVotingDelay > MAX_VOTING_DELAY) revert AgentDAOInvalidVotingDelay(newVotingDelay, MAX_VOTING_DELAY);
        super._setVotingDelay(newVotingDelay);
    }

    function _setVotingPeriod(uint32 newVotingPeriod) internal override {
        if (newVotingPeriod < MIN_VOTING_PERIOD || newVotingPeriod > MAX_VOTING_PERIOD) {
            revert AgentDAOInvalidVotingPeriod(newVotingPeriod, MIN_VOTING_PERIOD, MAX_VOTING_PERIOD);
        }
        super._setVotingPeriod(newVotingPeriod);
    }

    /// @dev A quorum of zero would let one vote decide anything.
    function _updateQuorumNumerator(uint256 newQuorumNumerator) internal override {
        if (newQuorumNumerator == 0 || newQuorumNumerator > 100) revert AgentDAOInvalidQuorum(newQuorumNumerator);
        super._updateQuorumNumerator(newQuorumNumerator);
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
