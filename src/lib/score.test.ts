import { describe, expect, it } from "vitest";
import { computeScore, contributionShares, DEFAULT_SCORE_PARAMS } from "./score.ts";

const none = { calls: 0n, members: 0n, ratingSum: 0n, ratingCount: 0n };

describe("computeScore", () => {
  it("gives a new agent only the rating prior's neutral 3 stars (R = 0.5)", () => {
    const b = computeScore(none);
    expect(b).toEqual({ score: 1666n, engagement: 0n, popularity: 0n, rating: 5000n });
  });

  it("counts the creator as one member out of K_P + 1", () => {
    const b = computeScore({ ...none, members: 1n });
    expect(b.popularity).toBe(99n); // 1/101
    expect(b.score).toBe(1699n); // floor((0 + 1/101 + 1/2) / 3 × 10 000)
  });

  it("reaches half of each factor at calls = K_E and members = K_P", () => {
    const b = computeScore({ calls: 1000n, members: 100n, ratingSum: 0n, ratingCount: 0n });
    expect(b.engagement).toBe(5000n);
    expect(b.popularity).toBe(5000n);
    expect(b.score).toBe(5000n);
  });

  it("smooths ratings by the prior: one 5-star rating moves R only part of the way", () => {
    const b = computeScore({ ...none, ratingSum: 5n, ratingCount: 1n });
    // avg = (5 + 15) / 6 = 3.33…, R = 0.5833…
    expect(b.rating).toBe(5833n);
  });

  it("tends to 10 000 with many calls, members and perfect ratings", () => {
    const n = 10n ** 12n;
    const b = computeScore({ calls: n, members: n, ratingSum: 5n * n, ratingCount: n });
    expect(b.score).toBeGreaterThan(9_990n);
    expect(b.score).toBeLessThanOrEqual(10_000n);
  });

  it("floors the exact mean, which may differ from the mean of floored factors by < 1 bps", () => {
    const b = computeScore({ calls: 7n, members: 3n, ratingSum: 9n, ratingCount: 2n });
    const meanOfFactors = (b.engagement + b.popularity + b.rating) / 3n;
    expect(b.score - meanOfFactors).toBeGreaterThanOrEqual(0n);
    expect(b.score - meanOfFactors).toBeLessThanOrEqual(1n);
  });

  it("uses the DAO's parameters", () => {
    const b = computeScore({ ...none, calls: 10n }, { ...DEFAULT_SCORE_PARAMS, engagementK: 10n });
    expect(b.engagement).toBe(5000n);
  });

  it("rejects zero parameters and impossible rating sums", () => {
    expect(() => computeScore(none, { ...DEFAULT_SCORE_PARAMS, ratingPrior: 0n })).toThrow(RangeError);
    expect(() => computeScore({ ...none, ratingSum: 1n, ratingCount: 2n })).toThrow(RangeError);
  });
});

describe("contributionShares", () => {
  it("gives the contributor 20 % of the new total at score 0 and 10 % at score 10 000", () => {
    const atZero = contributionShares(10_000n, 0n);
    expect(atZero).toBe(2_500n); // 2 500 / 12 500 = 20 %
    const atMax = contributionShares(10_000n, 10_000n);
    expect(atMax).toBe(1_111n); // floor(10 000 × 0.1 / 0.9)
  });

  it("dilutes less as the score grows", () => {
    expect(contributionShares(10_000n, 1699n)).toBeLessThan(contributionShares(10_000n, 0n));
    expect(contributionShares(10_000n, 1699n)).toBe(2_240n); // c = 0.18301, s = T·c/(1 − c)
  });
});
