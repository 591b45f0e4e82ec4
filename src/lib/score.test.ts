import { describe, expect, it } from "vitest";
import { computeScore, contributionShares, DEFAULT_LEDGER_SCORE_PARAMS, formulaParams } from "./score.ts";

const ETH = 10n ** 18n;
const FULL = DEFAULT_LEDGER_SCORE_PARAMS.fullUserSpend;
const none = { settledValue: 0n, payerWeight: 0n, ratingWeightedStars: 0n, ratingWeight: 0n };

describe("computeScore", () => {
  it("gives a new agent the rating prior's third and nothing for usage or popularity", () => {
    const b = computeScore(none);
    expect(b).toEqual({ score: 1666n, engagement: 0n, popularity: 0n, rating: 5000n });
  });

  it("is one half on each usage factor at its constant", () => {
    const b = computeScore({ ...none, settledValue: ETH / 10n, payerWeight: 100n * FULL });
    expect(b.engagement).toBe(5000n);
    expect(b.popularity).toBe(5000n);
    expect(b.score).toBe(5000n);
  });

  it("weighs a rating by the spending behind it", () => {
    const full = computeScore({ ...none, ratingWeightedStars: 5n * FULL, ratingWeight: FULL });
    const tiny = computeScore({ ...none, ratingWeightedStars: 5n, ratingWeight: 1n });
    // One full-weight five-star rating against a prior of five three-star ones: avg 20 / 6, R = 14 / 24.
    expect(full.rating).toBe(5833n);
    expect(tiny.rating).toBe(5000n);
  });

  it("approaches 10 000 with lots of value, paying users and five-star ratings", () => {
    const n = 10n ** 28n;
    const b = computeScore({ settledValue: n, payerWeight: n, ratingWeightedStars: 5n * n, ratingWeight: n });
    expect(b.score).toBe(9999n);
  });

  it("uses the DAO's parameters", () => {
    const params = formulaParams({ ...DEFAULT_LEDGER_SCORE_PARAMS, engagementK: 10n });
    expect(computeScore({ ...none, settledValue: 10n }, params).engagement).toBe(5000n);
  });

  it("refuses parameters and ratings the ledger cannot hold", () => {
    expect(() => computeScore(none, { ...formulaParams(), ratingPrior: 0n })).toThrow(RangeError);
    expect(() => computeScore({ ...none, ratingWeightedStars: 1n, ratingWeight: 2n })).toThrow(RangeError);
  });
});

describe("contributionShares", () => {
  it("gives the contributor 20 % of the new total at score 0, less as the score rises", () => {
    expect(contributionShares(10_000n, 0n)).toBe(2500n);
    expect(contributionShares(10_000n, 10_000n)).toBe(1111n);
  });
});
