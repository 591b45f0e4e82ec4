// SPDX-License-Identifier: MIT
// HEXS contracts/interfaces/IAgent.sol
pragma solidity ^0.8.30;

import {IAgentLedger} from "./IAgentLedger.sol";

/**
 * @dev One fine-tuned model on the marketplace: its metadata, access (credits, API keys, usage
 * settlement), revenue sharing, ratings, versions and sale.
 *
 * Roles: the **owner** (creator, or whoever bought the agent), the **DAO** (its AgentDAO, acting
 * through executed proposals after their timelock), the **operator** (runs the inference gateway
 * and settles usage; signs receipts with its registered {receiptSigner}) and **members** (everyone
 * who joined or bought credits; membership alone carries no votes).
 *
 * Owner-or-DAO setters: the DAO can always call them; the owner only while the DAO has not taken
 * that power over ({setDaoPowers}). At creation the DAO holds {POWER_ROYALTY}, so the owner of a
 * derived agent cannot cut the parent's royalty alone, and never below the parent's
 * {royaltyFloorBps}. Only the DAO can change the score parameters and the DAO powers, and mint
 * shares once anyone besides the owner holds votes (the owner's own versions then mint none). Only
 * the owner can list the agent for sale. Recording a benchmark result ({recordMetric}) is open to
 * the owner and the DAO alike and is not a power the DAO can take over.
 *
 * Settlement is sequenced per key (a replayed line changes nothing), stops {SETTLEMENT_GRACE}
 * after a key's revocation, and during a credit refund's notice charges at most what the user
 * acknowledged as unsettled when asking; after the notice the deposit is the user's alone.
 *
 * Money: credits are a prepaid balance held here until usage is settled; settled value pays the
 * protocol fee, then the parent's royalty (which cascades up the lineage, {MAX_LINEAGE_DEPTH}
 * generations at most), then the shareholders through a revenue-per-share accumulator they pull
 * from with {withdraw}. At every moment `balance == protocolFeesOwed + creditsValue + unclaimed`.
 */
interface IAgent {
    enum AccessMode {
        Free,
        Paid
    }

    /// @dev Addresses fixed at creation (kept in the clone's immutable arguments).
    struct Links {
        address factory;
        address ledger;
        address dao;
        address parent;
    }

    /// @dev Metadata fixed at creation (kept in the clone's immutable arguments).
    struct Metadata {
        string name;
        string modelCardCid;
        string baseModel;
        string baseModelRevision;
        string initialWeightsCid;
    }

    /// @dev Settings an owner or the DAO may change later, given at creation.
    struct Settings {
        AccessMode mode;
        uint96 pricePerCredit;
        uint16 royaltyBps;
        address operator;
        string endpoint;
    }

    /**
     * @dev One line of a settlement batch: `units` credits used through the key `keyId` since its
     * previous line, numbered `sequence` (strictly increasing per key; a line at or below the last
     * settled number is a replay and changes nothing).
     */
    struct Usage {
        bytes32 keyId;
        uint64 sequence;
        uint256 units;
    }

    /**
     * @dev A user's balance here, in one slot. `deposit` is the wei paid for the `credits` still
     * unspent; `spent` the wei of settled usage ever (what votes and ratings weigh).
     */
    struct Account {
        uint48 credits;
        uint80 deposit;
        uint88 spent;
        uint40 refundAvailableAt;
    }

    /**
     * @dev An API key, stored under `keyId = keccak256(abi.encode(user, secretHash))`: ids are
     * scoped to their holder, so no one can take a key hash seen in the mempool. `spent` and `cap`
     * count credits (units); `sequence` is the last settled line's number.
     */
    struct ApiKey {
        address user;
        uint64 spent;
        uint64 cap;
        uint64 sequence;
        uint40 revokedAt;
    }

    /// @dev What a marketplace card shows, from one call.
    struct Summary {
        address agent;
        address ledger;
        address dao;
        address owner;
        address parent;
        string name;
        string modelCardCid;
        string baseModel;
        string weightsCid;
        AccessMode mode;
        uint256 pricePerCredit;
        uint256 salePrice;
        uint256 score;
        uint256 engagement;
        uint256 popularity;
        uint256 rating;
        uint256 members;
        uint256 calls;
        uint256 purchases;
        uint256 settledValue;
        uint256 payers;
        uint256 raters;
        uint256 ratingWeight;
        uint256 ratingWeightedStars;
        uint256 versionCount;
    }

    /// @dev Why a settlement line charged less than it asked, in {UsageSettled}.
    enum ChargeLimit {
        None,
        SpendCap,
        Credits,
        Revoked,
        RefundNotice,
        RefundDue
    }

    /// @notice `account` joined the free agent.
    event Joined(address indexed account);
    /// @notice `buyer` bought `credits` for `paid` wei and got `refund` wei of excess back.
    event CreditsBought(address indexed buyer, uint256 credits, uint256 paid, uint256 refund);
    /**
     * @notice `user` asked for its unspent credits back, possible from `availableAt`; until then
     * the operator may charge at most `unsettledCredits` of them.
     */
    event CreditRefundRequested(address indexed user, uint256 credits, uint256 unsettledCredits, uint256 availableAt);
    /// @notice `user` took back `value` wei for `credits` unspent credits.
    event CreditsRefunded(address indexed user, uint256 credits, uint256 value);
    /// @notice `user` created the API key `keyId` with a spend cap of `cap` credits.
    event ApiKeyCreated(address indexed user, bytes32 indexed keyId, uint256 cap);
    /// @notice `user` revoked the API key `keyId`.
    event ApiKeyRevoked(address indexed user, bytes32 indexed keyId);
    /// @notice The operator settled line `sequence` of `keyId`: `charged` units, worth `value` wei.
    event UsageSettled(bytes32 indexed keyId, address indexed user, uint256 sequence, uint256 charged, uint256 value);
    /**
     * @notice Line `sequence` of `keyId` asked for `requested` units and was charged less (see its
     * {UsageSettled}) because of `limit`. Emitted only then, so the common line logs two words less.
     */
    event UsageLimited(bytes32 indexed keyId, uint256 sequence, uint256 requested, ChargeLimit limit);
    /// @notice Line `sequence` of `keyId` was settled before: nothing changed.
    event UsageReplayed(bytes32 indexed keyId, uint256 sequence);
    /// @notice A settlement batch moved `value` wei of credits into revenue and split it.
    event RevenueSplit(uint256 value, uint256 protocolFee, uint256 royalty, uint256 toShareholders);
    /// @notice `amount` wei arrived from `from`, earned `generation` generations below (0: a plain deposit).
    event RoyaltyReceived(address indexed from, uint256 amount, uint256 generation, uint256 forwarded);
    /// @notice `account` withdrew `amount` wei of revenue and sale proceeds.
    event Withdrawn(address indexed account, uint256 amount);
    /// @notice `amount` wei of protocol fees went to `treasury`.
    event ProtocolFeesWithdrawn(address indexed treasury, uint256 amount);
    /// @notice `account` rated the agent `stars`, weighted by what it spent.
    event Rated(address indexed account, uint8 stars);
    /// @notice Version `version` was published with `weightsCid`; `contributor` got `sharesMinted`.
    event VersionPublished(uint256 indexed version, address indexed contributor, string weightsCid, uint256 sharesMinted);
    /// @notice The owner listed the agent for `price` wei.
    event ListedForSale(uint256 price);
    /// @notice The owner withdrew the agent from sale.
    event SaleCancelled();
    /// @notice `buyer` bought the agent from `seller` for `price` wei; `shares` moved with it.
    event AgentSold(address indexed seller, address indexed buyer, uint256 price, uint256 shares);
    /// @notice The price of one credit changed (wei).
    event PriceChanged(uint256 pricePerCredit);
    /// @notice Access switched between free and paid.
    event ModeChanged(AccessMode mode);
    /// @notice The inference gateway URL changed.
    event EndpointChanged(string endpoint);
    /// @notice The account that settles usage changed.
    event OperatorChanged(address operator);
    /// @notice The key the operator signs usage receipts with changed (zero: none registered).
    event ReceiptSignerChanged(address signer);
    /// @notice The royalty paid to the parent agent changed (basis points of revenue after the fee).
    event RoyaltyChanged(uint256 royaltyBps);
    /// @notice The least royalty an agent derived from this one must pay it changed.
    event RoyaltyFloorChanged(uint256 floorBps);
    /// @notice The set of powers the DAO has taken over from the owner changed.
    event DaoPowersChanged(uint8 powers);

    /// @notice Thrown when the caller is not the owner.
    error AgentNotOwner(address caller);
    /// @notice Thrown when the caller is not the DAO.
    error AgentNotDao(address caller);
    /// @notice Thrown when the caller is neither the owner (with the power free) nor the DAO.
    error AgentNotOwnerOrDao(address caller, uint8 power);
    /// @notice Thrown when the caller is not the operator.
    error AgentNotOperator(address caller);
    /// @notice Thrown when the caller does not hold the API key.
    error AgentNotKeyHolder(address caller, bytes32 keyId);
    /// @notice Thrown when an action needs the other access mode.
    error AgentWrongMode(AccessMode mode);
    /// @notice Thrown when fewer wei were sent than needed.
    error AgentInsufficientPayment(uint256 sent, uint256 needed);
    /// @notice Thrown when a sale is paid with anything but the exact price.
    error AgentWrongPayment(uint256 sent, uint256 price);
    /// @notice Thrown when buying zero credits, or more than a balance can hold (`limit` credits at this price).
    error AgentInvalidCreditAmount(uint256 credits, uint256 limit);
    /// @notice Thrown when joining twice.
    error AgentAlreadyMember(address account);
    /// @notice Thrown when a non-member tries a member-only action.
    error AgentNotMember(address account);
    /// @notice Thrown when a member with no settled spending tries to rate.
    error AgentRatingNotAllowed(address account);
    /// @notice Thrown when the caller already registered this secret hash.
    error AgentApiKeyTaken(bytes32 keyId);
    /// @notice Thrown when a secret hash is zero.
    error AgentInvalidApiKey();
    /// @notice Thrown when an API key id is unknown.
    error AgentUnknownApiKey(bytes32 keyId);
    /// @notice Thrown when revoking a key twice.
    error AgentApiKeyRevokedAlready(bytes32 keyId);
    /// @notice Thrown when a cap is above what a key can count.
    error AgentInvalidSpendCap(uint256 cap);
    /// @notice Thrown when asking for a refund with no credits, or while one is pending.
    error AgentNoCreditsToRefund(address user);
    /// @notice Thrown when withdrawing credits without a pending request.
    error AgentNoRefundRequested(address user);
    /// @notice Thrown when withdrawing credits before the notice period ends.
    error AgentRefundNotReady(uint256 availableAt, uint256 now_);
    /// @notice Thrown when there is nothing to withdraw.
    error AgentNothingToWithdraw(address account);
    /// @notice Thrown when sending wei fails (the receiver reverted, e.g. by re-entering).
    error AgentTransferFailed(address to, uint256 amount);
    /// @notice Thrown when buying an agent that is not for sale, or by its owner.
    error AgentNotForSale();
    /// @notice Thrown when a price is zero where a positive one is needed, or too large.
    error AgentInvalidPrice(uint256 price);
    /// @notice Thrown when a royalty is above {MAX_ROYALTY_BPS} or set without a parent.
    error AgentInvalidRoyalty(uint256 royaltyBps);
    /// @notice Thrown when a royalty is below the floor the parent set for its children.
    error AgentRoyaltyBelowFloor(uint256 royaltyBps, uint256 floorBps);
    /// @notice Thrown when the operator would be the zero address.
    error AgentInvalidOperator();
    /// @notice Thrown when a version's contributor is zero, or not the owner when the owner publishes.
    error AgentInvalidContributor(address contributor);
    /// @notice Thrown when a version has no weights CID.
    error AgentEmptyWeightsCid();
    /// @notice Thrown when a settlement batch is empty.
    error AgentEmptySettlement();
    /// @notice Thrown when a metric record has no benchmark set CID.
    error AgentEmptyBenchmarkSetCid();
    /// @notice Thrown when a metric record has no result CID.
    error AgentEmptyResultCid();

    /**
     * @notice Sets up a new agent; called once by the factory in the creation transaction.
     * @param owner the creator
     * @param settings initial price, mode, royalty, operator and endpoint
     * @param registryIndex the agent's index in the factory registry
     */
    function initialize(address owner, Settings calldata settings, uint256 registryIndex) external;

    /// @notice Joins a free agent, which makes the caller a member (without votes: joining is free).
    function join() external;

    /**
     * @notice Buys `credits` credits of a paid agent at the current price; the excess of
     * `msg.value` is refunded. The first purchase makes the caller a member. Cancels a pending
     * refund request.
     */
    function buyCredits(uint256 credits) external payable;

    /**
     * @notice Starts the notice period after which the caller can take back its unspent credits.
     * @param unsettledCredits the credits the caller acknowledges it used and the operator has not
     * settled yet (the gateway's `/v1/key` reports it); the operator may charge at most these
     * during the notice, and nothing after it
     */
    function requestCreditRefund(uint256 unsettledCredits) external;

    /// @notice After the notice period, refunds the caller the wei paid for its unspent credits
    /// and drops its rating.
    function withdrawCredits() external;

    /**
     * @notice Registers an API key by the hash of its secret (the secret never touches the chain).
     * @param secretHash keccak256 of the secret's bytes
     * @param spendCap most credits (units) the key may ever be charged
     * @return keyId `keccak256(abi.encode(msg.sender, secretHash))`, the key's id from now on
     */
    function createApiKey(bytes32 secretHash, uint256 spendCap) external returns (bytes32 keyId);

    /// @notice Revokes one of the caller's API keys; usage up to {SETTLEMENT_GRACE} after can still be settled.
    function revokeApiKey(bytes32 keyId) external;

    /**
     * @notice Operator only: charges a batch of metered usage. Each new line is charged at most
     * what is left under its key's cap and, in paid mode, the user's credits (and during a refund
     * notice its acknowledged allowance); replayed lines change nothing; {UsageSettled} reports
     * what was charged and {UsageLimited} what held a line below its request.
     */
    function settle(Usage[] calldata usage) external;

    /// @notice Anyone: makes `account`'s settled spending count as votes ({IAgentLedger-syncSpendVotes}).
    function activateVotes(address account) external returns (uint256 activated);

    /// @notice Pays the caller its share of revenue and any sale proceeds owed to it.
    function withdraw() external;

    /// @notice Sends the protocol fees collected here to the protocol treasury. Anyone may call.
    function withdrawProtocolFees() external;

    /**
     * @notice Receives royalties for the shareholders: from a derived agent `generation`
     * generations below (1: a child), or a plain deposit (0). This agent's own royalty share of it
     * goes on to its parent while the lineage is shorter than {MAX_LINEAGE_DEPTH}.
     */
    function receiveRoyalty(uint256 generation) external payable;

    /// @notice Rates the agent 1..5; members with settled spending only, weighted by it (capped).
    function rate(uint8 stars) external;

    /**
     * @notice Publishes a new version. The owner publishes its own (minting its shares only while
     * it holds every vote: after that the DAO must accept versions that mint); the DAO accepts
     * versions by anyone, minting the contributor's shares.
     */
    function publishVersion(string calldata weightsCid, IAgentLedger.TrainingRecord calldata record) external;

    /**
     * @notice Owner-or-DAO: records a benchmark result in the ledger, which emits
     * {IAgentLedger-MetricRecorded} with the caller as recorder and counts it in
     * {IAgentLedger-metricCount}. Reverts with {AgentEmptyBenchmarkSetCid}, {AgentEmptyWeightsCid} or
     * {AgentEmptyResultCid} when a CID is empty.
     * @dev Not one of the DAO powers (`power` is 0 in {AgentNotOwnerOrDao}): the owner and the DAO
     * can always record. A record moves no value and changes no setting or score; it is a claim
     * signed by its recorder that anyone can re-check by running the benchmark set on the weights,
     * so there is nothing for the DAO to guard, and the owner must stay able to publish results of
     * its own weights. The weights need not be a published version's.
     * @param benchmarkSetCid IPFS CID of the fixed benchmark set that was run
     * @param weightsCid IPFS CID of the weights that were measured
     * @param resultCid IPFS CID of the result document (JSON naming both CIDs, with the scores)
     */
    function recordMetric(
        string calldata benchmarkSetCid,
        string calldata weightsCid,
        string calldata resultCid
    ) external;

    /// @notice Owner only: lists the agent for sale at `price` wei (replacing an earlier listing).
    function listForSale(uint256 price) external;

    /// @notice Owner only: ends the listing.
    function cancelSale() external;

    /**
     * @notice Buys the listed agent for exactly the listed price: the caller becomes the owner and
     * gets the seller's training shares, `operator_` (the caller if zero) becomes the operator, and
     * every proposal snapshotted before the sale is cancelled; the seller can {withdraw} the price
     * less the protocol fee.
     */
    function buyAgent(address operator_) external payable;

    /// @notice Owner-or-DAO ({POWER_PRICE}): sets the wei price of one credit.
    function setPrice(uint256 pricePerCredit) external;

    /// @notice Owner-or-DAO ({POWER_MODE}): switches between free and paid access.
    function setMode(AccessMode mode) external;

    /// @notice Owner-or-DAO ({POWER_ENDPOINT}): sets the inference gateway URL.
    function setEndpoint(string calldata endpoint) external;

    /// @notice Owner-or-DAO ({POWER_OPERATOR}): sets who settles usage; its receipt signer is cleared.
    function setOperator(address operator) external;

    /// @notice Operator only: registers the address whose signatures on usage receipts are the operator's.
    function setReceiptSigner(address signer) external;

    /// @notice Owner-or-DAO ({POWER_ROYALTY}, held by the DAO from creation): sets the parent royalty.
    function setRoyalty(uint256 royaltyBps) external;

    /**
     * @notice Owner-or-DAO ({POWER_ROYALTY_FLOOR}): sets the least royalty agents derived from this one
     * must pay it, from their creation on (existing children keep what they pay unless they change it).
     */
    function setRoyaltyFloor(uint256 floorBps) external;

    /// @notice DAO only: sets which powers the DAO holds (the owner loses them).
    function setDaoPowers(uint8 powers) external;

    /// @notice DAO only: changes the score parameters in the ledger.
    function setScoreParams(IAgentLedger.ScoreParams calldata params) external;

    /// @notice Bit of {daoPowers}: the DAO alone sets the price.
    function POWER_PRICE() external view returns (uint8);
    /// @notice Bit of {daoPowers}: the DAO alone sets the access mode.
    function POWER_MODE() external view returns (uint8);
    /// @notice Bit of {daoPowers}: the DAO alone sets the endpoint.
    function POWER_ENDPOINT() external view returns (uint8);
    /// @notice Bit of {daoPowers}: the DAO alone sets the operator.
    function POWER_OPERATOR() external view returns (uint8);
    /// @notice Bit of {daoPowers}: the DAO alone sets the parent royalty (set at creation).
    function POWER_ROYALTY() external view returns (uint8);
    /// @notice Bit of {daoPowers}: the DAO alone sets the royalty floor of derived agents.
    function POWER_ROYALTY_FLOOR() external view returns (uint8);
    /// @notice Largest parent royalty (and floor), in basis points of revenue after the protocol fee.
    function MAX_ROYALTY_BPS() external view returns (uint256);
    /// @notice How many generations above the agent where revenue is earned royalties reach.
    function MAX_LINEAGE_DEPTH() external view returns (uint256);
    /**
     * @notice Seconds between a credit refund request and the refund.
     * @dev IMPORTANT: operators must settle usage more often than this (the gateway settles every
     * few minutes), so that usage served before a request is always charged before the refund.
     */
    function REFUND_NOTICE_PERIOD() external view returns (uint256);
    /// @notice Seconds after a key's revocation during which usage served before it can still be settled.
    function SETTLEMENT_GRACE() external view returns (uint256);

    /// @notice The factory, ledger, DAO and parent agent (zero if none).
    function links() external view returns (Links memory);
    /// @notice The metadata given at creation.
    function metadata() external view returns (Metadata memory);
    /// @notice The owner (creator, or last buyer).
    function owner() external view returns (address);
    /// @notice Who settles usage (runs the inference gateway).
    function operator() external view returns (address);
    /// @notice The address whose signatures on usage receipts are the operator's (zero if none).
    function receiptSigner() external view returns (address);
    /// @notice Free or paid access.
    function mode() external view returns (AccessMode);
    /// @notice Wei per credit for new purchases.
    function pricePerCredit() external view returns (uint256);
    /// @notice Royalty to the parent agent, in basis points of revenue after the protocol fee.
    function royaltyBps() external view returns (uint256);
    /// @notice The least royalty an agent created from this one must pay it, in basis points.
    function royaltyFloorBps() external view returns (uint256);
    /// @notice Bit set of the powers the DAO holds alone (see the POWER_ constants).
    function daoPowers() external view returns (uint8);
    /// @notice The inference gateway URL (OpenAI-compatible), empty if none.
    function endpoint() external view returns (string memory);
    /// @notice The weights CID of the latest version.
    function weightsCid() external view returns (string memory);
    /// @notice The listing price, 0 when not for sale.
    function salePrice() external view returns (uint256);
    /// @notice The agent's index in the factory registry.
    function registryIndex() external view returns (uint256);
    /// @notice `user`'s credits, deposit, settled spending and refund time.
    function account(address user) external view returns (Account memory);
    /// @notice Credits the operator may still charge `user` during its refund notice.
    function refundAllowance(address user) external view returns (uint256);
    /// @notice The id `user`'s key with secret hash `secretHash` has: `keccak256(abi.encode(user, secretHash))`.
    function apiKeyId(address user, bytes32 secretHash) external pure returns (bytes32);
    /// @notice The API key `keyId` (zero user if none).
    function apiKey(bytes32 keyId) external view returns (ApiKey memory);
    /// @notice Wei `account` can withdraw now (revenue and sale proceeds).
    function withdrawable(address account) external view returns (uint256);
    /// @notice Protocol fees collected and not yet sent to the treasury.
    function protocolFeesOwed() external view returns (uint256);
    /// @notice Wei held for unsettled credits (sum of every account's deposit).
    function creditsValue() external view returns (uint256);
    /// @notice Wei owed to shareholders and sellers, not yet withdrawn.
    function unclaimed() external view returns (uint256);
    /// @notice What a marketplace card shows.
    function summary() external view returns (Summary memory);
    /**
     * @notice The same card packed into the one word the factory keeps for the marketplace
     * ({Listing}); the agent hands it over whenever one of its figures changes.
     */
    function listing() external view returns (uint256);
}
