/**
 * The Solidity library the branch probes call. It reports through the address EDR watches for
 * Hardhat's own statement probes (`__NomicFoundationCoverage`), so branch hits land in the
 * same `coverage/data` files as statement hits, from both Solidity and node:test runs.
 */
export const PROBE_LIBRARY_NAME = "__HexsBranchCoverage";
export const PROBE_LIBRARY_FILENAME = "__HexsBranchCoverage.sol";

export const PROBE_LIBRARY_SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity >=0.8.0 <0.9.0;

library ${PROBE_LIBRARY_NAME} {
  address private constant COVERAGE_ADDRESS = 0xc0bEc0BEc0BeC0bEC0beC0bEC0bEC0beC0beC0BE;

  function hit(bool condition, uint256 whenTrue, uint256 whenFalse) internal pure returns (bool) {
    _asPure(_report)(condition ? whenTrue : whenFalse);
    return condition;
  }

  function _report(uint256 tag) private view {
    address target = COVERAGE_ADDRESS;
    /// @solidity memory-safe-assembly
    assembly {
      let ptr := mload(0x40)
      mstore(ptr, tag)
      pop(staticcall(gas(), target, ptr, 32, 0, 0))
    }
  }

  // Probes sit inside pure functions too; the call is a staticcall that changes nothing.
  function _asPure(function(uint256) internal view fnIn) private pure returns (function(uint256) internal pure fnOut) {
    assembly {
      fnOut := fnIn
    }
  }
}
`;
