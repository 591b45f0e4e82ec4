// SPDX-License-Identifier: MIT
// HEXS contracts/Agent.sol
pragma solidity ^0.8.30;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IAgent} from "./interfaces/IAgent.sol";
import {IAgentDAO} from "./interfaces/IAgentDAO.sol";
import {IAgentLedger} from "./interfaces/IAgentLedger.sol";
import {IHexsFactory} from "./interfaces/IHexsFactory.sol";
import {AgentArgs} from "./libraries/AgentArgs.sol";
import {Listing} from "./libraries/Listing.sol";

/**
 * @dev See {IAgent}. Deployed once as an implementation and used through EIP-1167 clones whose
 * immutable arguments hold the links and metadata ({AgentArgs}): data that never changes costs
 * 200 gas a byte as code instead of 20 000 a word as storage, and reads as cheaply.
 *
 * Revenue accounting: `_revenuePerShare` grows by `amount × PRECISION / totalShares` on every
 * distribution; an account's earnings are `shares × (revenuePerShare − paidPerShare)`, folded into
 * `owed` ({_accrue}) before its shares change and on withdrawal. No loop ever runs over holders.
 */
contract Agent is Initializable, ReentrancyGuardTransient, IAgent {
    /// @inheritdoc IAgent
    uint8 public constant POWER_PRICE = 1;
    /// @inheritdoc IAgent
    uint8 public constant POWER_MODE = 2;
    /// @inheritdoc IAgent
    uint8 public constant POWER_ENDPOINT = 4;
    /// @inheritdoc IAgent
    uint8 public constant POWER_OPERATOR = 8;
    /// @inheritdoc IAgent
    uint8 public constant POWER_ROYALTY = 16;
    /// @inheritdoc IAgent
    uint8 public constant POWER_ROYALTY_FLOOR = 32;
    /// @inheritdoc IAgent
    uint256 public constant MAX_ROYALTY_BPS = 5_000;
    /// @inheritdoc IAgent
    uint256 public constant MAX_LINEAGE_DEPTH = 4;
    /// @inheritdoc IAgent
    uint256 public constant REFUND_NOTICE_PERIOD = 1 days;
    /// @inheritdoc IAgent
    uint256 public constant SETTLEMENT_GRACE = 1 hours;

    uint8 private constant ALL_POWERS = 63;
    /// @dev The `power` of owner-or-DAO actions the DAO cannot take over: the owner keeps them.
    uint8 private constant NO_POWER = 0;
    uint256 private constant BPS = 10_000;
    uint256 private constant PRECISION = 1e27;

    struct Earnings {
        uint256 paidPerShare;
        uint256 owed;
    }

    /// @dev The part of an API key that settlement writes, in one slot (the holder is read only).
    struct KeyUsage {
        uint64 spent;
        uint64 cap;
        uint64 sequence;
        uint40 revokedAt;
    }

    /// @dev What one settlement line added, summed over the batch.
    struct Charge {
        uint256 units;
        uint256 value;
        uint256 payerWeight;
        uint256 newPayers;
    }

    // Packed so that creation writes as few slots as possible.
    address private _owner;
    AccessMode private _mode;
    uint16 private _royaltyBps;
    uint8 private _daoPowers;
    uint64 private _registryIndex;

    address private _operator;
    uint96 private _pricePerCredit;

    uint96 private _salePrice;
    uint128 private _protocolFeesOwed;
    uint16 private _royaltyFloorBps;

    uint128 private _creditsValue;
    uint128 private _unclaimed;

    uint256 private _revenuePerShare;
    string private _endpoint;
    string private _latestWeightsCid;
    address private _receiptSigner;
    mapping(address user => Account) private _accounts;
    mapping(address user => uint256) private _refundAllowances;
    mapping(bytes32 keyId => address) private _keyHolders;
    mapping(bytes32 keyId => KeyUsage) private _keyUsage;
    mapping(address account => Earnings) private _earnings;

    constructor() {
        _disableInitializers();
    }

    modifier onlyOwner() {
        _checkOwner();
        _;
    }

    modifier onlyDao() {
        _checkDao();
        _;
    }

    modifier onlyOwnerOrDao(uint8 power) {
        _checkOwnerOrDao(power);
        _;
    }

    /// @inheritdoc IAgent
    function initialize(address owner_, Settings calldata settings, uint256 registryIndex_) external initializer {
        if (settings.operator == address(0)) revert AgentInvalidOperator();
        if (settings.mode == AccessMode.Paid && settings.pricePerCredit == 0) revert AgentInvalidPrice(0);
        _checkRoyalty(settings.royaltyBps);

        _owner = owner_;
        _mode = settings.mode;
        _royaltyBps = settings.royaltyBps;
        _daoPowers = POWER_ROYALTY;
        _registryIndex = SafeCast.toUint64(registryIndex_);
        _operator = settings.operator;
        _pricePerCredit = settings.pricePerCredit;
        if (bytes(settings.endpoint).length != 0) _endpoint = settings.endpoint;
    }

    // ─── Access ───────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IAgent
    function join() external {
        if (_mode != AccessMode.Free) revert AgentWrongMode(_mode);
        bool isNew = _ledger().recordAccess(msg.sender, false);
        if (!isNew) revert AgentAlreadyMember(msg.sender);
        emit Joined(msg.sender);
        _syncListing();
    }

    /// @inheritdoc IAgent
    function buyCredits(uint256 credits) external payable nonReentrant {
        if (_mode != AccessMode.Paid) revert AgentWrongMode(_mode);
        Account memory acct = _accounts[msg.sender];
        uint256 price = _pricePerCredit;
        uint256 room = type(uint48).max - acct.credits;
        uint256 affordable = (type(uint80).max - acct.deposit) / price;
        uint256 limit = room < affordable ? room : affordable; // equivalent mutant `<` → `<=`: at a tie both are the same number
        if (credits == 0 || credits > limit) revert AgentInvalidCreditAmount(credits, limit);
        uint256 cost = credits * price;
        if (msg.value < cost) revert AgentInsufficientPayment(msg.value, cost);

        acct.credits += uint48(credits);
        acct.deposit += uint80(cost);
        acct.refundAvailableAt = 0;
        _accounts[msg.sender] = acct;
        delete _refundAllowances[msg.sender];
        _creditsValue += SafeCast.toUint128(cost);
        _ledger().recordAccess(msg.sender, true);

        uint256 refund = msg.value - cost;
        emit CreditsBought(msg.sender, credits, cost, refund);
        _syncListing();
        if (refund != 0) _send(msg.sender, refund);
    }

    /// @inheritdoc IAgent
    function requestCreditRefund(uint256 unsettledCredits) external {
        Account storage acct = _accounts[msg.sender];
        uint256 credits = acct.credits;
        if (credits == 0 || acct.refundAvailableAt != 0) revert AgentNoCreditsToRefund(msg.sender);
        uint256 allowance = unsettledCredits < credits ? unsettledCredits : credits; // equivalent mutant `<` → `<=`: at a tie both are the same number
        uint256 availableAt = block.timestamp + REFUND_NOTICE_PERIOD;
        acct.refundAvailableAt = uint40(availableAt);
        _refundAllowances[msg.sender] = allowance;
        emit CreditRefundRequested(msg.sender, credits, allowance, availableAt);
    }

    /// @inheritdoc IAgent
    function withdrawCredits() external nonReentrant {
        Account memory acct = _accounts[msg.sender];
        if (acct.refundAvailableAt == 0) revert AgentNoRefundRequested(msg.sender);
        if (block.timestamp < acct.refundAvailableAt) revert AgentRefundNotReady(acct.refundAvailableAt, block.timestamp);

        _accounts[msg.sender] = Account({credits: 0, deposit: 0, spent: acct.spent, refundAvailableAt: 0});
        delete _refundAllowances[msg.sender];
        _creditsValue -= acct.deposit;
        _ledger().dropRating(msg.sender);
        emit CreditsRefunded(msg.sender, acct.credits, acct.deposit);
        _syncListing();
        if (acct.deposit != 0) _send(msg.sender, acct.deposit);
    }

    // ─── API keys and settlement ──────────────────────────────────────────────────────────────

    /// @inheritdoc IAgent
    function createApiKey(bytes32 secretHash, uint256 spendCap) external returns (bytes32 keyId) {
        if (!_ledger().isMember(msg.sender)) revert AgentNotMember(msg.sender);
        if (secretHash == bytes32(0)) revert AgentInvalidApiKey();
        if (spendCap > type(uint64).max) revert AgentInvalidSpendCap(spendCap);
        keyId = apiKeyId(msg.sender, secretHash);
        if (_keyHolders[keyId] != address(0)) revert AgentApiKeyTaken(keyId);
        _keyHolders[keyId] = msg.sender;
        _keyUsage[keyId] = KeyUsage({spent: 0, cap: uint64(spendCap), sequence: 0, revokedAt: 0});
        emit ApiKeyCreated(msg.sender, keyId, spendCap);
    }

    /// @inheritdoc IAgent
    function revokeApiKey(bytes32 keyId) external {
        address holder = _keyHolders[keyId];
        if (holder == address(0)) revert AgentUnknownApiKey(keyId);
        if (holder != msg.sender) revert AgentNotKeyHolder(msg.sender, keyId);
        KeyUsage storage key = _keyUsage[keyId];
        if (key.revokedAt != 0) revert AgentApiKeyRevokedAlready(keyId);
        key.revokedAt = uint40(block.timestamp);
        emit ApiKeyRevoked(msg.sender, keyId);
    }

    /// @inheritdoc IAgent
    function settle(Usage[] calldata usage) external nonReentrant { // equivalent mutant removed `nonReentrant`: settle calls out only to registered parent agents' receiveRoyalty, itself guarded, never to the operator or a user
        if (msg.sender != _operator) revert AgentNotOperator(msg.sender);
        if (usage.length == 0) revert AgentEmptySettlement();
        bool paid = _mode == AccessMode.Paid;
        IAgentLedger ledger = _ledger();
        uint256 fullUserSpend = paid ? ledger.scoreParams().fullUserSpend : 0;
        Charge memory total;
        for (uint256 i = 0; i < usage.length; ++i) _settleOne(usage[i], paid, fullUserSpend, total);
        if (total.units != 0) ledger.recordUsage(total.units, total.value, total.payerWeight, total.newPayers);
        if (total.units != 0) _syncListing();
        if (total.value != 0) {
            _creditsValue -= SafeCast.toUint128(total.value);
            _splitRevenue(total.value);
        }
    }

    /// @inheritdoc IAgent
    function activateVotes(address account_) external returns (uint256) {
        return _ledger().syncSpendVotes(account_, _accounts[account_].spent);
    }

    // ─── Revenue ──────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IAgent
    function withdraw() external nonReentrant {
        _accrue(msg.sender);
        uint256 amount = _earnings[msg.sender].owed;
        if (amount == 0) revert AgentNothingToWithdraw(msg.sender);
        _earnings[msg.sender].owed = 0;
        _unclaimed -= SafeCast.toUint128(amount);
        emit Withdrawn(msg.sender, amount);
        _send(msg.sender, amount);
    }

    /// @inheritdoc IAgent
    function withdrawProtocolFees() external nonReentrant {
        (address treasury, ) = _factory().protocolFee();
        uint256 amount = _protocolFeesOwed;
        if (amount == 0) revert AgentNothingToWithdraw(treasury);
        _protocolFeesOwed = 0;
        emit ProtocolFeesWithdrawn(treasury, amount);
        _send(treasury, amount);
    }

    /// @inheritdoc IAgent
    function receiveRoyalty(uint256 generation) external payable nonReentrant {
        if (msg.value == 0) revert AgentInsufficientPayment(0, 1);
        address parent = AgentArgs.parent();
        uint256 forwarded = 0;
        if (generation != 0 && generation < MAX_LINEAGE_DEPTH && parent != address(0)) {
            forwarded = (msg.value * _royaltyBps) / BPS;
        }
        _distribute(msg.value - forwarded);
        emit RoyaltyReceived(msg.sender, msg.value, generation, forwarded);
        if (forwarded != 0) IAgent(parent).receiveRoyalty{value: forwarded}(generation + 1);
    }

    // ─── Ratings, versions and metrics ────────────────────────────────────────────────────────

    /// @inheritdoc IAgent
    function rate(uint8 stars) external {
        IAgentLedger ledger = _ledger();
        if (!ledger.isMember(msg.sender)) revert AgentNotMember(msg.sender);
        uint256 spent = _accounts[msg.sender].spent;
        if (spent == 0) revert AgentRatingNotAllowed(msg.sender);
        ledger.recordRating(msg.sender, stars, spent);
        emit Rated(msg.sender, stars);
        _syncListing();
    }

    /// @inheritdoc IAgent
    function publishVersion(string calldata weightsCid_, IAgentLedger.TrainingRecord calldata record) external {
        address contributor = record.contributor;
        bool mintShares;
        if (msg.sender == AgentArgs.dao()) {
            if (contributor == address(0)) revert AgentInvalidContributor(contributor);
            mintShares = true;
        } else if (msg.sender == _owner) {
            if (contributor != msg.sender) revert AgentInvalidContributor(contributor);
            // Once anyone else holds votes, new shares would dilute them: that takes the DAO.
            mintShares = _ledger().holdsEveryVote(msg.sender);
        } else {
            revert AgentNotOwnerOrDao(msg.sender, 0);
        }
        if (bytes(weightsCid_).length == 0) revert AgentEmptyWeightsCid();

        // Settle the contributor's earnings at the old share count before new shares exist.
        _accrue(contributor);
        (uint256 version, uint256 sharesMinted) = _ledger().recordVersion(weightsCid_, record, mintShares);
        _latestWeightsCid = weightsCid_;
        emit VersionPublished(version, contributor, weightsCid_, sharesMinted);
        _syncListing();
    }

    /// @inheritdoc IAgent
    function recordMetric(
        string calldata benchmarkSetCid,
        string calldata weightsCid_,
        string calldata resultCid
    ) external onlyOwnerOrDao(NO_POWER) {
        if (bytes(benchmarkSetCid).length == 0) revert AgentEmptyBenchmarkSetCid();
        if (bytes(weightsCid_).length == 0) revert AgentEmptyWeightsCid();
        if (bytes(resultCid).length == 0) revert AgentEmptyResultCid();
        _ledger().recordMetric(msg.sender, benchmarkSetCid, weightsCid_, resultCid);
    }

    // ─── Sale ─────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IAgent
    function listForSale(uint256 price) external onlyOwner {
        if (price == 0 || price > type(uint96).max) revert AgentInvalidPrice(price);
        _salePrice = uint96(price);
        emit ListedForSale(price);
        _syncListing();
    }

    /// @inheritdoc IAgent
    function cancelSale() external onlyOwner {
        if (_salePrice == 0) revert AgentNotForSale();
        _salePrice = 0;
        emit SaleCancelled();
        _syncListing();
    }

    /// @inheritdoc IAgent
    function buyAgent(address operator_) external payable nonReentrant { // equivalent mutant removed `nonReentrant`: a sale sends no ETH (the seller pulls its proceeds) and calls only this agent's ledger, DAO and factory
        uint256 price = _salePrice;
        address seller = _owner;
        if (price == 0 || msg.sender == seller) revert AgentNotForSale();
        if (msg.value != price) revert AgentWrongPayment(msg.value, price);

        (, uint256 feeBps) = _factory().protocolFee();
        uint256 fee = (price * feeBps) / BPS;
        _protocolFeesOwed += SafeCast.toUint128(fee);
        // Earnings so far stay with the seller; the buyer starts from now.
        _accrue(seller);
        _accrue(msg.sender);
        _earnings[seller].owed += price - fee;
        _unclaimed += SafeCast.toUint128(price - fee);
        _owner = msg.sender;
        _salePrice = 0;
        // The gateway and its receipts pass to the buyer's side with the agent.
        _setOperator(operator_ == address(0) ? msg.sender : operator_);

        uint256 shares = _ledger().moveShares(seller, msg.sender);
        // Proposals snapshotted before now counted the seller's votes: none of them may pass.
        IAgentDAO(AgentArgs.dao()).cancelProposalsBeforeSale();
        _factory().recordOwnerChange(_registryIndex, seller, msg.sender);
        emit AgentSold(seller, msg.sender, price, shares);
        _syncListing();
    }

    // ─── Owner-or-DAO settings ────────────────────────────────────────────────────────────────

    /// @inheritdoc IAgent
    function setPrice(uint256 pricePerCredit_) external onlyOwnerOrDao(POWER_PRICE) {
        if (pricePerCredit_ > type(uint96).max) revert AgentInvalidPrice(pricePerCredit_);
        if (pricePerCredit_ == 0 && _mode == AccessMode.Paid) revert AgentInvalidPrice(0);
        _pricePerCredit = uint96(pricePerCredit_);
        emit PriceChanged(pricePerCredit_);
        _syncListing();
    }

    /// @inheritdoc IAgent
    function setMode(AccessMode mode_) external onlyOwnerOrDao(POWER_MODE) {
        if (mode_ == AccessMode.Paid && _pricePerCredit == 0) revert AgentInvalidPrice(0);
        _mode = mode_;
        emit ModeChanged(mode_);
        _syncListing();
    }

    /// @inheritdoc IAgent
    function setEndpoint(string calldata endpoint_) external onlyOwnerOrDao(POWER_ENDPOINT) {
        _endpoint = endpoint_;
        emit EndpointChanged(endpoint_);
    }

    /// @inheritdoc IAgent
    function setOperator(address operator_) external onlyOwnerOrDao(POWER_OPERATOR) {
        if (operator_ == address(0)) revert AgentInvalidOperator();
        _setOperator(operator_);
    }

    /// @inheritdoc IAgent
    function setReceiptSigner(address signer) external {
        if (msg.sender != _operator) revert AgentNotOperator(msg.sender);
        _receiptSigner = signer;
        emit ReceiptSignerChanged(signer);
    }

    /// @inheritdoc IAgent
    function setRoyalty(uint256 royaltyBps_) external onlyOwnerOrDao(POWER_ROYALTY) {
        _checkRoyalty(royaltyBps_);
        _royaltyBps = uint16(royaltyBps_);
        emit RoyaltyChanged(royaltyBps_);
    }

    /// @inheritdoc IAgent
    function setRoyaltyFloor(uint256 floorBps) external onlyOwnerOrDao(POWER_ROYALTY_FLOOR) {
        if (floorBps > MAX_ROYALTY_BPS) revert AgentInvalidRoyalty(floorBps);
        _royaltyFloorBps = uint16(floorBps);
        emit RoyaltyFloorChanged(floorBps);
    }

    /// @inheritdoc IAgent
    function setDaoPowers(uint8 powers) external onlyDao {
        _daoPowers = powers & ALL_POWERS;
        emit DaoPowersChanged(powers & ALL_POWERS);
    }

    /// @inheritdoc IAgent
    function setScoreParams(IAgentLedger.ScoreParams calldata params) external onlyDao {
        _ledger().setScoreParams(params);
        _syncListing();
    }

    // ─── Views ────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IAgent
    function links() public view returns (Links memory) {
        return Links({
            factory: AgentArgs.factory(),
            ledger: AgentArgs.ledger(),
            dao: AgentArgs.dao(),
            parent: AgentArgs.parent()
        });
    }

    /// @inheritdoc IAgent
    function metadata() public view returns (Metadata memory) {
        return AgentArgs.metadata();
    }

    /// @inheritdoc IAgent
    function owner() external view returns (address) {
        return _owner;
    }

    /// @inheritdoc IAgent
    function operator() external view returns (address) {
        return _operator;
    }

    /// @inheritdoc IAgent
    function receiptSigner() external view returns (address) {
        return _receiptSigner;
    }

    /// @inheritdoc IAgent
    function mode() external view returns (AccessMode) {
        return _mode;
    }

    /// @inheritdoc IAgent
    function pricePerCredit() external view returns (uint256) {
        return _pricePerCredit;
    }

    /// @inheritdoc IAgent
    function royaltyBps() external view returns (uint256) {
        return _royaltyBps;
    }

    /// @inheritdoc IAgent
    function royaltyFloorBps() external view returns (uint256) {
        return _royaltyFloorBps;
    }

    /// @inheritdoc IAgent
    function daoPowers() external view returns (uint8) {
        return _daoPowers;
    }

    /// @inheritdoc IAgent
    function endpoint() external view returns (string memory) {
        return _endpoint;
    }

    /// @inheritdoc IAgent
    function weightsCid() public view returns (string memory) {
        // Version 0's CID sits in the immutable arguments; later versions overwrite storage.
        string memory latest = _latestWeightsCid;
        return bytes(latest).length != 0 ? latest : metadata().initialWeightsCid;
    }

    /// @inheritdoc IAgent
    function salePrice() external view returns (uint256) {
        return _salePrice;
    }

    /// @inheritdoc IAgent
    function registryIndex() external view returns (uint256) {
        return _registryIndex;
    }

    /// @inheritdoc IAgent
    function account(address user) external view returns (Account memory) {
        return _accounts[user];
    }

    /// @inheritdoc IAgent
    function refundAllowance(address user) external view returns (uint256) {
        return _refundAllowances[user];
    }

    /// @inheritdoc IAgent
    function apiKeyId(address user, bytes32 secretHash) public pure returns (bytes32) {
        return keccak256(abi.encode(user, secretHash));
    }

    /// @inheritdoc IAgent
    function apiKey(bytes32 keyId) external view returns (ApiKey memory) {
        KeyUsage memory key = _keyUsage[keyId];
        return ApiKey({
            user: _keyHolders[keyId],
            spent: key.spent,
            cap: key.cap,
            sequence: key.sequence,
            revokedAt: key.revokedAt
        });
    }

    /// @inheritdoc IAgent
    function withdrawable(address account_) external view returns (uint256) {
        Earnings memory e = _earnings[account_];
        return e.owed + (_ledger().sharesOf(account_) * (_revenuePerShare - e.paidPerShare)) / PRECISION;
    }

    /// @inheritdoc IAgent
    function protocolFeesOwed() external view returns (uint256) {
        return _protocolFeesOwed;
    }

    /// @inheritdoc IAgent
    function creditsValue() external view returns (uint256) {
        return _creditsValue;
    }

    /// @inheritdoc IAgent
    function unclaimed() external view returns (uint256) {
        return _unclaimed;
    }

    /// @inheritdoc IAgent
    function listing() public view returns (uint256) {
        IAgentLedger ledger = _ledger();
        IAgentLedger.Metrics memory m = ledger.metrics();
        Listing.Figures memory f;
        (f.score, f.engagement, f.popularity, f.rating) = ledger.score();
        f.members = m.members;
        f.calls = m.calls;
        f.raters = m.raters;
        f.averageRatingCentis = m.ratingWeight == 0 ? 0 : (uint256(m.ratingWeightedStars) * 100) / m.ratingWeight;
        f.pricePerCredit = _pricePerCredit;
        f.salePrice = _salePrice;
        f.paid = _mode == AccessMode.Paid;
        f.versions = m.versions;
        return Listing.encode(f);
    }

    /// @inheritdoc IAgent
    function summary() external view returns (Summary memory s) {
        Links memory l = links();
        Metadata memory m = metadata();
        IAgentLedger ledger = IAgentLedger(l.ledger);
        IAgentLedger.Metrics memory metrics = ledger.metrics();
        (s.score, s.engagement, s.popularity, s.rating) = ledger.score();
        s.agent = address(this);
        s.ledger = l.ledger;
        s.dao = l.dao;
        s.owner = _owner;
        s.parent = l.parent;
        s.name = m.name;
        s.modelCardCid = m.modelCardCid;
        s.baseModel = m.baseModel;
        s.weightsCid = bytes(_latestWeightsCid).length != 0 ? _latestWeightsCid : m.initialWeightsCid;
        s.mode = _mode;
        s.pricePerCredit = _pricePerCredit;
        s.salePrice = _salePrice;
        s.members = metrics.members;
        s.calls = metrics.calls;
        s.purchases = metrics.purchases;
        s.settledValue = metrics.settledValue;
        s.payers = metrics.payers;
        s.raters = metrics.raters;
        s.ratingWeight = metrics.ratingWeight;
        s.ratingWeightedStars = metrics.ratingWeightedStars;
        s.versionCount = metrics.versions;
    }

    // ─── Internals ────────────────────────────────────────────────────────────────────────────

    /**
     * @dev Charges one usage line and adds it to `total`: at most what is left under the key's cap,
     * nothing once the key's revocation grace has passed, in paid mode at most the user's credits,
     * and during a refund notice at most the allowance the user acknowledged.
     */
    function _settleOne(Usage calldata usage, bool paid, uint256 fullUserSpend, Charge memory total) private {
        address user = _keyHolders[usage.keyId];
        if (user == address(0)) revert AgentUnknownApiKey(usage.keyId);
        KeyUsage memory key = _keyUsage[usage.keyId];
        if (usage.sequence <= key.sequence) {
            emit UsageReplayed(usage.keyId, usage.sequence);
            return;
        }
        ChargeLimit limit = ChargeLimit.None;
        uint256 charged = usage.units;
        if (charged > key.cap - key.spent) (charged, limit) = (key.cap - key.spent, ChargeLimit.SpendCap);
        if (key.revokedAt != 0 && block.timestamp > key.revokedAt + SETTLEMENT_GRACE) {
            (charged, limit) = (0, ChargeLimit.Revoked);
        }
        uint256 value = 0;
        if (paid && charged != 0) (charged, value, limit) = _chargeCredits(user, charged, limit, fullUserSpend, total);

        key.sequence = usage.sequence;
        key.spent += uint64(charged);
        _keyUsage[usage.keyId] = key;
        total.units += charged;
        emit UsageSettled(usage.keyId, user, usage.sequence, charged, value);
        if (limit != ChargeLimit.None) emit UsageLimited(usage.keyId, usage.sequence, usage.units, limit);
    }

    /// @dev Takes up to `wanted` credits of `user` and their value; records the spending.
    function _chargeCredits(
        address user,
        uint256 wanted,
        ChargeLimit limit,
        uint256 fullUserSpend,
        Charge memory total
    ) private returns (uint256 charged, uint256 value, ChargeLimit) {
        Account memory acct = _accounts[user];
        charged = wanted;
        bool inNotice = acct.refundAvailableAt != 0;
        uint256 allowance = 0;
        if (inNotice) {
            if (block.timestamp >= acct.refundAvailableAt) return (0, 0, ChargeLimit.RefundDue);
            allowance = _refundAllowances[user];
            if (charged > allowance) (charged, limit) = (allowance, ChargeLimit.RefundNotice);
        }
        if (charged > acct.credits) (charged, limit) = (acct.credits, ChargeLimit.Credits);
        if (charged == 0) return (0, 0, limit);
        if (inNotice) _refundAllowances[user] = allowance - charged;
        // The deposit is valued at the average price paid, so spending the last credit takes
        // exactly the rest of the deposit: no dust is ever stranded.
        value = (uint256(acct.deposit) * charged) / acct.credits;
        uint256 spentBefore = acct.spent;
        acct.credits -= uint48(charged);
        acct.deposit -= uint80(value);
        acct.spent += uint88(value);
        _accounts[user] = acct;

        total.value += value;
        if (spentBefore == 0 && value != 0) total.newPayers += 1;
        if (spentBefore < fullUserSpend) { // equivalent mutant `<` → `<=`: at a tie the weight added below is zero
            total.payerWeight += (acct.spent < fullUserSpend ? acct.spent : fullUserSpend) - spentBefore; // equivalent mutant `<` → `<=`: at a tie both are the same number
        }
        return (charged, value, limit);
    }

    /// @dev Protocol fee → parent royalty (cascading up the lineage) → shareholders; the royalty is pushed last (CEI).
    function _splitRevenue(uint256 value) private {
        (, uint256 feeBps) = _factory().protocolFee();
        uint256 fee = (value * feeBps) / BPS;
        _protocolFeesOwed += SafeCast.toUint128(fee);
        address parent = AgentArgs.parent();
        uint256 royalty = parent == address(0) ? 0 : ((value - fee) * _royaltyBps) / BPS;
        uint256 toShareholders = value - fee - royalty;
        _distribute(toShareholders);
        emit RevenueSplit(value, fee, royalty, toShareholders);
        if (royalty != 0) IAgent(parent).receiveRoyalty{value: royalty}(1);
    }

    function _distribute(uint256 amount) private {
        _revenuePerShare += (amount * PRECISION) / _ledger().totalShares();
        _unclaimed += SafeCast.toUint128(amount);
    }

    function _accrue(address account_) private {
        Earnings storage e = _earnings[account_];
        uint256 perShare = _revenuePerShare;
        uint256 shares = _ledger().sharesOf(account_);
        if (shares != 0) e.owed += (shares * (perShare - e.paidPerShare)) / PRECISION;
        e.paidPerShare = perShare;
    }

    /// @dev Hands the factory this agent's card as it is now, so the marketplace reads it in bulk.
    function _syncListing() private {
        _factory().updateListing(_registryIndex, listing());
    }

    function _setOperator(address operator_) private {
        _operator = operator_;
        emit OperatorChanged(operator_);
        // A signer registered by the previous operator does not speak for the new one.
        if (_receiptSigner != address(0)) {
            _receiptSigner = address(0);
            emit ReceiptSignerChanged(address(0));
        }
    }

    function _send(address to, uint256 amount) private {
        (bool ok, ) = to.call{value: amount}("");
        if (!ok) revert AgentTransferFailed(to, amount);
    }

    /// @dev A royalty needs a parent, stays within {MAX_ROYALTY_BPS} and meets the parent's floor.
    function _checkRoyalty(uint256 royaltyBps_) private view {
        address parent = AgentArgs.parent();
        if (royaltyBps_ > MAX_ROYALTY_BPS || (parent == address(0) && royaltyBps_ != 0)) {
            revert AgentInvalidRoyalty(royaltyBps_);
        }
        if (parent != address(0)) {
            uint256 floor = IAgent(parent).royaltyFloorBps();
            if (royaltyBps_ < floor) revert AgentRoyaltyBelowFloor(royaltyBps_, floor);
        }
    }

    function _checkOwner() private view {
        if (msg.sender != _owner) revert AgentNotOwner(msg.sender);
    }

    function _checkDao() private view {
        if (msg.sender != AgentArgs.dao()) revert AgentNotDao(msg.sender);
    }

    function _checkOwnerOrDao(uint8 power) private view {
        if (msg.sender == AgentArgs.dao()) return;
        if (msg.sender == _owner && _daoPowers & power == 0) return;
        revert AgentNotOwnerOrDao(msg.sender, power);
    }

    function _ledger() private view returns (IAgentLedger) {
        return IAgentLedger(AgentArgs.ledger());
    }

    function _factory() private view returns (IHexsFactory) {
        return IHexsFactory(AgentArgs.factory());
    }
}
