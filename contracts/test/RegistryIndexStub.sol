// SPDX-License-Identifier: MIT
// HEXS contracts/test/RegistryIndexStub.sol
pragma solidity ^0.8.30;

/// @dev Test-only impostor: answers `registryIndex()` with any number, as a contract posing as an
/// agent could, to check that the factory's `isAgent` refuses it without failing.
contract RegistryIndexStub {
    uint256 public registryIndex;

    constructor(uint256 index) {
        registryIndex = index;
    }
}
