// SPDX-License-Identifier: MIT
// HEXS contracts/test/StockClones.sol
pragma solidity ^0.8.30;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {GovernorUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/GovernorUpgradeable.sol";
import {GovernorCountingSimpleUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorCountingSimpleUpgradeable.sol";
import {GovernorSettingsUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorSettingsUpgradeable.sol";
import {GovernorVotesUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorVotesUpgradeable.sol";
import {GovernorVotesQuorumFractionUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorVotesQuorumFractionUpgradeable.sol";
import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {ERC20VotesUpgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20VotesUpgradeable.sol";

/**
 * @dev Bench-only: the stock OpenZeppelin upgradeable Governor and ERC20Votes, deployed per DAO as
 * EIP-1167 clones the way a per-agent DAO has to be (a full deployment per agent would cost
 * millions of gas). The gas bench compares an agent DAO's `castVote` with this like-for-like, and
 * with the directly deployed {StockGovernor}.
 */
contract StockCloneVotes is ERC20Upgradeable, ERC20VotesUpgradeable {
    constructor() {
        _disableInitializers();
    }

    function initialize(address holder, uint256 supply) external initializer {
        __ERC20_init("Stock Votes", "VOTE");
        _mint(holder, supply);
    }

    function clock() public view override returns (uint48) {
        return uint48(block.timestamp);
    }

    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    function _update(address from, address to, uint256 value) internal override(ERC20Upgradeable, ERC20VotesUpgradeable) {
        super._update(from, to, value);
    }
}

contract StockCloneGovernor is
    GovernorUpgradeable,
    GovernorSettingsUpgradeable,
    GovernorCountingSimpleUpgradeable,
    GovernorVotesUpgradeable,
    GovernorVotesQuorumFractionUpgradeable
{
    constructor() {
        _disableInitializers();
    }

    function initialize(IVotes token) external initializer {
        __Governor_init("Stock Governor");
        __GovernorSettings_init(1, 3600, 0);
        __GovernorVotes_init(token);
        __GovernorVotesQuorumFraction_init(4);
    }

    function votingDelay() public view override(GovernorUpgradeable, GovernorSettingsUpgradeable) returns (uint256) {
        return super.votingDelay();
    }

    function votingPeriod() public view override(GovernorUpgradeable, GovernorSettingsUpgradeable) returns (uint256) {
        return super.votingPeriod();
    }

    function quorum(
        uint256 timepoint
    ) public view override(GovernorUpgradeable, GovernorVotesQuorumFractionUpgradeable) returns (uint256) {
        return super.quorum(timepoint);
    }

    function proposalThreshold()
        public
        view
        override(GovernorUpgradeable, GovernorSettingsUpgradeable)
        returns (uint256)
    {
        return super.proposalThreshold();
    }
}

/// @dev Clones one votes token (all `supply` to `holder`) and one governor over it.
contract StockCloneFactory {
    address private immutable _votes = address(new StockCloneVotes());
    address private immutable _governor = address(new StockCloneGovernor());

    event Created(address votes, address governor);

    function create(address holder, uint256 supply) external returns (address votes, address governor) {
        votes = Clones.clone(_votes);
        governor = Clones.clone(_governor);
        StockCloneVotes(votes).initialize(holder, supply);
        StockCloneGovernor(payable(governor)).initialize(IVotes(votes));
        emit Created(votes, governor);
    }
}
