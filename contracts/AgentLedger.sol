// SPDX-License-Identifier: MIT
// HEXS contracts/AgentLedger.sol
pragma solidity ^0.8.30;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {VotesUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/utils/VotesUpgradeable.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {IERC6372} from "@openzeppelin/contracts/interfaces/IERC6372.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {IAgentLedger} from "./interfaces/IAgentLedger.sol";
import {Score} from "./libraries/Score.sol";

/**
 * @dev See {IAgentLedger}. Deployed once as an implementation and used through EIP-1167 clones.
 *
 * Voting units of an account are its shares plus {MEMBER_WEIGHT} if it is a member, so the total
 * supply of votes is `totalShares + members × MEMBER_WEIGHT`; {totalShares} is derived from it
 * instead of being stored twice.
 *
 * Training records keep the fields contracts and list views need in storage ({VersionHeader}) and
 * the rest (dataset, metrics, lease) in the {VersionRecorded} event: an append-only record that no
 * contract reads is what logs are for, and it keeps `createAgent` within its gas budget. Benchmark
 * results ({MetricRecorded}) are kept the same way, with only their count in storage.
 */
contract AgentLedger is Initializable, VotesUpgradeable, IAgentLedger {
    /// @inheritdoc IAgentLedger
    uint256 public constant MEMBER_WEIGHT = 100;
    /// @inheritdoc IAgentLedger
    uint256 public constant INITIAL_SHARES = 10_000;
    /// @dev Cap on `contributionBps`: a single contribution never takes more than half the total.
    uint256 internal constant MAX_CONTRIBUTION_BPS = 5_000;
    uint32 internal constant DEFAULT_ENGAGEMENT_K = 1_000;
    uint32 internal constant DEFAULT_POPULARITY_K = 100;
    uint16 internal constant DEFAULT_RATING_PRIOR = 5;
    uint16 internal constant DEFAULT_CONTRIBUTION_BPS = 2_000;

    /// @dev Per-account state: shares, membership and rating in one slot.
    struct AccountState {
        uint96 shares;
        bool member;
        uint8 rating;
    }

    /// @dev Reserves the low 9 bytes of slot 0 for {Initializable}'s flags (see
    /// {_initializableStorageSlot}), so that initializing shares a storage write with `_agent`.
    uint72 private _initializableState;
    address private _agent;
    /// @dev Score parameters; zero means the default (the setter never stores a zero), so a new
    /// ledger writes none of them.
    uint32 private _engagementK;
    uint32 private _popularityK;
    uint16 private _ratingPrior;
    uint16 private _contributionBps;
    Metrics private _metrics;
    mapping(address account => AccountState) private _accounts;
    mapping(uint256 version => VersionHeader) private _versions;
    /// @dev Not in {Metrics} (a full slot): written by the first record, never at creation.
    uint256 private _metricCount;

    constructor() {
        _disableInitializers();
    }

    modifier onlyAgent() {
        _checkAgent();
        _;
    }

    /// @inheritdoc IAgentLedger
    function initialize(
        address agent_,
        address creator,
        string calldata weightsCid,
        TrainingRecord calldata firstVersion
    ) external initializer {
        _agent = agent_;

        _accounts[creator] = AccountState({shares: uint96(INITIAL_SHARES), member: true, rating: 0});
        _metrics.members = 1;
        // One checkpoint write for both the member weight and the initial shares.
        _transferVotingUnits(address(0), creator, MEMBER_WEIGHT + INITIAL_SHARES);
        emit MemberAdded(creator, 1);
        emit SharesMoved(address(0), creator, INITIAL_SHARES);

        (uint256 scoreBps, , , ) = score();
        _appendVersion(creator, weightsCid, firstVersion, scoreBps, INITIAL_SHARES);
    }

    /// @inheritdoc IAgentLedger
    function recordAccess(address account, bool purchase) external onlyAgent returns (bool isNewMember) {
        isNewMember = !_accounts[account].member;
        if (isNewMember) _addMember(account);
        if (purchase) {
            uint64 purchases = ++_metrics.purchases;
            emit PurchaseRecorded(account, purchases);
        }
    }

    /// @inheritdoc IAgentLedger
    function recordCalls(uint256 units) external onlyAgent {
        uint64 calls = _metrics.calls + SafeCast.toUint64(units);
        _metrics.calls = calls;
        emit CallsRecorded(units, calls);
    }

    /// @inheritdoc IAgentLedger
    function recordRating(address account, uint8 stars) external onlyAgent {
        if (stars < 1 || stars > 5) revert AgentLedgerInvalidRating(stars);
        AccountState storage state = _accounts[account];
        uint8 previous = state.rating;
        state.rating = stars;
        if (previous == 0) {
            _metrics.ratingCount += 1;
            _metrics.ratingSum += stars;
        } else {
            _metrics.ratingSum = _metrics.ratingSum - previous + stars;
        }
        emit RatingRecorded(account, stars, previous);
    }

    /// @inheritdoc IAgentLedger
    function recordVersion(
        string calldata weightsCid,
        TrainingRecord calldata record
    ) external onlyAgent returns (uint256 version, uint256 sharesMinted) {
        uint256 count = _metrics.versions;
        if (record.baseVersion >= count) revert AgentLedgerUnknownVersion(record.baseVersion, count);
        address contributor = record.contributor;
        if (!_accounts[contributor].member) _addMember(contributor);

        // The score "at that moment" includes the contributor's membership, and is the one stored.
        (uint256 scoreBps, , , ) = score();
        sharesMinted = Score.contributionShares(totalShares(), scoreBps, scoreParams().contributionBps);
        _accounts[contributor].shares += SafeCast.toUint96(sharesMinted);
        _transferVotingUnits(address(0), contributor, sharesMinted);
        emit SharesMoved(address(0), contributor, sharesMinted);

        version = _appendVersion(contributor, weightsCid, record, scoreBps, sharesMinted);
    }

    /// @inheritdoc IAgentLedger
    function recordMetric(
        address recorder,
        string calldata benchmarkSetCid,
        string calldata weightsCid,
        string calldata resultCid
    ) external onlyAgent returns (uint256 index) {
        index = _metricCount++;
        emit MetricRecorded(index, recorder, benchmarkSetCid, weightsCid, resultCid);
    }

    /// @inheritdoc IAgentLedger
    function moveShares(address from, address to) external onlyAgent returns (uint256 amount) {
        if (!_accounts[to].member) _addMember(to);
        amount = _accounts[from].shares;
        _accounts[from].shares = 0;
        _accounts[to].shares += SafeCast.toUint96(amount);
        _transferVotingUnits(from, to, amount);
        emit SharesMoved(from, to, amount);
    }

    /// @inheritdoc IAgentLedger
    function setScoreParams(ScoreParams calldata params) external onlyAgent {
        if (
            params.engagementK == 0 ||
            params.popularityK == 0 ||
            params.ratingPrior == 0 ||
            params.contributionBps == 0 ||
            params.contributionBps > MAX_CONTRIBUTION_BPS
        ) revert AgentLedgerInvalidScoreParams(params);
        _setScoreParams(params);
        emit ScoreParamsChanged(params);
    }

    /// @inheritdoc IAgentLedger
    function agent() external view returns (address) {
        return _agent;
    }

    /// @inheritdoc IAgentLedger
    function isMember(address account) external view returns (bool) {
        return _accounts[account].member;
    }

    /// @inheritdoc IAgentLedger
    function sharesOf(address account) external view returns (uint256) {
        return _accounts[account].shares;
    }

    /// @inheritdoc IAgentLedger
    function totalShares() public view returns (uint256) {
        return _getTotalSupply() - uint256(_metrics.members) * MEMBER_WEIGHT;
    }

    /// @inheritdoc IAgentLedger
    function ratingOf(address account) external view returns (uint8) {
        return _accounts[account].rating;
    }

    /// @inheritdoc IAgentLedger
    function metrics() external view returns (Metrics memory) {
        return _metrics;
    }

    /// @inheritdoc IAgentLedger
    function scoreParams() public view returns (ScoreParams memory) {
        return
            ScoreParams({
                engagementK: _engagementK == 0 ? DEFAULT_ENGAGEMENT_K : _engagementK,
                popularityK: _popularityK == 0 ? DEFAULT_POPULARITY_K : _popularityK,
                ratingPrior: _ratingPrior == 0 ? DEFAULT_RATING_PRIOR : _ratingPrior,
                contributionBps: _contributionBps == 0 ? DEFAULT_CONTRIBUTION_BPS : _contributionBps
            });
    }

    /// @inheritdoc IAgentLedger
    function score() public view returns (uint256, uint256, uint256, uint256) {
        Metrics memory m = _metrics;
        ScoreParams memory p = scoreParams();
        Score.Breakdown memory b = Score.compute(
            m.calls,
            m.members,
            m.ratingSum,
            m.ratingCount,
            Score.Params({engagementK: p.engagementK, popularityK: p.popularityK, ratingPrior: p.ratingPrior})
        );
        return (b.score, b.engagement, b.popularity, b.rating);
    }

    /// @inheritdoc IAgentLedger
    function versionCount() external view returns (uint256) {
        return _metrics.versions;
    }

    /// @inheritdoc IAgentLedger
    function metricCount() external view returns (uint256) {
        return _metricCount;
    }

    /// @inheritdoc IAgentLedger
    function versionHeader(uint256 version) external view returns (VersionHeader memory) {
        if (version >= _metrics.versions) revert AgentLedgerUnknownVersion(version, _metrics.versions);
        return _versions[version];
    }

    /**
     * @dev Every account delegates to itself until it chooses another delegate: with plain
     * OpenZeppelin votes an account that never delegates has no votes.
     */
    function delegates(address account) public view override(IVotes, VotesUpgradeable) returns (address) {
        address chosen = super.delegates(account);
        return chosen == address(0) ? account : chosen;
    }

    /// @inheritdoc VotesUpgradeable
    function clock() public view override(IERC6372, VotesUpgradeable) returns (uint48) {
        return Time.timestamp();
    }

    /// @inheritdoc VotesUpgradeable
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override(IERC6372, VotesUpgradeable) returns (string memory) {
        return "mode=timestamp";
    }

    /// @dev Slot 0, whose low bytes `_initializableState` reserves (Initializable uses 9 bytes).
    function _initializableStorageSlot() internal pure override returns (bytes32) {
        return bytes32(0);
    }

    /// @dev Delegating to the zero address means delegating back to oneself, never burning votes.
    function _delegate(address account, address delegatee) internal override {
        super._delegate(account, delegatee == address(0) ? account : delegatee);
    }

    function _getVotingUnits(address account) internal view override returns (uint256) {
        AccountState memory state = _accounts[account];
        return state.shares + (state.member ? MEMBER_WEIGHT : 0);
    }

    /// @dev The EIP-712 domain (for `delegateBySig`) is fixed, so clones store no name.
    function _EIP712Name() internal pure override returns (string memory) {
        return "HEXS Agent Ledger";
    }

    function _EIP712Version() internal pure override returns (string memory) {
        return "1";
    }

    function _setScoreParams(ScoreParams memory params) private {
        _engagementK = params.engagementK;
        _popularityK = params.popularityK;
        _ratingPrior = params.ratingPrior;
        _contributionBps = params.contributionBps;
    }

    function _addMember(address account) private {
        _accounts[account].member = true;
        uint32 members = ++_metrics.members;
        _transferVotingUnits(address(0), account, MEMBER_WEIGHT);
        emit MemberAdded(account, members);
    }

    function _appendVersion(
        address contributor,
        string calldata weightsCid,
        TrainingRecord calldata record,
        uint256 scoreBps,
        uint256 sharesMinted
    ) private returns (uint256 version) {
        version = _metrics.versions++;
        _versions[version] = VersionHeader({
            contributor: contributor,
            timestamp: uint40(block.timestamp),
            scoreBps: uint16(scoreBps)
        });
        TrainingRecord memory stored = record;
        stored.contributor = contributor;
        emit VersionRecorded(version, contributor, weightsCid, stored, scoreBps, sharesMinted);
    }

    function _checkAgent() private view {
        if (msg.sender != _agent) revert AgentLedgerUnauthorized(msg.sender);
    }
}
