// SPDX-License-Identifier: MIT
// HEXS contracts/interfaces/IHexsFactory.sol
pragma solidity ^0.8.30;

import {IAgent} from "./IAgent.sol";
import {IAgentLedger} from "./IAgentLedger.sol";

/**
 * @dev Entrance to HEXS: creates agents (Agent + AgentLedger + AgentDAO as EIP-1167 clones at
 * CREATE2 addresses), keeps the registry the marketplace reads, and holds the protocol fee.
 */
interface IHexsFactory {
    /// @dev Everything `createAgent` needs. The caller becomes the owner.
    struct CreateAgentParams {
        /// Caller-chosen salt; the clone addresses depend on it and on the caller.
        bytes32 salt;
        IAgent.Metadata metadata;
        /// The agent this one was fine-tuned from, or zero for a Hugging Face base model.
        address parent;
        IAgent.Settings settings;
        /// Version 0 (its contributor is always the caller).
        IAgentLedger.TrainingRecord firstVersion;
        /// Seconds between a proposal and the start of its vote.
        uint48 votingDelay;
        /// Seconds a vote lasts.
        uint32 votingPeriod;
        /// Quorum, in percent of all voting units at the proposal's snapshot.
        uint8 quorumPercent;
    }

    /// @notice A new agent with its ledger and DAO; name, base model and card are what a marketplace searches.
    event AgentCreated(
        address indexed agent,
        address ledger,
        address dao,
        address indexed owner,
        address indexed parent,
        string modelCardCid,
        string name,
        string baseModel
    );
    /// @notice The agent at `agent` changed hands (a sale).
    event AgentOwnerChanged(address indexed agent, address indexed previousOwner, address indexed newOwner);
    /// @notice The protocol fee or treasury changed.
    event ProtocolFeeChanged(address treasury, uint256 feeBps);

    /// @notice Thrown when the fee is above {MAX_PROTOCOL_FEE_BPS} or the treasury is zero.
    error HexsFactoryInvalidProtocolFee(address treasury, uint256 feeBps);
    /// @notice Thrown when a parent is not an agent of this factory.
    error HexsFactoryUnknownParent(address parent);
    /// @notice Thrown when name, model card CID, base model or weights CID is empty.
    error HexsFactoryMissingMetadata();
    /// @notice Thrown when an owner-change notice does not come from the registered agent.
    error HexsFactoryNotAgent(address caller);
    /// @notice Thrown when an implementation address has no code.
    error HexsFactoryInvalidImplementation(address implementation);

    /**
     * @notice Creates an agent owned by the caller: deploys and initializes its Agent, AgentLedger
     * and AgentDAO in this transaction and registers it.
     * @return agent the Agent clone
     * @return ledger the AgentLedger clone
     * @return dao the AgentDAO clone
     */
    function createAgent(CreateAgentParams calldata params) external returns (address agent, address ledger, address dao);

    /**
     * @notice The addresses `createAgent(params)` would give when called by `owner`. Ledger and DAO
     * depend only on `owner` and `params.salt`; the Agent also commits to its metadata and parent.
     */
    function predictAddresses(
        address owner,
        CreateAgentParams calldata params
    ) external view returns (address agent, address ledger, address dao);

    /// @notice Called by an agent whenever what its marketplace card shows changes ({Listing}).
    function updateListing(uint256 registryIndex, uint256 listing) external;

    /**
     * @notice The listing words of up to `limit` agents from `offset`, oldest first: one storage
     * read per agent, so a marketplace reads thousands per call ({Listing} says how to unpack them).
     */
    function listings(uint256 offset, uint256 limit) external view returns (uint256[] memory);

    /// @notice Called by an agent when it is sold, so {agentsOf} follows the owner.
    function recordOwnerChange(uint256 registryIndex, address previousOwner, address newOwner) external;

    /// @notice Owner only: sets the protocol treasury and fee (at most {MAX_PROTOCOL_FEE_BPS}).
    function setProtocolFee(address treasury, uint256 feeBps) external;

    /// @notice The cap on the protocol fee, in basis points.
    function MAX_PROTOCOL_FEE_BPS() external view returns (uint256);
    /// @notice The protocol treasury and the fee taken from revenue and sales, in basis points.
    function protocolFee() external view returns (address treasury, uint256 feeBps);
    /// @notice The implementation each clone points to.
    function implementations() external view returns (address agent, address ledger, address dao);
    /// @notice Number of agents created.
    function agentCount() external view returns (uint256);
    /// @notice Up to `limit` agents from `offset`, oldest first.
    function agents(uint256 offset, uint256 limit) external view returns (address[] memory);
    /// @notice Whether `agent` was created by this factory.
    function isAgent(address agent) external view returns (bool);
    /// @notice The agents `owner` owns now.
    function agentsOf(address owner) external view returns (address[] memory);
    /// @notice Marketplace cards for up to `limit` agents from `offset`, oldest first.
    function summaries(uint256 offset, uint256 limit) external view returns (IAgent.Summary[] memory);
    /// @notice Marketplace cards for the given agents.
    function summariesOf(address[] calldata agentList) external view returns (IAgent.Summary[] memory);
}
