// The distributed training formula of DESIGN.md, in basis points — the TypeScript twin of
// contracts/libraries/Score.sol. Integer (bigint) math in the same order as the contract, so the
// results are identical, not merely close; test/contracts/ScoreAgreement.test.ts checks it.

/** Basis points in one (100 %). */
export const BPS = 10_000n;
const WAD = 10n ** 18n;

/** The ledger's metrics that feed the score, each in wei: every signal is paid for. */
export interface ScoreInputs {
  /** Wei of settled usage (engagement). */
  settledValue: bigint;
  /** Paying users, each weighted by its spending up to the full-user spend (popularity). */
  payerWeight: bigint;
  /** Σ weight × stars over the current ratings. */
  ratingWeightedStars: bigint;
  /** Σ weight over the current ratings. */
  ratingWeight: bigint;
}

/** The formula's constants in wei, as the ledger passes them (K_E, K_P × full spend, m × full spend; all ≥ 1). */
export interface ScoreParams {
  engagementK: bigint;
  popularityK: bigint;
  ratingPrior: bigint;
}

/** The DAO-settable parameters as the ledger stores them (`AgentLedger.scoreParams()`). */
export interface LedgerScoreParams {
  engagementK: bigint;
  popularityK: number | bigint;
  ratingPrior: number | bigint;
  contributionBps: number | bigint;
  fullUserSpend: bigint;
}

/** The score and its three factors, each in basis points (0..10 000). */
export interface ScoreBreakdown {
  score: bigint;
  engagement: bigint;
  popularity: bigint;
  rating: bigint;
}

/** The ledger's defaults: half engagement at 0.1 ETH settled, half popularity at 100 full users of 0.001 ETH. */
export const DEFAULT_LEDGER_SCORE_PARAMS: LedgerScoreParams = {
  engagementK: 10n ** 17n,
  popularityK: 100n,
  ratingPrior: 5n,
  contributionBps: 2000n,
  fullUserSpend: 10n ** 15n,
};

/** Default share of a new version's contributor, in basis points (before the score discount). */
export const DEFAULT_CONTRIBUTION_BPS = 2000n;

/** The formula's constants from the ledger's parameters, as `AgentLedger.score()` derives them. */
export function formulaParams(params: LedgerScoreParams = DEFAULT_LEDGER_SCORE_PARAMS): ScoreParams {
  return {
    engagementK: params.engagementK,
    popularityK: BigInt(params.popularityK) * params.fullUserSpend,
    ratingPrior: BigInt(params.ratingPrior) * params.fullUserSpend,
  };
}

/**
 * E = value/(value+K_E), P = w/(w+K_P), R = (avg−1)/4 with avg = (Σws+3m)/(Σw+m), each to 18
 * decimals; score = (E+R+P)/3 × 10 000 from their sum, each factor floored on its own.
 */
export function computeScore(inputs: ScoreInputs, params: ScoreParams = formulaParams()): ScoreBreakdown {
  const { settledValue, payerWeight, ratingWeightedStars, ratingWeight } = inputs;
  const { engagementK, popularityK, ratingPrior } = params;
  if (engagementK < 1n || popularityK < 1n || ratingPrior < 1n) throw new RangeError("score parameters must be ≥ 1");
  if (ratingWeightedStars < ratingWeight) throw new RangeError("ratings are 1..5, so Σ weight × stars ≥ Σ weight");

  const e = (settledValue * WAD) / (settledValue + engagementK);
  const p = (payerWeight * WAD) / (payerWeight + popularityK);
  // R over a common denominator: (Σws + 2m − Σw) / (4·(Σw + m)).
  const r = ((ratingWeightedStars + 2n * ratingPrior - ratingWeight) * WAD) / (4n * (ratingWeight + ratingPrior));
  return {
    score: ((e + p + r) * BPS) / (3n * WAD),
    engagement: (e * BPS) / WAD,
    popularity: (p * BPS) / WAD,
    rating: (r * BPS) / WAD,
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
