// The distributed training formula of DESIGN.md, in basis points — the TypeScript twin of
// contracts/libraries/Score.sol. Integer (bigint) math in the same order as the contract, so the
// results are identical, not merely close; test/contracts/ScoreAgreement.test.ts checks it.

/** Basis points in one (100 %). */
export const BPS = 10_000n;

/** The ledger's metrics that feed the score. */
export interface ScoreInputs {
  calls: bigint;
  members: bigint;
  ratingSum: bigint;
  ratingCount: bigint;
}

/** The DAO-settable parameters of the score: K_E, K_P and the rating prior weight m (all ≥ 1). */
export interface ScoreParams {
  engagementK: bigint;
  popularityK: bigint;
  ratingPrior: bigint;
}

/** The score and its three factors, each in basis points (0..10 000). */
export interface ScoreBreakdown {
  score: bigint;
  engagement: bigint;
  popularity: bigint;
  rating: bigint;
}

export const DEFAULT_SCORE_PARAMS: ScoreParams = { engagementK: 1000n, popularityK: 100n, ratingPrior: 5n };

/** Default share of a new version's contributor, in basis points (before the score discount). */
export const DEFAULT_CONTRIBUTION_BPS = 2000n;

/**
 * E = calls/(calls+K_E), P = members/(members+K_P), R = (avg−1)/4 with avg = (sum+3m)/(count+m),
 * score = (E+R+P)/3 × 10 000, floored once at the end; each factor is floored on its own.
 */
export function computeScore(inputs: ScoreInputs, params: ScoreParams = DEFAULT_SCORE_PARAMS): ScoreBreakdown {
  const { calls, members, ratingSum, ratingCount } = inputs;
  const { engagementK, popularityK, ratingPrior } = params;
  if (engagementK < 1n || popularityK < 1n || ratingPrior < 1n) throw new RangeError("score parameters must be ≥ 1");
  if (ratingSum < ratingCount) throw new RangeError("ratings are 1..5, so ratingSum ≥ ratingCount");

  const engagementDen = calls + engagementK;
  const popularityDen = members + popularityK;
  // R over a common denominator: (sum + 2m − count) / (4·(count + m)).
  const ratingNum = ratingSum + 2n * ratingPrior - ratingCount;
  const ratingDen = 4n * (ratingCount + ratingPrior);

  const numerator =
    calls * popularityDen * ratingDen + members * engagementDen * ratingDen + ratingNum * engagementDen * popularityDen;
  return {
    score: (numerator * BPS) / (3n * engagementDen * popularityDen * ratingDen),
    engagement: (calls * BPS) / engagementDen,
    popularity: (members * BPS) / popularityDen,
    rating: (ratingNum * BPS) / ratingDen,
  };
}

/**
 * Shares minted to a new version's contributor so that they hold c of the new total,
 * c = contributionBps × (1 − score/20 000).
 */
export function contributionShares(
  totalShares: bigint,
  scoreBps: bigint,
  contributionBps = DEFAULT_CONTRIBUTION_BPS,
): bigint {
  const cNum = contributionBps * (2n * BPS - scoreBps);
  return (totalShares * cNum) / (2n * BPS * BPS - cNum);
}
