// SPDX-License-Identifier: MIT
// HEXS contracts/interfaces/IAgentLedger.sol
pragma solidity ^0.8.30;

import {IERC5805} from "@openzeppelin/contracts/interfaces/IERC5805.sol";

/**
 * @dev The "AI Agent Ledger" of one agent: training records, usage metrics, non-transferable
 * training shares and the voting units the agent's DAO counts.
 *
 * Voting units are training shares plus units earned by value actually spent on the agent
 * (settled usage, which no refund returns), one per {SPEND_PER_VOTE} wei, never bare membership:
 * joining is free, so any number of fresh accounts carry no votes. Spend-derived units are
 * checkpointed when activated ({syncSpendVotes}), not on every settlement, so that settling
 * stays cheap; anyone may activate them for anyone, since they only follow the settled spend.
 *
 * The score's inputs are costly signals too: engagement is settled value (wei), popularity is the
 * number of paying users weighted by what each spent up to {ScoreParams-fullUserSpend}, and a
 * rating weighs what its author spent, capped the same way.
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
        /// What the lease cost, in the lease's denomination (uact since Akash's BME upgrade).
        uint128 leaseCost;
    }

    /// @dev The stored part of a version record.
    struct VersionHeader {
        address contributor;
        uint40 timestamp;
        uint16 scoreBps;
    }

    /**
     * @dev Usage metrics that feed the score, in three storage slots: counts, spending, ratings.
     * `settledValue`, `payerWeight` and `ratingWeight` are in wei.
     */
    struct Metrics {
        /// Units (credits) charged by settlements, for display; the score counts value instead.
        uint64 calls;
        uint64 purchases;
        uint32 members;
        uint32 versions;
        /// Voting units activated from spending, summed over accounts.
        uint64 spendVotes;
        /// Wei of settled usage, ever (engagement).
        uint96 settledValue;
        /// Sum over accounts of min(spent, fullUserSpend) (popularity).
        uint96 payerWeight;
        /// Accounts with any settled spending.
        uint32 payers;
        /// Sum of the current ratings' weights.
        uint96 ratingWeight;
        /// Sum of weight × stars over the current ratings.
        uint96 ratingWeightedStars;
        /// Accounts with a current rating.
        uint32 raters;
    }

    /**
     * @dev DAO-settable parameters of the score and of share minting (one storage slot; zero means
     * the default, so a new ledger stores none of them).
     */
    struct ScoreParams {
        /// Settled wei at which engagement is one half.
        uint96 engagementK;
        /// Full paying users at which popularity is one half.
        uint32 popularityK;
        /// Weight of the rating prior (3 stars), in full paying users.
        uint16 ratingPrior;
        /// Share of the new total a contribution receives at score 0, in basis points.
        uint16 contributionBps;
        /// Spending (wei) at which a user counts fully, for popularity and for its rating's weight.
        uint64 fullUserSpend;
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
    /// @notice `account` rated the agent `stars` (1..5, 0 when a rating is dropped) with `weight` wei behind it.
    event RatingRecorded(address indexed account, uint8 stars, uint8 previous, uint256 weight);
    /// @notice Settled usage: `units` credits worth `value` wei; `totalValue` is the new total.
    event UsageRecorded(uint256 units, uint256 value, uint256 totalValue);
    /// @notice A credit purchase was counted; `purchases` is the new total.
    event PurchaseRecorded(address indexed buyer, uint256 purchases);
    /// @notice `votes` more voting units of `account` now count, from its settled spending.
    event SpendVotesActivated(address indexed account, uint256 votes, uint256 totalSpendVotes);
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
    /// @notice Thrown when a rating is outside 1..5 or has no spending behind it.
    error AgentLedgerInvalidRating(uint8 stars, uint256 weight);
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

    /**
     * @notice Adds a settlement batch to the metrics: `units` credits worth `value` wei, which
     * raised the paying users' weight by `payerWeight` and brought `newPayers` first-time payers.
     */
    function recordUsage(uint256 units, uint256 value, uint256 payerWeight, uint256 newPayers) external;

    /// @notice Stores `account`'s rating (replacing an earlier one) with `spent` wei of settled usage behind it.
    function recordRating(address account, uint8 stars, uint256 spent) external;

    /// @notice Removes `account`'s rating, if any (it took its unspent credits back).
    function dropRating(address account) external;

    /**
     * @notice Brings `account`'s spend-derived voting units up to `spent / SPEND_PER_VOTE`.
     * @return activated the units added (0 when already current)
     */
    function syncSpendVotes(address account, uint256 spent) external returns (uint256 activated);

    /**
     * @notice Appends a version; when `mintShares`, mints its contributor's shares by the formula.
     * @return version the new version's index
     * @return sharesMinted the shares minted to the contributor
     */
    function recordVersion(
        string calldata weightsCid,
        TrainingRecord calldata record,
        bool mintShares
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

    /// @notice Wei of settled spending that earn one voting unit.
    function SPEND_PER_VOTE() external view returns (uint256);

    /// @notice Shares the creator starts with.
    function INITIAL_SHARES() external view returns (uint256);

    /// @notice Whether `account` is a member.
    function isMember(address account) external view returns (bool);

    /// @notice `account`'s training shares.
    function sharesOf(address account) external view returns (uint256);

    /// @notice `account`'s activated spend-derived voting units.
    function spendVotesOf(address account) external view returns (uint256);

    /// @notice All training shares (sum of every balance).
    function totalShares() external view returns (uint256);

    /**
     * @notice Whether `account` holds every voting unit (all shares, and no one else has
     * activated spend votes): only then can the owner mint shares without the DAO.
     */
    function holdsEveryVote(address account) external view returns (bool);

    /// @notice `account`'s current rating (0 if none) and the weight (wei) it counts with.
    function ratingOf(address account) external view returns (uint8 stars, uint256 weight);

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
