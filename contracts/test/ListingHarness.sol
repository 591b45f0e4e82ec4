// SPDX-License-Identifier: MIT
// HEXS contracts/test/ListingHarness.sol
pragma solidity ^0.8.30;

import {Listing} from "../libraries/Listing.sol";

/// @dev Test-only: exposes the Listing library so tests can decode its words with src/lib/chain/listing.ts.
contract ListingHarness {
    function encode(Listing.Figures calldata figures) external pure returns (uint256) {
        return Listing.encode(figures);
    }

    function toFloat(uint256 value) external pure returns (uint256) {
        return Listing.toFloat(value);
    }
}
