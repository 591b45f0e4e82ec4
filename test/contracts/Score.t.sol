// SPDX-License-Identifier: MIT
// HEXS test/contracts/Score.t.sol
pragma solidity ^0.8.30;

import {Listing} from "../../contracts/libraries/Listing.sol";
import {Score} from "../../contracts/libraries/Score.sol";
import {TestBase} from "./utils/TestBase.sol";

contract ScoreTest is TestBase {
    uint256 internal constant FULL = 1e15;

    /// @dev The ledger's defaults: K_E = 0.1 ETH, K_P = 100 full users, prior of 5 full users.
    function _defaults() private pure returns (Score.Params memory) {
        return
            Score.Params({
                engagementK: Score.DEFAULT_ENGAGEMENT_K,
                popularityK: uint256(Score.DEFAULT_POPULARITY_K) * Score.DEFAULT_FULL_USER_SPEND,
                ratingPrior: uint256(Score.DEFAULT_RATING_PRIOR) * Score.DEFAULT_FULL_USER_SPEND
            });
    }

    function test_defaultsOfANewAgent() public pure {
        Score.Breakdown memory b = Score.compute(0, 0, 0, 0, _defaults());
        assertEq(b.engagement, 0, "engagement");
        assertEq(b.popularity, 0, "no paying user");
        assertEq(b.rating, 5000, "neutral prior");
        assertEq(b.score, 1666, "score: the prior's third");
        assertEq(Listing.NEW_AGENT_SCORE, b.score, "the factory lists new agents with this score");
        assertEq(Listing.NEW_AGENT_RATING, b.rating, "and this rating");
        assertEq(Score.DEFAULT_FULL_USER_SPEND, FULL, "full user spend");
    }

    function test_fuzz_scoreAndFactorsStayInRange(
        uint96 value,
        uint96 payerWeight,
        uint96 ratingWeight,
        uint8 avgTenths,
        uint96 kE,
        uint96 kP,
        uint80 m
    ) public pure {
        // Weighted stars that real 1..5 ratings can produce: w ≤ ws ≤ 5·w.
        uint256 w = ratingWeight;
        uint256 ws = w + (w * 4 * bound(avgTenths, 0, 40)) / 40;
        Score.Breakdown memory b = Score.compute(
            value,
            payerWeight,
            ws,
            w,
            Score.Params({
                engagementK: bound(kE, 1, type(uint96).max),
                popularityK: bound(kP, 1, type(uint96).max),
                ratingPrior: bound(m, 1, type(uint80).max)
            })
        );
        assertLe(b.score, 10_000, "score");
        assertLe(b.engagement, 10_000, "engagement");
        assertLe(b.popularity, 10_000, "popularity");
        assertLe(b.rating, 10_000, "rating");
        // The score comes from the unfloored factors: within a basis point of their floored mean.
        uint256 meanOfFloors = (b.engagement + b.popularity + b.rating) / 3;
        assertLe(meanOfFloors, b.score, "mean of floors <= score");
        assertLe(b.score, meanOfFloors + 1, "score <= mean of floors + 1");
    }

    function test_fuzz_moreSettledValueNeverLowersTheScore(uint96 value, uint96 extra, uint96 payerWeight) public pure {
        Score.Breakdown memory before = Score.compute(value, payerWeight, 0, 0, _defaults());
        Score.Breakdown memory afterMore = Score.compute(uint256(value) + extra, payerWeight, 0, 0, _defaults());
        assertLe(before.score, afterMore.score, "monotonic in settled value");
    }

    function test_fuzz_aRatingMovesTheScoreByItsWeight(uint64 weight, uint8 stars) public pure {
        uint256 s = bound(stars, 1, 5);
        uint256 w = bound(weight, 1, FULL);
        Score.Breakdown memory one = Score.compute(0, 0, w * s, w, _defaults());
        Score.Breakdown memory full = Score.compute(0, 0, FULL * s, FULL, _defaults());
        // A rating with less spending behind it moves the rating factor less from the neutral 5 000.
        uint256 moveOne = one.rating > 5000 ? one.rating - 5000 : 5000 - one.rating;
        uint256 moveFull = full.rating > 5000 ? full.rating - 5000 : 5000 - full.rating;
        assertLe(moveOne, moveFull, "lighter ratings move the score less");
    }

    function test_fuzz_contributorGetsTheFormulasFraction(uint96 total, uint16 scoreBps, uint16 contributionBps) public pure {
        uint256 t = bound(total, 10_000, type(uint96).max);
        uint256 s = bound(scoreBps, 0, 10_000);
        uint256 cb = bound(contributionBps, 1, 5_000);
        uint256 minted = Score.contributionShares(t, s, cb);
        // minted / (t + minted) == cb·(20000 − s) / 2e8, up to the floor of one share.
        uint256 cNum = cb * (20_000 - s);
        uint256 lhs = minted * 2e8;
        uint256 rhs = cNum * (t + minted);
        assertLe(lhs, rhs, "never more than c");
        assertLe(rhs, lhs + cNum + 2e8, "less than one share short of c");
    }
}
