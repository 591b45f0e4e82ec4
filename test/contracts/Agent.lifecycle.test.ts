// Journeys: rate and re-rate, publish versions (shares by the formula), record benchmark results,
// a derived agent paying royalty to its parent, and list / buy / cancel a sale.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress, zeroAddress } from "viem";
import { computeScore, contributionShares } from "../../src/lib/score.ts";
import { createAgent } from "./helpers/deploy.ts";
import { FEE_BPS, keyIdOf, marketplaceFixture, PRICE, secretHashOf, usage } from "./helpers/fixture.ts";
import { agentParams, testCid, trainingRecord } from "./helpers/params.ts";

const connection = await network.create();
const { networkHelpers, viem } = connection;

async function fixture() {
  const m = await marketplaceFixture(connection);
  for (const user of [m.carol, m.dave]) {
    await m.paid.agent.write.buyCredits([100n], { account: user, value: 100n * PRICE });
    await m.paid.agent.write.createApiKey([secretHashOf(user), 1_000n], { account: user });
  }
  return m;
}

/** Settles `units` of `user`'s usage on `m.paid` (its key from the fixture), as line `sequence`. */
async function spend(m: Awaited<ReturnType<typeof fixture>>, user: `0x${string}`, units: bigint, sequence = 1n) {
  await m.paid.agent.write.settle([[usage(keyIdOf(user, user), units, sequence)]], { account: m.alice });
}

describe("Agent ratings", () => {
  it("weighs a rating by the settled spending behind it, and replaces it on re-rate", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    const { paid, carol, dave } = m;
    await spend(m, carol, 50n);
    await spend(m, dave, 100n);
    await viem.assertions.emitWithArgs(paid.agent.write.rate([5], { account: carol }), paid.ledger, "RatingRecorded", [
      getAddress(carol),
      5,
      0,
      50n * PRICE,
    ]);
    await paid.agent.write.rate([2], { account: dave });
    await paid.agent.write.rate([3], { account: carol });
    const metrics = await paid.ledger.read.metrics();
    assert.equal(metrics.raters, 2);
    assert.equal(metrics.ratingWeight, 150n * PRICE);
    assert.equal(metrics.ratingWeightedStars, 3n * 50n * PRICE + 2n * 100n * PRICE);
    assert.deepEqual(await paid.ledger.read.ratingOf([carol]), [3, 50n * PRICE]);
    const [score, engagement, popularity, rating] = await paid.ledger.read.score();
    const expected = computeScore(metrics);
    assert.deepEqual({ score, engagement, popularity, rating }, expected);
    assert.ok(rating < 5000n, "a two-star rating with more spending behind it pulls harder");
  });

  it("refuses non-members, members with nothing settled, and stars outside 1..5", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    const { paid, free, carol, dave, erin } = m;
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.rate([5], { account: erin }),
      paid.agent,
      "AgentNotMember",
      [getAddress(erin)],
    );
    await free.agent.write.join({ account: erin });
    await viem.assertions.revertWithCustomErrorWithArgs(
      free.agent.write.rate([5], { account: erin }),
      free.agent,
      "AgentRatingNotAllowed",
      [getAddress(erin)],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.rate([5], { account: dave }),
      paid.agent,
      "AgentRatingNotAllowed",
      [getAddress(dave)],
    );
    await spend(m, carol, 10n);
    for (const stars of [0, 6]) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        paid.agent.write.rate([stars], { account: carol }),
        paid.ledger,
        "AgentLedgerInvalidRating",
        [stars, 10n * PRICE],
      );
    }
  });

  it("drops the rating of a user who takes its credits back", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    const { paid, carol } = m;
    await spend(m, carol, 10n);
    await paid.agent.write.rate([1], { account: carol });
    await paid.agent.write.requestCreditRefund([0n], { account: carol });
    await networkHelpers.time.increase(24 * 3600);
    await viem.assertions.emitWithArgs(
      paid.agent.write.withdrawCredits({ account: carol }),
      paid.ledger,
      "RatingRecorded",
      [getAddress(carol), 0, 1, 0n],
    );
    const metrics = await paid.ledger.read.metrics();
    assert.equal(metrics.raters, 0);
    assert.equal(metrics.ratingWeight, 0n);
    assert.equal((await paid.ledger.read.score())[3], 5000n, "back to the prior");
  });
});

describe("Agent versions", () => {
  it("mints the contributor's shares by the formula and records the score of that moment", async () => {
    const { paid, alice } = await networkHelpers.loadFixture(fixture);
    const [scoreBefore] = await paid.ledger.read.score();
    const total = await paid.ledger.read.totalShares();
    await viem.assertions.emitWithArgs(
      paid.agent.write.publishVersion([testCid("paid/v1"), trainingRecord(alice, "paid/v1", 0)], { account: alice }),
      paid.agent,
      "VersionPublished",
      [1n, getAddress(alice), testCid("paid/v1"), contributionShares(total, scoreBefore)],
    );
    const minted = contributionShares(total, scoreBefore);
    assert.equal(await paid.ledger.read.totalShares(), total + minted);
    assert.equal(await paid.ledger.read.sharesOf([alice]), 10_000n + minted);
    assert.equal((await paid.ledger.read.versionHeader([1n])).scoreBps, Number(scoreBefore));
    assert.equal(await paid.agent.read.weightsCid(), testCid("paid/v1"));
    assert.equal((await paid.agent.read.summary()).versionCount, 2n);
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.ledger.read.versionHeader([2n]),
      paid.ledger,
      "AgentLedgerUnknownVersion",
      [2n, 2n],
    );
  });

  it("lets the owner publish only its own versions, with weights and a known base", async () => {
    const { paid, alice, carol } = await networkHelpers.loadFixture(fixture);
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.publishVersion([testCid("x"), trainingRecord(carol, "x", 0)], { account: alice }),
      paid.agent,
      "AgentInvalidContributor",
      [getAddress(carol)],
    );
    await viem.assertions.revertWithCustomError(
      paid.agent.write.publishVersion(["", trainingRecord(alice, "x", 0)], { account: alice }),
      paid.agent,
      "AgentEmptyWeightsCid",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.publishVersion([testCid("x"), trainingRecord(alice, "x", 5)], { account: alice }),
      paid.ledger,
      "AgentLedgerUnknownVersion",
      [5n, 1n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.publishVersion([testCid("x"), trainingRecord(carol, "x", 0)], { account: carol }),
      paid.agent,
      "AgentNotOwnerOrDao",
      [getAddress(carol), 0],
    );
  });

  it("keeps revenue earned before a version with the holders of that time", async () => {
    const { paid, alice, carol } = await networkHelpers.loadFixture(fixture);
    await paid.agent.write.settle([[usage(keyIdOf(carol, carol), 10n)]], { account: alice });
    const earned = await paid.agent.read.withdrawable([alice]);
    await paid.agent.write.publishVersion([testCid("v1"), trainingRecord(alice, "v1", 0)], { account: alice });
    assert.equal(await paid.agent.read.withdrawable([alice]), earned);
  });
});

describe("Agent metric records", () => {
  /** The CIDs of one published benchmark result, as the playground pins them. */
  const metric = (label: string) =>
    [testCid(`${label}/set`), testCid(`${label}/weights`), testCid(`${label}/result`)] as const;

  it("lets the owner record benchmark results, numbered from 0, in the ledger's events", async () => {
    const { paid, alice } = await networkHelpers.loadFixture(fixture);
    const [scoreBefore] = await paid.ledger.read.score();
    assert.equal(await paid.ledger.read.metricCount(), 0n);
    await viem.assertions.emitWithArgs(
      paid.agent.write.recordMetric([...metric("run-0")], { account: alice }),
      paid.ledger,
      "MetricRecorded",
      [0n, getAddress(alice), ...metric("run-0")],
    );
    await viem.assertions.emitWithArgs(
      paid.agent.write.recordMetric([...metric("run-1")], { account: alice }),
      paid.ledger,
      "MetricRecorded",
      [1n, getAddress(alice), ...metric("run-1")],
    );
    assert.equal(await paid.ledger.read.metricCount(), 2n);
    const [scoreAfter] = await paid.ledger.read.score();
    assert.equal(scoreAfter, scoreBefore, "a record changes no score");
    assert.equal(await paid.ledger.read.versionCount(), 1n, "nor the versions");
  });

  it("refuses anyone but the owner or the DAO, and empty CIDs", async () => {
    const { paid, alice, carol, frank } = await networkHelpers.loadFixture(fixture);
    for (const caller of [carol, frank]) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        paid.agent.write.recordMetric([...metric("x")], { account: caller }),
        paid.agent,
        "AgentNotOwnerOrDao",
        [getAddress(caller), 0],
      );
    }
    const [set, weights, result] = metric("x");
    for (const [args, error] of [
      [["", weights, result], "AgentEmptyBenchmarkSetCid"],
      [[set, "", result], "AgentEmptyWeightsCid"],
      [[set, weights, ""], "AgentEmptyResultCid"],
    ] as const) {
      await viem.assertions.revertWithCustomError(
        paid.agent.write.recordMetric([...args], { account: alice }),
        paid.agent,
        error,
      );
    }
    assert.equal(await paid.ledger.read.metricCount(), 0n);
  });

  it("follows the owner role through a sale", async () => {
    const { paid, alice, dave } = await networkHelpers.loadFixture(fixture);
    await paid.agent.write.listForSale([1n], { account: alice });
    await paid.agent.write.buyAgent([zeroAddress], { account: dave, value: 1n });
    await viem.assertions.emitWithArgs(
      paid.agent.write.recordMetric([...metric("dave")], { account: dave }),
      paid.ledger,
      "MetricRecorded",
      [0n, getAddress(dave), ...metric("dave")],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.recordMetric([...metric("alice")], { account: alice }),
      paid.agent,
      "AgentNotOwnerOrDao",
      [getAddress(alice), 0],
    );
  });
});

describe("Derived agents", () => {
  const paidSettings = (operator: `0x${string}`, royaltyBps: number) => ({
    mode: 1,
    pricePerCredit: PRICE,
    royaltyBps,
    operator,
    endpoint: "",
  });

  it("pays the parent's shareholders a royalty on the child's revenue", async () => {
    const hexs = await networkHelpers.loadFixture(fixture);
    const { paid, erin, frank, alice } = hexs;
    const child = await createAgent(hexs, erin, "child", {
      parent: paid.agent.address,
      settings: paidSettings(erin, 1_000),
    });
    assert.equal((await child.agent.read.links()).parent, paid.agent.address);
    assert.equal(await child.agent.read.royaltyBps(), 1_000n);
    await child.agent.write.buyCredits([100n], { account: frank, value: 100n * PRICE });
    await child.agent.write.createApiKey([secretHashOf("frank"), 100n], { account: frank });
    const before = await paid.agent.read.withdrawable([alice]);
    const tx = child.agent.write.settle([[usage(keyIdOf(frank, "frank"), 100n)]], { account: erin });
    const value = 100n * PRICE;
    const fee = (value * FEE_BPS) / 10_000n;
    const royalty = ((value - fee) * 1_000n) / 10_000n;
    await viem.assertions.emitWithArgs(tx, paid.agent, "RoyaltyReceived", [child.agent.address, royalty, 1n, 0n]);
    assert.equal((await paid.agent.read.withdrawable([alice])) - before, royalty);
    assert.equal(await child.agent.read.withdrawable([erin]), value - fee - royalty);
  });

  it("cascades royalties up the lineage, each generation passing on its own share, four generations at most", async () => {
    const hexs = await networkHelpers.loadFixture(fixture);
    const { paid, alice, erin, frank } = hexs;
    // paid ← g1 ← g2 ← g3 ← g4 ← g5, each paying its parent 20 %.
    const lineage = [paid];
    for (let i = 1; i <= 5; i++) {
      lineage.push(
        await createAgent(hexs, erin, `g${i}`, {
          parent: lineage[i - 1]!.agent.address,
          settings: paidSettings(erin, 2_000),
        }),
      );
    }
    const youngest = lineage[5]!;
    await youngest.agent.write.buyCredits([1_000n], { account: frank, value: 1_000n * PRICE });
    await youngest.agent.write.createApiKey([secretHashOf("frank"), 1_000n], { account: frank });
    const before = await Promise.all(lineage.map((g, i) => g.agent.read.withdrawable([i === 0 ? alice : erin])));
    await youngest.agent.write.settle([[usage(keyIdOf(frank, "frank"), 1_000n)]], { account: erin });
    const value = 1_000n * PRICE;
    const afterFee = value - (value * FEE_BPS) / 10_000n;
    let arriving = (afterFee * 2_000n) / 10_000n;
    // g4 (generation 1) keeps 80 % and passes 20 % up, …, g1 (generation 4) keeps all of it.
    for (const [generation, index] of [
      [1, 4],
      [2, 3],
      [3, 2],
      [4, 1],
    ] as const) {
      const forwarded = generation < 4 ? (arriving * 2_000n) / 10_000n : 0n;
      const earned = (await lineage[index]!.agent.read.withdrawable([erin])) - before[index]!;
      assert.equal(earned, arriving - forwarded, `generation ${generation} keeps what it does not pass on`);
      arriving = forwarded;
    }
    assert.equal(await paid.agent.read.withdrawable([alice]), before[0], "the fifth generation up gets nothing");
  });

  it("holds a child to the floor its parent set, at creation and later", async () => {
    const hexs = await networkHelpers.loadFixture(fixture);
    const { paid, alice, erin, factory } = hexs;
    await viem.assertions.emitWithArgs(
      paid.agent.write.setRoyaltyFloor([1_500n], { account: alice }),
      paid.agent,
      "RoyaltyFloorChanged",
      [1_500n],
    );
    const base = agentParams(erin, "cheap", { parent: paid.agent.address, settings: paidSettings(erin, 0) });
    await viem.assertions.revertWithCustomErrorWithArgs(
      factory.write.createAgent([base], { account: erin }),
      paid.agent,
      "AgentRoyaltyBelowFloor",
      [0n, 1_500n],
    );
    const child = await createAgent(hexs, erin, "fair", {
      parent: paid.agent.address,
      settings: paidSettings(erin, 1_500),
    });
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.setRoyaltyFloor([5_001n], { account: alice }),
      paid.agent,
      "AgentInvalidRoyalty",
      [5_001n],
    );
    // The child's owner cannot lower it either: the DAO holds the royalty power, and the DAO is held to the floor too.
    await viem.assertions.revertWithCustomErrorWithArgs(
      child.agent.write.setRoyalty([1_000n], { account: erin }),
      child.agent,
      "AgentNotOwnerOrDao",
      [getAddress(erin), 16],
    );
    await networkHelpers.impersonateAccount(child.dao.address);
    await networkHelpers.setBalance(child.dao.address, 10n ** 18n);
    await viem.assertions.revertWithCustomErrorWithArgs(
      child.agent.write.setRoyalty([1_000n], { account: child.dao.address }),
      child.agent,
      "AgentRoyaltyBelowFloor",
      [1_000n, 1_500n],
    );
  });

  it("refuses a royalty without a parent or above the cap, and a parent that is not an agent", async () => {
    const hexs = await networkHelpers.loadFixture(fixture);
    const { erin, factory, paid } = hexs;
    const base = agentParams(erin, "bad");
    await viem.assertions.revertWithCustomErrorWithArgs(
      factory.write.createAgent([{ ...base, settings: { ...base.settings, royaltyBps: 100 } }], { account: erin }),
      paid.agent,
      "AgentInvalidRoyalty",
      [100n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      factory.write.createAgent(
        [{ ...base, parent: paid.agent.address, settings: { ...base.settings, royaltyBps: 5_001 } }],
        { account: erin },
      ),
      paid.agent,
      "AgentInvalidRoyalty",
      [5_001n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      factory.write.createAgent([{ ...base, parent: paid.ledger.address }], { account: erin }),
      factory,
      "HexsFactoryUnknownParent",
      [paid.ledger.address],
    );
  });
});

describe("Agent sale", () => {
  it("moves the owner role and the seller's shares; the seller withdraws the price less the fee", async () => {
    const { paid, factory, alice, dave } = await networkHelpers.loadFixture(fixture);
    const price = 10n ** 18n;
    await viem.assertions.emitWithArgs(
      paid.agent.write.listForSale([price], { account: alice }),
      paid.agent,
      "ListedForSale",
      [price],
    );
    assert.equal((await paid.agent.read.summary()).salePrice, price);
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.buyAgent([zeroAddress], { account: dave, value: price - 1n }),
      paid.agent,
      "AgentWrongPayment",
      [price - 1n, price],
    );
    await viem.assertions.revertWithCustomError(
      paid.agent.write.buyAgent([zeroAddress], { account: alice, value: price }),
      paid.agent,
      "AgentNotForSale",
    );
    await viem.assertions.emitWithArgs(
      paid.agent.write.buyAgent([zeroAddress], { account: dave, value: price }),
      paid.agent,
      "AgentSold",
      [getAddress(alice), getAddress(dave), price, 10_000n],
    );
    assert.equal(await paid.agent.read.owner(), getAddress(dave));
    assert.equal(await paid.agent.read.salePrice(), 0n);
    assert.equal(await paid.ledger.read.sharesOf([dave]), 10_000n);
    assert.equal(await paid.ledger.read.sharesOf([alice]), 0n);
    assert.equal(await paid.ledger.read.getVotes([dave]), 10_000n);
    assert.equal(await paid.ledger.read.getVotes([alice]), 0n, "the seller keeps no votes");
    assert.equal(await paid.agent.read.operator(), getAddress(dave), "the buyer runs the gateway now");
    const fee = (price * FEE_BPS) / 10_000n;
    assert.equal(await paid.agent.read.withdrawable([alice]), price - fee);
    assert.equal(await paid.agent.read.protocolFeesOwed(), fee);
    assert.deepEqual(await factory.read.agentsOf([dave]), [paid.agent.address]);
    assert.deepEqual(await factory.read.agentsOf([alice]), []);
    await viem.assertions.balancesHaveChanged(paid.agent.write.withdraw({ account: alice }), [
      { address: alice, amount: price - fee },
    ]);

    // Buying it back does not list it twice for the first owner.
    await paid.agent.write.listForSale([1n], { account: dave });
    await paid.agent.write.buyAgent([alice], { account: alice, value: 1n });
    assert.deepEqual(await factory.read.agentsOf([alice]), [paid.agent.address]);
  });

  it("cancels a listing, and refuses buying or cancelling when not listed", async () => {
    const { paid, alice, dave } = await networkHelpers.loadFixture(fixture);
    await viem.assertions.revertWithCustomError(
      paid.agent.write.buyAgent([zeroAddress], { account: dave, value: 0n }),
      paid.agent,
      "AgentNotForSale",
    );
    await viem.assertions.revertWithCustomError(
      paid.agent.write.cancelSale({ account: alice }),
      paid.agent,
      "AgentNotForSale",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.listForSale([0n], { account: alice }),
      paid.agent,
      "AgentInvalidPrice",
      [0n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.listForSale([2n ** 96n], { account: alice }),
      paid.agent,
      "AgentInvalidPrice",
      [2n ** 96n],
    );
    await paid.agent.write.listForSale([5n], { account: alice });
    await viem.assertions.emit(paid.agent.write.cancelSale({ account: alice }), paid.agent, "SaleCancelled");
    await viem.assertions.revertWithCustomError(
      paid.agent.write.buyAgent([zeroAddress], { account: dave, value: 5n }),
      paid.agent,
      "AgentNotForSale",
    );
  });
});
