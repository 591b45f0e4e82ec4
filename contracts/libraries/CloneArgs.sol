// SPDX-License-Identifier: MIT
// HEXS contracts/libraries/CloneArgs.sol
pragma solidity ^0.8.30;

/**
 * @dev Reads the immutable arguments of the running EIP-1167 clone (OpenZeppelin
 * `Clones.cloneDeterministicWithImmutableArgs` appends them after the 45-byte proxy code).
 *
 * WARNING: only meaningful inside a clone; in the implementation itself the bytes read are code.
 */
library CloneArgs {
    uint256 internal constant PROXY_CODE_LENGTH = 0x2d;

    /// @dev The address stored at byte `offset` of this clone's arguments.
    function addressAt(uint256 offset) internal view returns (address value) {
        assembly ("memory-safe") {
            extcodecopy(address(), 0x00, add(PROXY_CODE_LENGTH, offset), 0x20) // into scratch space
            value := shr(96, mload(0x00)) // the address is the word's first 20 bytes
        }
    }
}
