// Journeys: rate and re-rate, publish versions (shares by the formula), record benchmark results,
// a derived agent paying royalty to its parent, and list / buy / cancel a sale.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress } from "viem";
import { contributionShares } from "../../src/lib/score.ts";
import { createAgent } from "./helpers/deploy.ts";
import { FEE_BPS, keyOf, marketplaceFixture, PRICE, usage } from "./helpers/fixture.ts";
import { agentParams, testCid, trainingRecord } from "./helpers/params.ts";

const connection = await network.create();
const { networkHelpers, viem } = connection;

async function fixture() {
  const m = await marketplaceFixture(connection);
  for (const user of [m.carol, m.dave]) {
    await m.paid.agent.write.buyCredits([100n], { account: user, value: 100n * PRICE });
  }
  await m.paid.agent.write.createApiKey([keyOf("carol"), 1_000n], { account: m.carol });
  return m;
}

describe("Agent ratings", () => {
  it("lets a member who used the model rate, and replaces the rating on re-rate", async () => {
    const { paid, carol, dave } = await networkHelpers.loadFixture(fixture);
    await viem.assertions.emitWithArgs(paid.agent.write.rate([5], { account: carol }), paid.ledger, "RatingRecorded", [
      getAddress(carol),
      5,
      0,
    ]);
    await paid.agent.write.rate([2], { account: dave });
    await paid.agent.write.rate([3], { account: carol });
    const metrics = await paid.ledger.read.metrics();
    assert.equal(metrics.ratingCount, 2);
    assert.equal(metrics.ratingSum, 5);
    const [score, , , rating] = await paid.ledger.read.score();
    assert.equal(rating, 4642n); // (5 + 2·5 − 2) / (4 · (2 + 5))
    assert.ok(score > 0n);
  });

  it("refuses non-members, members who never used the model, and stars outside 1..5", async () => {
    const { paid, free, carol, erin } = await networkHelpers.loadFixture(fixture);
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
      paid.agent.write.rate([0], { account: carol }),
      paid.ledger,
      "AgentLedgerInvalidRating",
      [0],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.rate([6], { account: carol }),
      paid.ledger,
      "AgentLedgerInvalidRating",
      [6],
    );
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
    const { paid, alice } = await networkHelpers.loadFixture(fixture);
    await paid.agent.write.settle([[usage(keyOf("carol"), 10n)]], { account: alice });
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
    await paid.agent.write.buyAgent({ account: dave, value: 1n });
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
  it("pays the parent's shareholders a royalty on the child's revenue", async () => {
    const hexs = await networkHelpers.loadFixture(fixture);
    const { paid, erin, frank, alice } = hexs;
    const child = await createAgent(hexs, erin, "child", {
      parent: paid.agent.address,
      settings: { mode: 1, pricePerCredit: PRICE, royaltyBps: 1_000, operator: erin, endpoint: "" },
    });
    assert.equal((await child.agent.read.links()).parent, paid.agent.address);
    assert.equal(await child.agent.read.royaltyBps(), 1_000n);
    await child.agent.write.buyCredits([100n], { account: frank, value: 100n * PRICE });
    await child.agent.write.createApiKey([keyOf("frank"), 100n], { account: frank });
    const before = await paid.agent.read.withdrawable([alice]);
    const tx = child.agent.write.settle([[usage(keyOf("frank"), 100n)]], { account: erin });
    const value = 100n * PRICE;
    const fee = (value * FEE_BPS) / 10_000n;
    const royalty = ((value - fee) * 1_000n) / 10_000n;
    await viem.assertions.emitWithArgs(tx, paid.agent, "RoyaltyReceived", [child.agent.address, royalty]);
    assert.equal((await paid.agent.read.withdrawable([alice])) - before, royalty);
    assert.equal(await child.agent.read.withdrawable([erin]), value - fee - royalty);
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
      paid.agent.write.buyAgent({ account: dave, value: price - 1n }),
      paid.agent,
      "AgentWrongPayment",
      [price - 1n, price],
    );
    await viem.assertions.revertWithCustomError(
      paid.agent.write.buyAgent({ account: alice, value: price }),
      paid.agent,
      "AgentNotForSale",
    );
    await viem.assertions.emitWithArgs(
      paid.agent.write.buyAgent({ account: dave, value: price }),
      paid.agent,
      "AgentSold",
      [getAddress(alice), getAddress(dave), price, 10_000n],
    );
    assert.equal(await paid.agent.read.owner(), getAddress(dave));
    assert.equal(await paid.agent.read.salePrice(), 0n);
    assert.equal(await paid.ledger.read.sharesOf([dave]), 10_000n);
    assert.equal(await paid.ledger.read.sharesOf([alice]), 0n);
    assert.equal(await paid.ledger.read.getVotes([dave]), 10_100n);
    assert.equal(await paid.ledger.read.getVotes([alice]), 100n, "the seller stays a member");
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
    await paid.agent.write.buyAgent({ account: alice, value: 1n });
    assert.deepEqual(await factory.read.agentsOf([alice]), [paid.agent.address]);
  });

  it("cancels a listing, and refuses buying or cancelling when not listed", async () => {
    const { paid, alice, dave } = await networkHelpers.loadFixture(fixture);
    await viem.assertions.revertWithCustomError(
      paid.agent.write.buyAgent({ account: dave, value: 0n }),
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
      paid.agent.write.buyAgent({ account: dave, value: 5n }),
      paid.agent,
      "AgentNotForSale",
    );
  });
});
