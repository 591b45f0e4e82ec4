// SPDX-License-Identifier: MIT
// HEXS contracts/libraries/Score.sol
pragma solidity ^0.8.30;

/**
 * @dev The distributed training formula of DESIGN.md, in basis points, as pure integer math.
 * Every input is a costly signal measured in wei (see {IAgentLedger}):
 *
 * - engagement `E = value / (value + kE)`, `value` the settled usage in wei
 * - popularity `P = w / (w + kP)`, `w` the paying users weighted by spending (wei)
 * - rating     `R = (avg − 1) / 4` with `avg = (Σ wᵢ·sᵢ + 3·m) / (Σ wᵢ + m)`, each rating's weight
 *   `wᵢ` being what its author spent (capped) and `m` the prior's weight
 * - score      `(E + R + P) / 3 × 10 000`
 *
 * Each factor is computed to 18 decimals and the score from their sum, so the factors shown and
 * the score agree to within a basis point. `src/lib/score.ts` is the TypeScript twin; a property
 * test checks that both agree exactly.
 *
 * Rewriting R over a common denominator: `R = (Σwᵢsᵢ + 2m − Σwᵢ) / (4·(Σwᵢ + m))`; ratings are
 * 1..5, so `Σwᵢsᵢ ≥ Σwᵢ` and the numerator never underflows.
 */
library Score {
    uint256 internal constant BPS = 10_000;
    uint256 private constant WAD = 1e18;

    /// @dev The ledger's defaults, used while the DAO has set no parameters of its own.
    uint96 internal constant DEFAULT_ENGAGEMENT_K = 0.1 ether;
    uint32 internal constant DEFAULT_POPULARITY_K = 100;
    uint16 internal constant DEFAULT_RATING_PRIOR = 5;
    uint16 internal constant DEFAULT_CONTRIBUTION_BPS = 2_000;
    uint64 internal constant DEFAULT_FULL_USER_SPEND = 0.001 ether;

    /// @dev Formula parameters in wei; all must be ≥ 1 so no denominator is ever zero.
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
     * @dev Computes the score. Inputs are bounded by the ledger's storage types (values and
     * weights < 2^96, weighted stars < 2^99, parameters < 2^112), so every product fits in 256 bits.
     */
    function compute(
        uint256 value,
        uint256 payerWeight,
        uint256 ratingWeightedStars,
        uint256 ratingWeight,
        Params memory params
    ) internal pure returns (Breakdown memory b) {
        uint256 e = (value * WAD) / (value + params.engagementK);
        uint256 p = (payerWeight * WAD) / (payerWeight + params.popularityK);
        uint256 r = ((ratingWeightedStars + 2 * params.ratingPrior - ratingWeight) * WAD) /
            (4 * (ratingWeight + params.ratingPrior));

        b.engagement = (e * BPS) / WAD;
        b.popularity = (p * BPS) / WAD;
        b.rating = (r * BPS) / WAD;
        b.score = ((e + p + r) * BPS) / (3 * WAD);
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
