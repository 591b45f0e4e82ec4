// SPDX-License-Identifier: MIT
// HEXS contracts/libraries/AgentArgs.sol
pragma solidity ^0.8.30;

import {Bytes} from "@openzeppelin/contracts/utils/Bytes.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {IAgent} from "../interfaces/IAgent.sol";
import {CloneArgs} from "./CloneArgs.sol";

/**
 * @dev Layout of an Agent clone's immutable arguments (appended to its EIP-1167 code):
 * `factory ‖ ledger ‖ dao ‖ parent` (20 bytes each), then the five metadata strings, each as a
 * 2-byte big-endian length and its bytes.
 *
 * Why not `abi.encode`: code costs 200 gas a byte, and ABI encoding spends 64 bytes of offsets
 * and lengths plus padding on every string; this packing is about a third of the size.
 */
library AgentArgs {
    /// @notice Thrown when a metadata string is longer than 65 535 bytes.
    error AgentArgsStringTooLong(uint256 length);

    uint256 private constant FACTORY = 0;
    uint256 private constant LEDGER = 20;
    uint256 private constant DAO = 40;
    uint256 private constant PARENT = 60;
    uint256 private constant STRINGS = 80;

    /// @dev Encodes the arguments for a new Agent clone.
    function encode(IAgent.Links memory links, IAgent.Metadata calldata m) internal pure returns (bytes memory) {
        return
            bytes.concat(
                abi.encodePacked(links.factory, links.ledger, links.dao, links.parent),
                _field(m.name),
                _field(m.modelCardCid),
                _field(m.baseModel),
                _field(m.baseModelRevision),
                _field(m.initialWeightsCid)
            );
    }

    /// @dev The running clone's factory.
    function factory() internal view returns (address) {
        return CloneArgs.addressAt(FACTORY);
    }

    /// @dev The running clone's ledger.
    function ledger() internal view returns (address) {
        return CloneArgs.addressAt(LEDGER);
    }

    /// @dev The running clone's DAO.
    function dao() internal view returns (address) {
        return CloneArgs.addressAt(DAO);
    }

    /// @dev The running clone's parent agent (zero if none).
    function parent() internal view returns (address) {
        return CloneArgs.addressAt(PARENT);
    }

    /// @dev The running clone's metadata strings.
    function metadata() internal view returns (IAgent.Metadata memory m) {
        bytes memory args = Clones.fetchCloneArgs(address(this));
        uint256 pos = STRINGS;
        (m.name, pos) = _readField(args, pos);
        (m.modelCardCid, pos) = _readField(args, pos);
        (m.baseModel, pos) = _readField(args, pos);
        (m.baseModelRevision, pos) = _readField(args, pos);
        (m.initialWeightsCid, ) = _readField(args, pos);
    }

    function _field(string calldata s) private pure returns (bytes memory) {
        uint256 length = bytes(s).length;
        if (length > type(uint16).max) revert AgentArgsStringTooLong(length); // equivalent mutant `>` → `>=`: a 65 535-byte field cannot be deployed either, EIP-170 caps a clone's code and its args at 24 576 bytes
        return abi.encodePacked(uint16(length), s);
    }

    function _readField(bytes memory args, uint256 pos) private pure returns (string memory s, uint256 next) {
        uint256 length = (uint256(uint8(args[pos])) << 8) | uint8(args[pos + 1]);
        next = pos + 2 + length;
        s = string(Bytes.slice(args, pos + 2, next));
    }
}
