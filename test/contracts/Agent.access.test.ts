// Journeys: join a free agent, buy credits (exact and with excess), refund unspent credits.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { anyValue } from "@nomicfoundation/hardhat-viem-assertions/predicates";
import { network } from "hardhat";
import { getAddress } from "viem";
import { marketplaceFixture, PRICE } from "./helpers/fixture.ts";

const connection = await network.create();
const { networkHelpers, viem } = connection;
const fixture = () => marketplaceFixture(connection);
/** Credits a fresh account can buy at PRICE: its deposit (80 bits of wei) fills before its 48-bit credit count. */
const CREDIT_LIMIT = (2n ** 80n - 1n) / PRICE;

describe("Agent access", () => {
  it("starts with its metadata, settings and version 0", async () => {
    const { paid, alice } = await networkHelpers.loadFixture(fixture);
    const m = await paid.agent.read.metadata();
    assert.deepEqual(m, paid.params.metadata);
    assert.equal(await paid.agent.read.weightsCid(), paid.params.metadata.initialWeightsCid);
    assert.equal(await paid.agent.read.owner(), getAddress(alice));
    assert.equal(await paid.agent.read.operator(), getAddress(alice));
    assert.equal(await paid.agent.read.mode(), 1);
    assert.equal(await paid.agent.read.pricePerCredit(), PRICE);
    assert.equal(await paid.agent.read.daoPowers(), 16); // the DAO holds the royalty power
    assert.equal(await paid.agent.read.endpoint(), "http://127.0.0.1:8787/v1");
    const links = await paid.agent.read.links();
    assert.equal(links.ledger, paid.ledger.address);
    assert.equal(links.dao, paid.dao.address);
    assert.equal(await paid.ledger.read.agent(), paid.agent.address);
    assert.equal(await paid.dao.read.token(), paid.ledger.address);
    const header = await paid.ledger.read.versionHeader([0n]);
    assert.equal(header.contributor, getAddress(alice));
    assert.equal(header.scoreBps, 1666, "the rating prior's third: no usage, no paying users");
    assert.equal(await paid.ledger.read.CLOCK_MODE(), "mode=timestamp");
    assert.equal(await paid.dao.read.CLOCK_MODE(), "mode=timestamp", "the DAO counts time as its ledger does");
    assert.equal(await paid.dao.read.clock(), await paid.ledger.read.clock());
  });

  it("lets anyone join a free agent once, which makes them a member without votes", async () => {
    const { free, paid, carol } = await networkHelpers.loadFixture(fixture);
    await viem.assertions.emitWithArgs(free.agent.write.join({ account: carol }), free.agent, "Joined", [
      getAddress(carol),
    ]);
    assert.equal(await free.ledger.read.isMember([carol]), true);
    assert.equal(await free.ledger.read.getVotes([carol]), 0n, "joining is free, so it carries no votes");
    assert.equal((await free.ledger.read.metrics()).members, 2);
    await viem.assertions.revertWithCustomErrorWithArgs(
      free.agent.write.join({ account: carol }),
      free.agent,
      "AgentAlreadyMember",
      [getAddress(carol)],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.join({ account: carol }),
      paid.agent,
      "AgentWrongMode",
      [1],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      free.agent.write.buyCredits([1n], { account: carol, value: 0n }),
      free.agent,
      "AgentWrongMode",
      [0],
    );
  });

  it("sells credits for the exact price and makes the buyer a member", async () => {
    const { paid, carol } = await networkHelpers.loadFixture(fixture);
    const tx = paid.agent.write.buyCredits([50n], { account: carol, value: 50n * PRICE });
    await viem.assertions.balancesHaveChanged(tx, [
      { address: carol, amount: -50n * PRICE },
      { address: paid.agent.address, amount: 50n * PRICE },
    ]);
    await viem.assertions.emitWithArgs(
      paid.agent.write.buyCredits([1n], { account: carol, value: PRICE }),
      paid.agent,
      "CreditsBought",
      [getAddress(carol), 1n, PRICE, 0n],
    );
    const account = await paid.agent.read.account([carol]);
    assert.equal(account.credits, 51);
    assert.equal(account.deposit, 51n * PRICE);
    assert.equal(account.spent, 0n, "bought is not spent");
    assert.equal(await paid.ledger.read.getVotes([carol]), 0n, "prepaid credits carry no votes");
    assert.equal(await paid.agent.read.creditsValue(), 51n * PRICE);
    assert.equal((await paid.ledger.read.metrics()).purchases, 2n);
    assert.equal(await paid.ledger.read.isMember([carol]), true);
  });

  it("refunds the excess when overpaying", async () => {
    const { paid, carol } = await networkHelpers.loadFixture(fixture);
    const tx = paid.agent.write.buyCredits([10n], { account: carol, value: 10n * PRICE + 12345n });
    await viem.assertions.balancesHaveChanged(tx, [
      { address: carol, amount: -10n * PRICE },
      { address: paid.agent.address, amount: 10n * PRICE },
    ]);
  });

  it("refuses too little payment, zero credits and more than a balance can hold, naming the limit", async () => {
    const { paid, carol } = await networkHelpers.loadFixture(fixture);
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.buyCredits([10n], { account: carol, value: 10n * PRICE - 1n }),
      paid.agent,
      "AgentInsufficientPayment",
      [10n * PRICE - 1n, 10n * PRICE],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.buyCredits([0n], { account: carol, value: PRICE }),
      paid.agent,
      "AgentInvalidCreditAmount",
      [0n, CREDIT_LIMIT],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.buyCredits([10n ** 24n], { account: carol, value: 0n }),
      paid.agent,
      "AgentInvalidCreditAmount",
      [10n ** 24n, CREDIT_LIMIT],
    );
  });

  it("returns unspent credits only after the notice period, and a new purchase cancels the request", async () => {
    const { paid, carol } = await networkHelpers.loadFixture(fixture);
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.requestCreditRefund([0n], { account: carol }),
      paid.agent,
      "AgentNoCreditsToRefund",
      [getAddress(carol)],
    );
    await paid.agent.write.buyCredits([20n], { account: carol, value: 20n * PRICE });
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.withdrawCredits({ account: carol }),
      paid.agent,
      "AgentNoRefundRequested",
      [getAddress(carol)],
    );
    await viem.assertions.emitWithArgs(
      paid.agent.write.requestCreditRefund([50n], { account: carol }),
      paid.agent,
      "CreditRefundRequested",
      [getAddress(carol), 20n, 20n, anyValue],
    );
    assert.equal(await paid.agent.read.refundAllowance([carol]), 20n, "never more than the credits");
    const { refundAvailableAt } = await paid.agent.read.account([carol]);
    assert.equal(refundAvailableAt, (await networkHelpers.time.latest()) + 24 * 3600);
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.requestCreditRefund([0n], { account: carol }),
      paid.agent,
      "AgentNoCreditsToRefund",
      [getAddress(carol)],
    );
    await viem.assertions.revertWithCustomError(
      paid.agent.write.withdrawCredits({ account: carol }),
      paid.agent,
      "AgentRefundNotReady",
    );

    await paid.agent.write.buyCredits([5n], { account: carol, value: 5n * PRICE });
    assert.equal((await paid.agent.read.account([carol])).refundAvailableAt, 0);
    assert.equal(await paid.agent.read.refundAllowance([carol]), 0n);

    await paid.agent.write.requestCreditRefund([0n], { account: carol });
    await networkHelpers.time.increase(24 * 3600);
    const tx = paid.agent.write.withdrawCredits({ account: carol });
    await viem.assertions.balancesHaveChanged(tx, [
      { address: carol, amount: 25n * PRICE },
      { address: paid.agent.address, amount: -25n * PRICE },
    ]);
    const account = await paid.agent.read.account([carol]);
    assert.equal(account.credits, 0);
    assert.equal(account.deposit, 0n);
    assert.equal(await paid.agent.read.creditsValue(), 0n);
  });
});
