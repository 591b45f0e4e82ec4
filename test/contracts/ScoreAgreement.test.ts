// Property test: src/lib/score.ts and the Score library give identical results on random inputs.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { computeScore, contributionShares } from "../../src/lib/score.ts";
import { deployHexs } from "./helpers/deploy.ts";
import { deployTestContract, scoreHarnessAbi } from "./helpers/testContracts.ts";

const connection = await network.create();
const CASES = 400;

/** A small deterministic PRNG (mulberry32), so a failure can be replayed from its seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random bigint below 2^bits, skewed towards small values (where rounding is most visible). */
function randomBelow(rand: () => number, bits: number): bigint {
  const b = Math.max(1, Math.floor(rand() * bits));
  let out = 0n;
  for (let i = 0; i < b; i += 16) out = (out << 16n) | BigInt(Math.floor(rand() * 65536));
  return out % (1n << BigInt(b));
}

describe("score formula agreement", () => {
  it(`TypeScript and Solidity agree on ${CASES} random inputs`, async () => {
    const harness = await deployTestContract(connection, await deployHexs(connection), "ScoreHarness", scoreHarnessAbi);
    const seed = Number(process.env.SCORE_SEED ?? 20_261_125);
    const rand = prng(seed);
    for (let i = 0; i < CASES; i++) {
      const ratingWeight = randomBelow(rand, 96);
      const inputs = {
        settledValue: randomBelow(rand, 96),
        payerWeight: randomBelow(rand, 96),
        ratingWeight,
        ratingWeightedStars: ratingWeight + (ratingWeight * 4n * BigInt(Math.floor(rand() * 41))) / 40n,
      };
      const params = {
        engagementK: 1n + randomBelow(rand, 96),
        popularityK: 1n + randomBelow(rand, 96),
        ratingPrior: 1n + randomBelow(rand, 80),
      };
      const expected = computeScore(inputs, params);
      const actual = await harness.read.compute([
        inputs.settledValue,
        inputs.payerWeight,
        inputs.ratingWeightedStars,
        inputs.ratingWeight,
        params,
      ]);
      assert.deepEqual(actual, expected, `seed ${seed}, case ${i}: ${JSON.stringify(inputs, (_, v) => String(v))}`);

      const total = 10_000n + randomBelow(rand, 96);
      const contributionBps = 1n + (randomBelow(rand, 12) % 5_000n);
      assert.equal(
        await harness.read.contributionShares([total, expected.score, contributionBps]),
        contributionShares(total, expected.score, contributionBps),
        `seed ${seed}, case ${i}: shares`,
      );
    }
  });
});
