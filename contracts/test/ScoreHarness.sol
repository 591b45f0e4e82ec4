// SPDX-License-Identifier: MIT
// HEXS contracts/test/ScoreHarness.sol
pragma solidity ^0.8.30;

import {Score} from "../libraries/Score.sol";

/// @dev Test-only: exposes the Score library so tests can compare it with src/lib/score.ts.
contract ScoreHarness {
    function compute(
        uint256 settledValue,
        uint256 payerWeight,
        uint256 ratingWeightedStars,
        uint256 ratingWeight,
        Score.Params calldata params
    ) external pure returns (Score.Breakdown memory) {
        return Score.compute(settledValue, payerWeight, ratingWeightedStars, ratingWeight, params);
    }

    function contributionShares(
        uint256 totalShares,
        uint256 scoreBps,
        uint256 contributionBps
    ) external pure returns (uint256) {
        return Score.contributionShares(totalShares, scoreBps, contributionBps);
    }
}
