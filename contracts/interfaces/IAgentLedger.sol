// SPDX-License-Identifier: MIT
// HEXS contracts/interfaces/IAgentLedger.sol
pragma solidity ^0.8.30;

import {IERC5805} from "@openzeppelin/contracts/interfaces/IERC5805.sol";

/**
 * @dev The "AI Agent Ledger" of one agent: training records, usage metrics, non-transferable
 * training shares and the voting units the agent's DAO counts (shares + a fixed weight per member).
 *
 * Every state change comes from the agent (`onlyAgent`): the agent is where users pay and where the
 * owner and the DAO act; the ledger only records. Votes use the timestamp clock (ERC-6372
 * `mode=timestamp`), and every account is its own delegate until it delegates elsewhere.
 */
interface IAgentLedger is IERC5805 {
    /**
     * @dev What a published version records besides its weights CID. Kept in full in the
     * {VersionRecorded} event; storage keeps the part contracts and list views need ({VersionHeader}).
     */
    struct TrainingRecord {
        /// Who trained it and receives the contribution shares.
        address contributor;
        /// The earlier version this one was fine-tuned from (ignored for version 0, whose base is the
        /// agent's base model or parent agent).
        uint32 baseVersion;
        /// IPFS CID of the training data set.
        string datasetCid;
        /// IPFS CID of the evaluation metrics (JSON: benchmark set CID and scores).
        string metricsCid;
        /// Akash provider address (bech32) of the training lease, empty if not trained on Akash.
        string leaseProvider;
        /// Akash deployment sequence number of the training lease.
        uint64 leaseDseq;
        /// What the lease cost, in the lease's denomination (uakt).
        uint128 leaseCost;
    }

    /// @dev The stored part of a version record.
    struct VersionHeader {
        address contributor;
        uint40 timestamp;
        uint16 scoreBps;
    }

    /// @dev Usage metrics that feed the score, and the number of versions (one storage slot).
    struct Metrics {
        uint64 calls;
        uint64 purchases;
        uint32 members;
        uint32 ratingSum;
        uint32 ratingCount;
        uint32 versions;
    }

    /// @dev DAO-settable parameters of the score and of share minting.
    struct ScoreParams {
        uint32 engagementK;
        uint32 popularityK;
        uint16 ratingPrior;
        uint16 contributionBps;
    }

    /// @notice A version was appended: its full training record, the score at that moment and the
    /// shares minted to its contributor.
    event VersionRecorded(
        uint256 indexed version,
        address indexed contributor,
        string weightsCid,
        TrainingRecord record,
        uint256 scoreBps,
        uint256 sharesMinted
    );
    /// @notice `account` became a member (first access); `members` is the new member count.
    event MemberAdded(address indexed account, uint256 members);
    /// @notice `amount` training shares moved from `from` to `to` (zero `from` means minted).
    event SharesMoved(address indexed from, address indexed to, uint256 amount);
    /// @notice `account` rated the agent `stars` (1..5); `previous` is 0 on a first rating.
    event RatingRecorded(address indexed account, uint8 stars, uint8 previous);
    /// @notice Settled usage added `units` calls; `totalCalls` is the new total.
    event CallsRecorded(uint256 units, uint256 totalCalls);
    /// @notice A credit purchase was counted; `purchases` is the new total.
    event PurchaseRecorded(address indexed buyer, uint256 purchases);
    /// @notice The DAO changed the score parameters.
    event ScoreParamsChanged(ScoreParams params);
    /**
     * @notice Benchmark result number `index` was recorded by `recorder` (the agent's owner or DAO):
     * the benchmark set `benchmarkSetCid` run on the weights `weightsCid` gave the result document
     * `resultCid`. The record lives only in this event; {metricCount} counts them.
     */
    event MetricRecorded(
        uint256 indexed index,
        address indexed recorder,
        string benchmarkSetCid,
        string weightsCid,
        string resultCid
    );

    /// @notice Thrown when anyone but the agent calls a recording function.
    error AgentLedgerUnauthorized(address caller);
    /// @notice Thrown when a score parameter is zero or the contribution rate is above its cap (5 000).
    error AgentLedgerInvalidScoreParams(ScoreParams params);
    /// @notice Thrown when a rating is outside 1..5.
    error AgentLedgerInvalidRating(uint8 stars);
    /// @notice Thrown when a version index does not exist.
    error AgentLedgerUnknownVersion(uint256 version, uint256 versionCount);

    /**
     * @notice Sets up the ledger of a new agent: `creator` becomes the first member with
     * {INITIAL_SHARES} shares, and version 0 is recorded with `weightsCid`.
     * @dev Called once by the factory in the agent's creation transaction.
     */
    function initialize(
        address agent,
        address creator,
        string calldata weightsCid,
        TrainingRecord calldata firstVersion
    ) external;

    /// @notice Counts a first access by `account` (joining or buying) and, when `purchase`, a purchase.
    /// @return isNewMember true when `account` was not a member before.
    function recordAccess(address account, bool purchase) external returns (bool isNewMember);

    /// @notice Adds settled usage to the engagement metric.
    function recordCalls(uint256 units) external;

    /// @notice Stores `account`'s rating (replacing an earlier one).
    function recordRating(address account, uint8 stars) external;

    /**
     * @notice Appends a version and mints its contributor's shares by the formula.
     * @return version the new version's index
     * @return sharesMinted the shares minted to the contributor
     */
    function recordVersion(
        string calldata weightsCid,
        TrainingRecord calldata record
    ) external returns (uint256 version, uint256 sharesMinted);

    /**
     * @notice Appends a benchmark result by `recorder` ({MetricRecorded}); the agent checks the
     * caller's role and that no CID is empty.
     * @return index the record's index, from 0
     */
    function recordMetric(
        address recorder,
        string calldata benchmarkSetCid,
        string calldata weightsCid,
        string calldata resultCid
    ) external returns (uint256 index);

    /// @notice Moves all of `from`'s shares to `to` (a sale); `to` becomes a member if it was not.
    /// @return amount the shares moved
    function moveShares(address from, address to) external returns (uint256 amount);

    /// @notice Replaces the score parameters (the agent forwards this from its DAO only).
    function setScoreParams(ScoreParams calldata params) external;

    /// @notice The agent this ledger belongs to.
    function agent() external view returns (address);

    /// @notice Voting units each member gets on top of its shares.
    function MEMBER_WEIGHT() external view returns (uint256);

    /// @notice Shares the creator starts with.
    function INITIAL_SHARES() external view returns (uint256);

    /// @notice Whether `account` is a member.
    function isMember(address account) external view returns (bool);

    /// @notice `account`'s training shares.
    function sharesOf(address account) external view returns (uint256);

    /// @notice All training shares (sum of every balance).
    function totalShares() external view returns (uint256);

    /// @notice `account`'s current rating, 0 if none.
    function ratingOf(address account) external view returns (uint8);

    /// @notice The usage metrics.
    function metrics() external view returns (Metrics memory);

    /// @notice The score parameters.
    function scoreParams() external view returns (ScoreParams memory);

    /**
     * @notice The current score and its factors, each in basis points.
     * @return score (E + R + P) / 3 × 10 000
     * @return engagement E × 10 000
     * @return popularity P × 10 000
     * @return rating R × 10 000
     */
    function score() external view returns (uint256 score, uint256 engagement, uint256 popularity, uint256 rating);

    /// @notice How many versions have been recorded (version 0 is the one created with the agent).
    function versionCount() external view returns (uint256);

    /// @notice How many benchmark results have been recorded ({MetricRecorded}).
    function metricCount() external view returns (uint256);

    /// @notice The stored header of `version`.
    function versionHeader(uint256 version) external view returns (VersionHeader memory);
}
