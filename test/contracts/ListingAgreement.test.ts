// Property test: what contracts/libraries/Listing.sol packs, src/lib/chain/listing.ts unpacks —
// exactly for the counts and scores, to within the float's precision for amounts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { decodeListing, fromFloat } from "../../src/lib/chain/listing.ts";
import { deployHexs } from "./helpers/deploy.ts";
import { createAgent } from "./helpers/deploy.ts";
import { listingHarnessAbi, deployTestContract } from "./helpers/testContracts.ts";
import { keyIdOf, marketplaceFixture, PRICE, secretHashOf, usage } from "./helpers/fixture.ts";

const connection = await network.create();
const CASES = 200;

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

function randomBelow(rand: () => number, bitCount: number): bigint {
  const b = Math.max(1, Math.floor(rand() * bitCount));
  let out = 0n;
  for (let i = 0; i < b; i += 16) out = (out << 16n) | BigInt(Math.floor(rand() * 65536));
  return out % (1n << BigInt(b));
}

/** Within the float's 24 significant bits: never above, less than one part in 2^23 below. */
function assertClose(actual: bigint, expected: bigint, what: string) {
  assert.ok(actual <= expected, `${what}: ${actual} > ${expected}`);
  assert.ok((expected - actual) * (1n << 23n) <= expected, `${what}: ${actual} too far below ${expected}`);
}

describe("listing words", () => {
  it(`unpack what the contract packed, on ${CASES} random cards`, async () => {
    const hexs = await deployHexs(connection);
    const harness = await deployTestContract(connection, hexs, "ListingHarness", listingHarnessAbi);
    const rand = prng(Number(process.env.LISTING_SEED ?? 20_261_204));
    for (let i = 0; i < CASES; i++) {
      const figures = {
        score: randomBelow(rand, 13) % 10_001n,
        engagement: randomBelow(rand, 13) % 10_001n,
        popularity: randomBelow(rand, 13) % 10_001n,
        rating: randomBelow(rand, 13) % 10_001n,
        members: randomBelow(rand, 32),
        calls: randomBelow(rand, 64),
        raters: randomBelow(rand, 24),
        averageRatingCentis: 100n + (randomBelow(rand, 9) % 401n),
        pricePerCredit: randomBelow(rand, 96),
        salePrice: randomBelow(rand, 96),
        paid: rand() < 0.5,
        versions: randomBelow(rand, 16),
      };
      const decoded = decodeListing(await harness.read.encode([figures]));
      const label = `case ${i}`;
      assert.equal(decoded.score, figures.score, label);
      assert.equal(decoded.engagement, figures.engagement, label);
      assert.equal(decoded.popularity, figures.popularity, label);
      assert.equal(decoded.rating, figures.rating, label);
      assert.equal(decoded.members, figures.members, label);
      assert.equal(decoded.raters, figures.raters, label);
      assert.equal(decoded.averageRating, Number(figures.averageRatingCentis) / 100, label);
      assert.equal(decoded.mode, figures.paid ? 1 : 0, label);
      assert.equal(decoded.versionCount, figures.versions, label);
      assertClose(decoded.calls, figures.calls, `${label} calls`);
      assertClose(decoded.pricePerCredit, figures.pricePerCredit, `${label} price`);
      assertClose(decoded.salePrice, figures.salePrice, `${label} sale price`);
    }
    assert.equal(fromFloat(await harness.read.toFloat([2n ** 200n + 12345n])), 2n ** 200n);
  });

  it("are kept current by each agent and match its summary", async () => {
    const m = await marketplaceFixture(connection);
    await m.paid.agent.write.buyCredits([10n], { account: m.carol, value: 10n * PRICE });
    // Settled usage moves calls and the score: the factory's word must follow.
    await m.paid.agent.write.createApiKey([secretHashOf("listing"), 10n], { account: m.carol });
    await m.paid.agent.write.settle([[usage(keyIdOf(m.carol, "listing"), 7n)]], { account: m.alice });
    const [afterSettle] = await m.factory.read.listings([0n, 1n]);
    assert.equal(afterSettle, await m.paid.agent.read.listing(), "a settlement updates the factory's word at once");
    assert.ok(decodeListing(afterSettle!).calls > 0n);
    await m.paid.agent.write.listForSale([3n * 10n ** 17n], { account: m.alice });
    const child = await createAgent(m, m.erin, "listed-child", { parent: m.paid.agent.address });
    const words = await m.factory.read.listings([0n, 10n]);
    assert.equal(words.length, 3);
    for (const [i, address] of [m.paid.agent.address, m.free.agent.address, child.agent.address].entries()) {
      const summary = await m.at.agent(address).read.summary();
      const listed = decodeListing(words[i]!);
      assert.equal(words[i], await m.at.agent(address).read.listing(), "the factory holds the agent's current word");
      assert.equal(listed.score, summary.score);
      assert.equal(listed.members, summary.members);
      assert.equal(listed.mode, summary.mode);
      assertClose(listed.pricePerCredit, summary.pricePerCredit, "price");
      assertClose(listed.salePrice, summary.salePrice, "sale price");
      assert.equal(listed.versionCount, summary.versionCount);
      assertClose(listed.calls, summary.calls, "calls");
    }
    assert.ok(decodeListing(words[0]!).calls > 0n, "the settled calls are in the word");
    assert.equal(decodeListing(words[0]!).members, 2n, "the buyer counts");
  });
});
