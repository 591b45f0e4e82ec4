// SPDX-License-Identifier: MIT
// HEXS contracts/HexsFactory.sol
pragma solidity ^0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {IHexsFactory} from "./interfaces/IHexsFactory.sol";
import {IAgent} from "./interfaces/IAgent.sol";
import {IAgentLedger} from "./interfaces/IAgentLedger.sol";
import {IAgentDAO} from "./interfaces/IAgentDAO.sol";
import {AgentArgs} from "./libraries/AgentArgs.sol";
import {Listing} from "./libraries/Listing.sol";

/**
 * @dev See {IHexsFactory}.
 *
 * All three are clones at CREATE2 addresses derived from `(owner, salt)`: the ledger a plain
 * clone, the DAO one whose immutable argument is its ledger, and the Agent one whose immutable
 * arguments are its links and metadata ({AgentArgs}), so the Agent's address also commits to them.
 * The ledger stores its agent.
 */
contract HexsFactory is Ownable2Step, IHexsFactory {
    /// @inheritdoc IHexsFactory
    uint256 public constant MAX_PROTOCOL_FEE_BPS = 500;

    address private immutable _agentImplementation;
    address private immutable _ledgerImplementation;
    address private immutable _daoImplementation;

    address private _treasury;
    uint16 private _feeBps;
    address[] private _agents;
    /// @dev Every agent an owner has held; {agentsOf} filters by current owner, so sales only append.
    mapping(address owner => address[]) private _agentsHeld;
    /// @dev Each agent's marketplace card in one word ({Listing}), kept current by the agent.
    mapping(uint256 registryIndex => uint256) private _listings;

    constructor(
        address initialOwner,
        address agentImplementation,
        address ledgerImplementation,
        address daoImplementation,
        address treasury,
        uint256 feeBps
    ) Ownable(initialOwner) {
        _checkImplementation(agentImplementation);
        _checkImplementation(ledgerImplementation);
        _checkImplementation(daoImplementation);
        _agentImplementation = agentImplementation;
        _ledgerImplementation = ledgerImplementation;
        _daoImplementation = daoImplementation;
        _setProtocolFee(treasury, feeBps);
    }

    /// @inheritdoc IHexsFactory
    function createAgent(
        CreateAgentParams calldata params
    ) external returns (address agent, address ledger, address dao) {
        IAgent.Metadata calldata m = params.metadata;
        if (
            bytes(m.name).length == 0 ||
            bytes(m.modelCardCid).length == 0 ||
            bytes(m.baseModel).length == 0 ||
            bytes(m.initialWeightsCid).length == 0
        ) revert HexsFactoryMissingMetadata();
        if (params.parent != address(0) && !isAgent(params.parent)) revert HexsFactoryUnknownParent(params.parent);

        bytes32 salt = _salt(msg.sender, params.salt);
        ledger = Clones.cloneDeterministic(_ledgerImplementation, salt);
        dao = Clones.cloneDeterministicWithImmutableArgs(_daoImplementation, abi.encodePacked(ledger), salt);
        agent = Clones.cloneDeterministicWithImmutableArgs(_agentImplementation, _agentArgs(params, ledger, dao), salt);

        uint256 index = _agents.length;
        _agents.push(agent);
        _agentsHeld[msg.sender].push(agent);

        IAgent(agent).initialize(msg.sender, params.settings, index);
        IAgentLedger(ledger).initialize(agent, msg.sender, m.initialWeightsCid, params.firstVersion);
        // The DAO checks its own bounds (voting delay, period, quorum) and reverts with its errors.
        IAgentDAO(dao).initialize(params.votingDelay, params.votingPeriod, params.quorumPercent);
        _listings[index] = Listing.ofNewAgent(params.settings.pricePerCredit, params.settings.mode == IAgent.AccessMode.Paid);

        emit AgentCreated(agent, ledger, dao, msg.sender, params.parent, m.modelCardCid, m.name, m.baseModel);
    }

    /// @inheritdoc IHexsFactory
    function predictAddresses(
        address owner_,
        CreateAgentParams calldata params
    ) external view returns (address agent, address ledger, address dao) {
        bytes32 salt = _salt(owner_, params.salt);
        ledger = Clones.predictDeterministicAddress(_ledgerImplementation, salt);
        dao = Clones.predictDeterministicAddressWithImmutableArgs(
            _daoImplementation,
            abi.encodePacked(ledger),
            salt,
            address(this)
        );
        agent = Clones.predictDeterministicAddressWithImmutableArgs(
            _agentImplementation,
            _agentArgs(params, ledger, dao),
            salt,
            address(this)
        );
    }

    /// @inheritdoc IHexsFactory
    function updateListing(uint256 registryIndex, uint256 listing) external {
        _checkAgentAt(registryIndex);
        _listings[registryIndex] = listing;
    }

    /// @inheritdoc IHexsFactory
    function listings(uint256 offset, uint256 limit) external view returns (uint256[] memory page) {
        uint256 end = _pageEnd(offset, limit);
        page = new uint256[](end > offset ? end - offset : 0); // equivalent mutant `>` → `>=`: at a tie both are zero
        for (uint256 i = 0; i < page.length; ++i) page[i] = _listings[offset + i];
    }

    /// @inheritdoc IHexsFactory
    function recordOwnerChange(uint256 registryIndex, address previousOwner, address newOwner) external {
        _checkAgentAt(registryIndex);
        address[] storage held = _agentsHeld[newOwner];
        for (uint256 i = 0; i < held.length; ++i) {
            if (held[i] == msg.sender) {
                emit AgentOwnerChanged(msg.sender, previousOwner, newOwner);
                return;
            }
        }
        held.push(msg.sender);
        emit AgentOwnerChanged(msg.sender, previousOwner, newOwner);
    }

    /// @inheritdoc IHexsFactory
    function setProtocolFee(address treasury, uint256 feeBps) external onlyOwner {
        _setProtocolFee(treasury, feeBps);
    }

    /// @inheritdoc IHexsFactory
    function protocolFee() external view returns (address treasury, uint256 feeBps) {
        return (_treasury, _feeBps);
    }

    /// @inheritdoc IHexsFactory
    function implementations() external view returns (address agent, address ledger, address dao) {
        return (_agentImplementation, _ledgerImplementation, _daoImplementation);
    }

    /// @inheritdoc IHexsFactory
    function agentCount() external view returns (uint256) {
        return _agents.length;
    }

    /// @inheritdoc IHexsFactory
    function agents(uint256 offset, uint256 limit) public view returns (address[] memory page) {
        uint256 end = _pageEnd(offset, limit);
        page = new address[](end > offset ? end - offset : 0); // equivalent mutant `>` → `>=`: at a tie both are zero
        for (uint256 i = 0; i < page.length; ++i) page[i] = _agents[offset + i];
    }

    /// @inheritdoc IHexsFactory
    function isAgent(address agent) public view returns (bool) {
        if (agent.code.length == 0) return false;
        (bool ok, bytes memory data) = agent.staticcall(abi.encodeCall(IAgent.registryIndex, ()));
        if (!ok || data.length != 32) return false;
        uint256 index = abi.decode(data, (uint256));
        return index < _agents.length && _agents[index] == agent;
    }

    /// @inheritdoc IHexsFactory
    function agentsOf(address owner_) external view returns (address[] memory owned) {
        address[] storage held = _agentsHeld[owner_];
        owned = new address[](held.length);
        uint256 count = 0;
        for (uint256 i = 0; i < held.length; ++i) {
            if (IAgent(held[i]).owner() == owner_) owned[count++] = held[i];
        }
        // Shrink the array to the agents still owned.
        assembly ("memory-safe") {
            mstore(owned, count)
        }
    }

    /// @inheritdoc IHexsFactory
    function summaries(uint256 offset, uint256 limit) external view returns (IAgent.Summary[] memory) {
        return _summaries(agents(offset, limit));
    }

    /// @inheritdoc IHexsFactory
    function summariesOf(address[] calldata agentList) external view returns (IAgent.Summary[] memory) {
        return _summaries(agentList);
    }

    function _summaries(address[] memory agentList) private view returns (IAgent.Summary[] memory cards) {
        cards = new IAgent.Summary[](agentList.length);
        for (uint256 i = 0; i < agentList.length; ++i) cards[i] = IAgent(agentList[i]).summary();
    }

    function _checkAgentAt(uint256 registryIndex) private view {
        if (registryIndex >= _agents.length || _agents[registryIndex] != msg.sender) revert HexsFactoryNotAgent(msg.sender);
    }

    function _setProtocolFee(address treasury, uint256 feeBps) private {
        if (treasury == address(0) || feeBps > MAX_PROTOCOL_FEE_BPS) revert HexsFactoryInvalidProtocolFee(treasury, feeBps);
        _treasury = treasury;
        _feeBps = uint16(feeBps);
        emit ProtocolFeeChanged(treasury, feeBps);
    }

    function _agentArgs(
        CreateAgentParams calldata params,
        address ledger,
        address dao
    ) private view returns (bytes memory) {
        IAgent.Links memory links = IAgent.Links({
            factory: address(this),
            ledger: ledger,
            dao: dao,
            parent: params.parent
        });
        return AgentArgs.encode(links, params.metadata);
    }

    function _pageEnd(uint256 offset, uint256 limit) private view returns (uint256) {
        uint256 length = _agents.length;
        if (offset >= length) return offset; // equivalent mutant `>=` → `>`: at a tie the next line returns length, which is offset
        return limit > length - offset ? length : offset + limit; // equivalent mutant `>` → `>=`: at a tie both are length
    }

    /// @dev Scoping the salt to the caller stops anyone from taking an address another user predicted.
    function _salt(address owner_, bytes32 salt) private pure returns (bytes32) {
        return keccak256(abi.encode(owner_, salt));
    }

    function _checkImplementation(address implementation) private view {
        if (implementation.code.length == 0) revert HexsFactoryInvalidImplementation(implementation);
    }
}
