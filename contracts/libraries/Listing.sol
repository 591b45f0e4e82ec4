// SPDX-License-Identifier: MIT
// HEXS contracts/libraries/Listing.sol
pragma solidity ^0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/**
 * @dev One storage word per agent in the factory with what a marketplace card shows and sorts by,
 * so the marketplace reads every agent from a few `listings` calls instead of one `summary` each
 * (which costs about 38 000 gas: clone arguments, three contracts, the score). Each agent keeps
 * its own word current; names, base models and card CIDs come from `AgentCreated`.
 *
 * Layout, from the least significant bit (`src/lib/chain/listing.ts` decodes it):
 *
 * | bits    | field                                   |
 * | ------- | --------------------------------------- |
 * | 0–13    | score (basis points)                    |
 * | 14–27   | engagement (bps)                        |
 * | 28–41   | popularity (bps)                        |
 * | 42–55   | rating (bps)                            |
 * | 56–87   | members (saturates)                     |
 * | 88–119  | calls, as a {toFloat}                   |
 * | 120–143 | raters (saturates)                      |
 * | 144–153 | weighted average rating × 100, 0 if none|
 * | 154–185 | price per credit (wei), as a {toFloat}  |
 * | 186–217 | sale price (wei), as a {toFloat}        |
 * | 218     | paid                                    |
 * | 219–234 | versions (saturates)                    |
 *
 * Amounts are 32-bit floats (8-bit exponent, 24-bit mantissa: within 6 × 10⁻⁸ of the value), good
 * for sorting and showing; the agent's own page reads exact figures.
 */
library Listing {
    /// @dev What one word holds, unpacked.
    struct Figures {
        uint256 score;
        uint256 engagement;
        uint256 popularity;
        uint256 rating;
        uint256 members;
        uint256 calls;
        uint256 raters;
        uint256 averageRatingCentis;
        uint256 pricePerCredit;
        uint256 salePrice;
        bool paid;
        uint256 versions;
    }

    uint256 private constant MANTISSA_BITS = 24;
    /**
     * @dev The score fields of an agent nobody has paid for or rated yet, under the ledger's default
     * parameters (score 1 666: the rating prior's third; rating 5 000), folded at compile time so
     * `createAgent` computes nothing. `Score.t.sol` checks them against {Score-compute}.
     */
    uint256 internal constant NEW_AGENT_SCORE = 1_666;
    uint256 internal constant NEW_AGENT_RATING = 5_000;

    /// @dev Packs `f` into one word, saturating counts at their field's width.
    function encode(Figures memory f) internal pure returns (uint256 word) {
        word = f.score | (f.engagement << 14) | (f.popularity << 28) | (f.rating << 42);
        word |= _cap(f.members, 32) << 56;
        word |= toFloat(f.calls) << 88;
        word |= _cap(f.raters, 24) << 120;
        word |= f.averageRatingCentis << 144;
        word |= toFloat(f.pricePerCredit) << 154;
        word |= toFloat(f.salePrice) << 186;
        if (f.paid) word |= 1 << 218;
        word |= _cap(f.versions, 16) << 219;
    }

    /// @dev The word of a new agent: its creator the one member, version 0, no usage.
    function ofNewAgent(uint256 pricePerCredit, bool paid) internal pure returns (uint256 word) {
        word = NEW_AGENT_SCORE | (NEW_AGENT_RATING << 42) | (uint256(1) << 56) | (uint256(1) << 219);
        word |= toFloat(pricePerCredit) << 154;
        if (paid) word |= 1 << 218;
    }

    /// @dev `value` as `exponent << 24 | mantissa`, the mantissa its 24 most significant bits.
    function toFloat(uint256 value) internal pure returns (uint256) {
        if (value >> MANTISSA_BITS == 0) return value;
        uint256 exponent = Math.log2(value) + 1 - MANTISSA_BITS;
        return (exponent << MANTISSA_BITS) | (value >> exponent);
    }

    function _cap(uint256 value, uint256 bits) private pure returns (uint256) {
        uint256 max = (1 << bits) - 1;
        return value < max ? value : max;
    }
}
