// SPDX-License-Identifier: MIT
// HEXS contracts/libraries/Score.sol
pragma solidity ^0.8.30;

/**
 * @dev The distributed training formula of DESIGN.md, in basis points, as pure integer math.
 *
 * - engagement `E = calls / (calls + kE)`
 * - popularity `P = members / (members + kP)`
 * - rating     `R = (avg − 1) / 4` with `avg = (sum + 3·m) / (count + m)`
 * - score      `(E + R + P) / 3 × 10 000`
 *
 * The score is the exact floor of the rational value (one division at the end), so it never
 * drifts with intermediate rounding. Each factor is floored on its own for display, so the mean of
 * the three displayed factors may differ from the score by less than one basis point.
 * `src/lib/score.ts` is the TypeScript twin; a property test checks that both agree.
 *
 * Rewriting R over a common denominator: `R = (sum + 2m − count) / (4·(count + m))`; ratings are
 * 1..5, so `sum ≥ count` and the numerator never underflows.
 */
library Score {
    uint256 internal constant BPS = 10_000;

    /// @dev Formula parameters; all must be ≥ 1 so no denominator is ever zero.
    struct Params {
        uint256 engagementK;
        uint256 popularityK;
        uint256 ratingPrior;
    }

    /// @dev The score and its three factors, each in basis points (0..10 000).
    struct Breakdown {
        uint256 score;
        uint256 engagement;
        uint256 popularity;
        uint256 rating;
    }

    /**
     * @dev Computes the score. Inputs are bounded by the ledger's storage types (calls < 2^64,
     * members and ratings < 2^32, parameters < 2^32), so every product below fits in 256 bits.
     */
    function compute(
        uint256 calls,
        uint256 members,
        uint256 ratingSum,
        uint256 ratingCount,
        Params memory params
    ) internal pure returns (Breakdown memory b) {
        uint256 engagementDen = calls + params.engagementK;
        uint256 popularityDen = members + params.popularityK;
        uint256 ratingNum = ratingSum + 2 * params.ratingPrior - ratingCount;
        uint256 ratingDen = 4 * (ratingCount + params.ratingPrior);

        b.engagement = (calls * BPS) / engagementDen;
        b.popularity = (members * BPS) / popularityDen;
        b.rating = (ratingNum * BPS) / ratingDen;

        uint256 numerator = calls * popularityDen * ratingDen + members * engagementDen * ratingDen
            + ratingNum * engagementDen * popularityDen;
        b.score = (numerator * BPS) / (3 * engagementDen * popularityDen * ratingDen);
    }

    /**
     * @dev Shares to mint for a contribution so that the contributor holds `c` of the new total,
     * `c = contributionBps × (1 − score / 20 000)` (as a fraction of 10 000).
     *
     * With `cNum = contributionBps × (20 000 − score)` over `2·10^8`, solving `s / (T + s) = c`
     * gives `s = T · cNum / (2·10^8 − cNum)`. `contributionBps` must stay below 10 000.
     */
    function contributionShares(
        uint256 totalShares,
        uint256 scoreBps,
        uint256 contributionBps
    ) internal pure returns (uint256) {
        uint256 cNum = contributionBps * (2 * BPS - scoreBps);
        return (totalShares * cNum) / (2 * BPS * BPS - cNum);
    }
}
