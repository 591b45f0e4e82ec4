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
 * Voting units of an account are its shares plus its activated spend votes, so the total supply of
 * votes is `totalShares + metrics.spendVotes`; {totalShares} is derived from it instead of being
 * stored twice (a new ledger writes one slot less).
 *
 * Training records keep the fields contracts and list views need in storage ({VersionHeader}) and
 * the rest (dataset, metrics, lease) in the {VersionRecorded} event: an append-only record that no
 * contract reads is what logs are for, and it keeps `createAgent` within its gas budget. Benchmark
 * results ({MetricRecorded}) are kept the same way, with only their count in storage.
 */
contract AgentLedger is Initializable, VotesUpgradeable, IAgentLedger {
    /// @inheritdoc IAgentLedger
    uint256 public constant SPEND_PER_VOTE = 1e13;
    /// @inheritdoc IAgentLedger
    uint256 public constant INITIAL_SHARES = 10_000;
    /// @dev Cap on `contributionBps`: a single contribution never takes more than half the total.
    uint256 internal constant MAX_CONTRIBUTION_BPS = 5_000;

    /// @dev Per-account state in one slot: shares, membership, rating and activated spend votes.
    struct AccountState {
        uint96 shares;
        bool member;
        uint8 rating;
        uint64 ratingWeight;
        uint80 spendVotes;
    }

    /// @dev Reserves the low 9 bytes of slot 0 for {Initializable}'s flags (see
    /// {_initializableStorageSlot}), so that initializing shares a storage write with `_agent`.
    uint72 private _initializableState;
    address private _agent;
    /// @dev Zero fields mean the defaults (the setter never stores a zero), so a new ledger writes none.
    ScoreParams private _scoreParams;
    Metrics private _metrics;
    mapping(address account => AccountState) private _accounts;
    mapping(uint256 version => VersionHeader) private _versions;
    /// @dev Not in {Metrics}: written by the first record, never at creation.
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

        _accounts[creator] = AccountState({
            shares: uint96(INITIAL_SHARES),
            member: true,
            rating: 0,
            ratingWeight: 0,
            spendVotes: 0
        });
        _metrics.members = 1;
        _transferVotingUnits(address(0), creator, INITIAL_SHARES);
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
    function recordUsage(uint256 units, uint256 value, uint256 payerWeight, uint256 newPayers) external onlyAgent {
        Metrics storage m = _metrics;
        m.calls += SafeCast.toUint64(units);
        uint96 totalValue = m.settledValue + SafeCast.toUint96(value);
        m.settledValue = totalValue;
        if (payerWeight != 0) m.payerWeight += SafeCast.toUint96(payerWeight);
        if (newPayers != 0) m.payers += SafeCast.toUint32(newPayers);
        emit UsageRecorded(units, value, totalValue);
    }

    /// @inheritdoc IAgentLedger
    function recordRating(address account, uint8 stars, uint256 spent) external onlyAgent {
        uint256 cap = scoreParams().fullUserSpend;
        uint256 weight = spent < cap ? spent : cap; // equivalent mutant `<` → `<=`: at a tie both are the same number
        if (stars < 1 || stars > 5 || weight == 0) revert AgentLedgerInvalidRating(stars, weight);
        AccountState storage state = _accounts[account];
        uint8 previous = state.rating;
        _removeRating(state);
        state.rating = stars;
        state.ratingWeight = uint64(weight);
        Metrics storage m = _metrics;
        m.raters += 1;
        m.ratingWeight += uint96(weight);
        m.ratingWeightedStars += uint96(weight * stars);
        emit RatingRecorded(account, stars, previous, weight);
    }

    /// @inheritdoc IAgentLedger
    function dropRating(address account) external onlyAgent {
        AccountState storage state = _accounts[account];
        uint8 previous = state.rating;
        if (previous == 0) return;
        _removeRating(state);
        state.rating = 0;
        state.ratingWeight = 0;
        emit RatingRecorded(account, 0, previous, 0);
    }

    /// @inheritdoc IAgentLedger
    function syncSpendVotes(address account, uint256 spent) external onlyAgent returns (uint256 activated) {
        AccountState storage state = _accounts[account];
        uint256 earned = spent / SPEND_PER_VOTE;
        // Settled spending only grows, so votes earned from it never fall.
        if (earned <= state.spendVotes) return 0;
        activated = earned - state.spendVotes;
        state.spendVotes = SafeCast.toUint80(earned);
        uint64 total = _metrics.spendVotes + SafeCast.toUint64(activated);
        _metrics.spendVotes = total;
        _transferVotingUnits(address(0), account, activated);
        emit SpendVotesActivated(account, activated, total);
    }

    /// @inheritdoc IAgentLedger
    function recordVersion(
        string calldata weightsCid,
        TrainingRecord calldata record,
        bool mintShares
    ) external onlyAgent returns (uint256 version, uint256 sharesMinted) {
        uint256 count = _metrics.versions;
        if (record.baseVersion >= count) revert AgentLedgerUnknownVersion(record.baseVersion, count);
        address contributor = record.contributor;
        if (!_accounts[contributor].member) _addMember(contributor);

        (uint256 scoreBps, , , ) = score();
        if (mintShares) {
            sharesMinted = Score.contributionShares(totalShares(), scoreBps, scoreParams().contributionBps);
            _accounts[contributor].shares += SafeCast.toUint96(sharesMinted);
            _transferVotingUnits(address(0), contributor, sharesMinted);
            emit SharesMoved(address(0), contributor, sharesMinted);
        }
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
            params.contributionBps > MAX_CONTRIBUTION_BPS ||
            params.fullUserSpend == 0
        ) revert AgentLedgerInvalidScoreParams(params);
        _scoreParams = params;
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
    function spendVotesOf(address account) external view returns (uint256) {
        return _accounts[account].spendVotes;
    }

    /// @inheritdoc IAgentLedger
    function totalShares() public view returns (uint256) {
        return _getTotalSupply() - _metrics.spendVotes;
    }

    /// @inheritdoc IAgentLedger
    function holdsEveryVote(address account) external view returns (bool) {
        AccountState memory state = _accounts[account];
        return state.shares + uint256(state.spendVotes) == _getTotalSupply();
    }

    /// @inheritdoc IAgentLedger
    function ratingOf(address account) external view returns (uint8 stars, uint256 weight) {
        AccountState memory state = _accounts[account];
        return (state.rating, state.ratingWeight);
    }

    /// @inheritdoc IAgentLedger
    function metrics() external view returns (Metrics memory) {
        return _metrics;
    }

    /// @inheritdoc IAgentLedger
    function scoreParams() public view returns (ScoreParams memory p) {
        p = _scoreParams;
        if (p.engagementK == 0) p.engagementK = Score.DEFAULT_ENGAGEMENT_K;
        if (p.popularityK == 0) p.popularityK = Score.DEFAULT_POPULARITY_K;
        if (p.ratingPrior == 0) p.ratingPrior = Score.DEFAULT_RATING_PRIOR;
        if (p.contributionBps == 0) p.contributionBps = Score.DEFAULT_CONTRIBUTION_BPS;
        if (p.fullUserSpend == 0) p.fullUserSpend = Score.DEFAULT_FULL_USER_SPEND;
    }

    /// @inheritdoc IAgentLedger
    function score() public view returns (uint256, uint256, uint256, uint256) {
        Metrics memory m = _metrics;
        ScoreParams memory p = scoreParams();
        Score.Breakdown memory b = Score.compute(
            m.settledValue,
            m.payerWeight,
            m.ratingWeightedStars,
            m.ratingWeight,
            Score.Params({
                engagementK: p.engagementK,
                popularityK: uint256(p.popularityK) * p.fullUserSpend,
                ratingPrior: uint256(p.ratingPrior) * p.fullUserSpend
            })
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
        return state.shares + uint256(state.spendVotes);
    }

    /// @dev The EIP-712 domain (for `delegateBySig`) is fixed, so clones store no name.
    function _EIP712Name() internal pure override returns (string memory) {
        return "HEXS Agent Ledger";
    }

    function _EIP712Version() internal pure override returns (string memory) {
        return "1";
    }

    function _removeRating(AccountState storage state) private {
        if (state.rating == 0) return;
        Metrics storage m = _metrics;
        m.raters -= 1;
        m.ratingWeight -= state.ratingWeight;
        m.ratingWeightedStars -= uint96(uint256(state.ratingWeight) * state.rating);
    }

    function _addMember(address account) private {
        _accounts[account].member = true;
        emit MemberAdded(account, ++_metrics.members);
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
