// Journeys: create, use (settle), exhaust and revoke an API key; revenue split and withdrawals.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress, zeroHash } from "viem";
import { FEE_BPS, keyOf, marketplaceFixture, PRICE, usage } from "./helpers/fixture.ts";

const connection = await network.create();
const { networkHelpers, viem } = connection;

async function fixture() {
  const m = await marketplaceFixture(connection);
  await m.paid.agent.write.buyCredits([100n], { account: m.carol, value: 100n * PRICE });
  await m.paid.agent.write.createApiKey([keyOf("carol-1"), 60n], { account: m.carol });
  return m;
}

describe("Agent API keys and settlement", () => {
  it("registers a key by hash for members only", async () => {
    const { paid, carol, dave } = await networkHelpers.loadFixture(fixture);
    const key = await paid.agent.read.apiKey([keyOf("carol-1")]);
    assert.deepEqual(key, { user: getAddress(carol), spent: 0, cap: 60, revoked: false });
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.createApiKey([keyOf("dave"), 1n], { account: dave }),
      paid.agent,
      "AgentNotMember",
      [getAddress(dave)],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.createApiKey([keyOf("carol-1"), 1n], { account: carol }),
      paid.agent,
      "AgentApiKeyTaken",
      [keyOf("carol-1")],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.createApiKey([zeroHash, 1n], { account: carol }),
      paid.agent,
      "AgentApiKeyTaken",
      [zeroHash],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.createApiKey([keyOf("big"), 2n ** 40n], { account: carol }),
      paid.agent,
      "AgentInvalidSpendCap",
      [2n ** 40n],
    );
  });

  it("settles usage into revenue: protocol fee, then shareholders", async () => {
    const { paid, alice, carol, treasury } = await networkHelpers.loadFixture(fixture);
    const tx = paid.agent.write.settle([[usage(keyOf("carol-1"), 40n)]], { account: alice });
    await viem.assertions.emitWithArgs(tx, paid.agent, "UsageSettled", [
      keyOf("carol-1"),
      getAddress(carol),
      40n,
      40n,
      40n * PRICE,
    ]);
    const value = 40n * PRICE;
    const fee = (value * FEE_BPS) / 10_000n;
    assert.equal(await paid.agent.read.protocolFeesOwed(), fee);
    assert.equal(await paid.agent.read.creditsValue(), 60n * PRICE);
    assert.equal(await paid.agent.read.withdrawable([alice]), value - fee);
    assert.equal((await paid.ledger.read.metrics()).calls, 40n);
    assert.equal((await paid.agent.read.apiKey([keyOf("carol-1")])).spent, 40);

    await viem.assertions.balancesHaveChanged(paid.agent.write.withdraw({ account: alice }), [
      { address: alice, amount: value - fee },
    ]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.withdraw({ account: alice }),
      paid.agent,
      "AgentNothingToWithdraw",
      [getAddress(alice)],
    );
    await viem.assertions.balancesHaveChanged(paid.agent.write.withdrawProtocolFees({ account: carol }), [
      { address: treasury, amount: fee },
    ]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.withdrawProtocolFees({ account: carol }),
      paid.agent,
      "AgentNothingToWithdraw",
      [getAddress(treasury)],
    );
  });

  it("never charges beyond a key's cap: an exhausted key is charged nothing more", async () => {
    const { paid, alice, carol } = await networkHelpers.loadFixture(fixture);
    await paid.agent.write.settle([[usage(keyOf("carol-1"), 50n), usage(keyOf("carol-1"), 50n)]], { account: alice });
    assert.equal((await paid.agent.read.apiKey([keyOf("carol-1")])).spent, 60);
    await viem.assertions.emitWithArgs(
      paid.agent.write.settle([[usage(keyOf("carol-1"), 5n)]], { account: alice }),
      paid.agent,
      "UsageSettled",
      [keyOf("carol-1"), getAddress(carol), 5n, 0n, 0n],
    );
    assert.equal((await paid.agent.read.account([carol])).credits, 40n);
  });

  it("never charges beyond the user's credits", async () => {
    const { paid, alice, carol } = await networkHelpers.loadFixture(fixture);
    await paid.agent.write.createApiKey([keyOf("carol-2"), 1_000n], { account: carol });
    await paid.agent.write.settle([[usage(keyOf("carol-2"), 90n), usage(keyOf("carol-2"), 30n)]], { account: alice });
    const account = await paid.agent.read.account([carol]);
    assert.equal(account.credits, 0n);
    assert.equal(account.deposit, 0n);
    assert.equal((await paid.agent.read.apiKey([keyOf("carol-2")])).spent, 100);
    assert.equal(await paid.agent.read.creditsValue(), 0n);
  });

  it("values usage at the average price the user paid, whatever the price is now", async () => {
    const { paid, alice, carol } = await networkHelpers.loadFixture(fixture);
    await paid.agent.write.setPrice([3n * PRICE], { account: alice });
    await paid.agent.write.buyCredits([100n], { account: carol, value: 300n * PRICE });
    await paid.agent.write.settle([[usage(keyOf("carol-1"), 50n)]], { account: alice });
    // 200 credits for 400·PRICE: average 2·PRICE per credit.
    assert.equal((await paid.agent.read.account([carol])).deposit, 300n * PRICE);
  });

  it("lets the holder revoke a key once; earlier usage can still be settled", async () => {
    const { paid, alice, carol, dave } = await networkHelpers.loadFixture(fixture);
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.revokeApiKey([keyOf("carol-1")], { account: dave }),
      paid.agent,
      "AgentNotKeyHolder",
      [getAddress(dave), keyOf("carol-1")],
    );
    await viem.assertions.emitWithArgs(
      paid.agent.write.revokeApiKey([keyOf("carol-1")], { account: carol }),
      paid.agent,
      "ApiKeyRevoked",
      [getAddress(carol), keyOf("carol-1")],
    );
    assert.equal((await paid.agent.read.apiKey([keyOf("carol-1")])).revoked, true);
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.revokeApiKey([keyOf("carol-1")], { account: carol }),
      paid.agent,
      "AgentApiKeyRevokedAlready",
      [keyOf("carol-1")],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.revokeApiKey([keyOf("nope")], { account: carol }),
      paid.agent,
      "AgentUnknownApiKey",
      [keyOf("nope")],
    );
    await paid.agent.write.settle([[usage(keyOf("carol-1"), 10n)]], { account: alice });
    assert.equal((await paid.agent.read.apiKey([keyOf("carol-1")])).spent, 10);
  });

  it("rejects settlement from anyone but the operator, empty batches and unknown keys", async () => {
    const { paid, alice, carol } = await networkHelpers.loadFixture(fixture);
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.settle([[usage(keyOf("carol-1"), 1n)]], { account: carol }),
      paid.agent,
      "AgentNotOperator",
      [getAddress(carol)],
    );
    await viem.assertions.revertWithCustomError(
      paid.agent.write.settle([[]], { account: alice }),
      paid.agent,
      "AgentEmptySettlement",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.settle([[usage(keyOf("ghost"), 1n)]], { account: alice }),
      paid.agent,
      "AgentUnknownApiKey",
      [keyOf("ghost")],
    );
  });

  it("counts free usage as calls without charging, and lets that user rate", async () => {
    const { free, bob, dave } = await networkHelpers.loadFixture(fixture);
    await free.agent.write.join({ account: dave });
    await free.agent.write.createApiKey([keyOf("dave"), 10n], { account: dave });
    await viem.assertions.revertWithCustomErrorWithArgs(
      free.agent.write.rate([4], { account: dave }),
      free.agent,
      "AgentRatingNotAllowed",
      [getAddress(dave)],
    );
    await free.agent.write.settle([[usage(keyOf("dave"), 7n)]], { account: bob });
    assert.equal((await free.ledger.read.metrics()).calls, 7n);
    assert.equal(await free.agent.read.unclaimed(), 0n);
    await free.agent.write.rate([4], { account: dave });
    assert.equal(await free.ledger.read.ratingOf([dave]), 4);
  });
});
