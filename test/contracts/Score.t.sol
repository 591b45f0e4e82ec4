// SPDX-License-Identifier: MIT
// HEXS test/contracts/Score.t.sol
pragma solidity ^0.8.30;

import {Score} from "../../contracts/libraries/Score.sol";
import {TestBase} from "./utils/TestBase.sol";

contract ScoreTest is TestBase {
    function _params(uint256 kE, uint256 kP, uint256 m) private pure returns (Score.Params memory) {
        return Score.Params({engagementK: kE, popularityK: kP, ratingPrior: m});
    }

    function test_defaultsOfANewAgent() public pure {
        Score.Breakdown memory b = Score.compute(0, 1, 0, 0, _params(1000, 100, 5));
        assertEq(b.engagement, 0, "engagement");
        assertEq(b.popularity, 99, "popularity 1/101");
        assertEq(b.rating, 5000, "neutral prior");
        assertEq(b.score, 1699, "score");
    }

    function test_fuzz_scoreAndFactorsStayInRange(
        uint64 calls,
        uint32 members,
        uint32 count,
        uint8 avgTenths,
        uint32 kE,
        uint32 kP,
        uint16 m
    ) public pure {
        uint256 ratingCount = count;
        // A rating sum that real 1..5 ratings can produce: count ≤ sum ≤ 5·count.
        uint256 ratingSum = ratingCount + (ratingCount * 4 * bound(avgTenths, 0, 40)) / 40;
        Score.Breakdown memory b = Score.compute(
            calls,
            members,
            ratingSum,
            ratingCount,
            _params(bound(kE, 1, type(uint32).max), bound(kP, 1, type(uint32).max), bound(m, 1, type(uint16).max))
        );
        assertLe(b.score, 10_000, "score");
        assertLe(b.engagement, 10_000, "engagement");
        assertLe(b.popularity, 10_000, "popularity");
        assertLe(b.rating, 10_000, "rating");
        // The exact mean is never below the mean of the floored factors, and less than 1 bps above.
        uint256 meanOfFloors = (b.engagement + b.popularity + b.rating) / 3;
        assertLe(meanOfFloors, b.score, "mean of floors <= score");
        assertLe(b.score, meanOfFloors + 1, "score <= mean of floors + 1");
    }

    function test_fuzz_moreCallsNeverLowerTheScore(uint64 calls, uint32 extra, uint32 members) public pure {
        Score.Params memory p = _params(1000, 100, 5);
        Score.Breakdown memory before = Score.compute(calls, members, 0, 0, p);
        Score.Breakdown memory afterMore = Score.compute(uint256(calls) + extra, members, 0, 0, p);
        assertLe(before.score, afterMore.score, "monotonic in calls");
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
