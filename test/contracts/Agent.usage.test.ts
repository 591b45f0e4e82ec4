// Journeys: create, use (settle), exhaust and revoke an API key; revenue split and withdrawals;
// and the settlement rules that keep an operator accountable: sequences, revocation grace, the
// refund notice, holder-scoped key ids.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress, parseEventLogs, zeroAddress, zeroHash } from "viem";
import { FEE_BPS, keyIdOf, marketplaceFixture, PRICE, secretHashOf, usage } from "./helpers/fixture.ts";

const connection = await network.create();
const { networkHelpers, viem } = connection;
const ChargeLimit = { None: 0, SpendCap: 1, Credits: 2, Revoked: 3, RefundNotice: 4, RefundDue: 5 } as const;
const HOUR = 3600;
const DAY = 24 * HOUR;

async function fixture() {
  const m = await marketplaceFixture(connection);
  await m.paid.agent.write.buyCredits([100n], { account: m.carol, value: 100n * PRICE });
  await m.paid.agent.write.createApiKey([secretHashOf("carol-1"), 60n], { account: m.carol });
  return { ...m, carolKey: keyIdOf(m.carol, "carol-1") };
}

describe("Agent API keys", () => {
  it("registers a key under an id scoped to its holder, for members only", async () => {
    const { paid, carol, dave, carolKey } = await networkHelpers.loadFixture(fixture);
    assert.equal(await paid.agent.read.apiKeyId([carol, secretHashOf("carol-1")]), carolKey);
    assert.deepEqual(await paid.agent.read.apiKey([carolKey]), {
      user: getAddress(carol),
      spent: 0n,
      cap: 60n,
      sequence: 0n,
      revokedAt: 0,
    });
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.createApiKey([secretHashOf("dave"), 1n], { account: dave }),
      paid.agent,
      "AgentNotMember",
      [getAddress(dave)],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.createApiKey([secretHashOf("carol-1"), 1n], { account: carol }),
      paid.agent,
      "AgentApiKeyTaken",
      [carolKey],
    );
    await viem.assertions.revertWithCustomError(
      paid.agent.write.createApiKey([zeroHash, 1n], { account: carol }),
      paid.agent,
      "AgentInvalidApiKey",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.createApiKey([secretHashOf("big"), 2n ** 64n], { account: carol }),
      paid.agent,
      "AgentInvalidSpendCap",
      [2n ** 64n],
    );
  });

  it("cannot be squatted: a hash copied from the mempool files under the copier, and bills only the copier", async () => {
    const { paid, alice, carol, dave, carolKey } = await networkHelpers.loadFixture(fixture);
    await paid.agent.write.buyCredits([10n], { account: dave, value: 10n * PRICE });
    // Dave front-runs Carol's next key with the same secret hash…
    await paid.agent.write.createApiKey([secretHashOf("carol-2"), 1_000n], { account: dave });
    // …which neither blocks Carol nor makes her secret bill Dave's credits.
    await paid.agent.write.createApiKey([secretHashOf("carol-2"), 5n], { account: carol });
    const carol2 = keyIdOf(carol, "carol-2");
    assert.equal((await paid.agent.read.apiKey([carol2])).user, getAddress(carol));
    assert.equal((await paid.agent.read.apiKey([keyIdOf(dave, "carol-2")])).user, getAddress(dave));
    await paid.agent.write.settle([[usage(carol2, 5n), usage(carolKey, 1n)]], { account: alice });
    assert.equal((await paid.agent.read.account([carol])).credits, 94);
    assert.equal((await paid.agent.read.account([dave])).credits, 10);
  });

  it("lets the holder revoke a key once", async () => {
    const { paid, carol, dave, carolKey } = await networkHelpers.loadFixture(fixture);
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.revokeApiKey([carolKey], { account: dave }),
      paid.agent,
      "AgentNotKeyHolder",
      [getAddress(dave), carolKey],
    );
    await viem.assertions.emitWithArgs(
      paid.agent.write.revokeApiKey([carolKey], { account: carol }),
      paid.agent,
      "ApiKeyRevoked",
      [getAddress(carol), carolKey],
    );
    assert.equal((await paid.agent.read.apiKey([carolKey])).revokedAt, await networkHelpers.time.latest());
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.revokeApiKey([carolKey], { account: carol }),
      paid.agent,
      "AgentApiKeyRevokedAlready",
      [carolKey],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.revokeApiKey([keyIdOf(carol, "nope")], { account: carol }),
      paid.agent,
      "AgentUnknownApiKey",
      [keyIdOf(carol, "nope")],
    );
  });
});

describe("Agent settlement", () => {
  it("settles usage into revenue: protocol fee, then shareholders; value and paying users feed the score", async () => {
    const { paid, alice, carol, treasury, carolKey, publicClient } = await networkHelpers.loadFixture(fixture);
    const value = 40n * PRICE;
    const settled = paid.agent.write.settle([[usage(carolKey, 40n)]], { account: alice });
    await viem.assertions.emitWithArgs(settled, paid.agent, "UsageSettled", [
      carolKey,
      getAddress(carol),
      1n,
      40n,
      value,
    ]);
    const receipt = await publicClient.waitForTransactionReceipt({ hash: await settled });
    assert.deepEqual(parseEventLogs({ abi: paid.agent.abi, logs: receipt.logs, eventName: "UsageLimited" }), []);
    const fee = (value * FEE_BPS) / 10_000n;
    assert.equal(await paid.agent.read.protocolFeesOwed(), fee);
    assert.equal(await paid.agent.read.creditsValue(), 60n * PRICE);
    assert.equal(await paid.agent.read.withdrawable([alice]), value - fee);
    const metrics = await paid.ledger.read.metrics();
    assert.equal(metrics.calls, 40n);
    assert.equal(metrics.settledValue, value);
    assert.equal(metrics.payers, 1);
    assert.equal(metrics.payerWeight, value, "below the full-user spend, a payer weighs what it spent");
    assert.equal((await paid.agent.read.account([carol])).spent, value);
    assert.equal((await paid.agent.read.apiKey([carolKey])).spent, 40n);

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

  it("charges a replayed line nothing: 10 units served are 10 charged, however often the batch is sent", async () => {
    const { paid, alice, carol, carolKey } = await networkHelpers.loadFixture(fixture);
    await paid.agent.write.settle([[usage(carolKey, 10n, 1n)]], { account: alice });
    const replay = paid.agent.write.settle([[usage(carolKey, 10n, 1n)]], { account: alice });
    await viem.assertions.emitWithArgs(replay, paid.agent, "UsageReplayed", [carolKey, 1n]);
    await paid.agent.write.settle([[usage(carolKey, 10n, 1n), usage(carolKey, 5n, 2n)]], { account: alice });
    assert.equal((await paid.agent.read.apiKey([carolKey])).spent, 15n);
    assert.equal((await paid.agent.read.apiKey([carolKey])).sequence, 2n);
    assert.equal((await paid.agent.read.account([carol])).credits, 85);
    assert.equal((await paid.ledger.read.metrics()).calls, 15n);
    // A line numbered below the last one is a replay too, even with new units.
    await paid.agent.write.settle([[usage(carolKey, 30n, 1n)]], { account: alice });
    assert.equal((await paid.agent.read.apiKey([carolKey])).spent, 15n);
  });

  it("never charges beyond a key's cap: an exhausted key is charged nothing more", async () => {
    const { paid, alice, carol, carolKey } = await networkHelpers.loadFixture(fixture);
    await paid.agent.write.settle([[usage(carolKey, 50n, 1n), usage(carolKey, 50n, 2n)]], { account: alice });
    assert.equal((await paid.agent.read.apiKey([carolKey])).spent, 60n);
    const limited = paid.agent.write.settle([[usage(carolKey, 5n, 3n)]], { account: alice });
    await viem.assertions.emitWithArgs(limited, paid.agent, "UsageSettled", [carolKey, getAddress(carol), 3n, 0n, 0n]);
    await viem.assertions.emitWithArgs(limited, paid.agent, "UsageLimited", [carolKey, 3n, 5n, ChargeLimit.SpendCap]);
    assert.equal((await paid.agent.read.account([carol])).credits, 40);
  });

  it("never charges beyond the user's credits", async () => {
    const { paid, alice, carol } = await networkHelpers.loadFixture(fixture);
    await paid.agent.write.createApiKey([secretHashOf("carol-2"), 1_000n], { account: carol });
    const key = keyIdOf(carol, "carol-2");
    const limited = paid.agent.write.settle([[usage(key, 90n, 1n), usage(key, 30n, 2n)]], { account: alice });
    await viem.assertions.emitWithArgs(limited, paid.agent, "UsageSettled", [
      key,
      getAddress(carol),
      2n,
      10n,
      10n * PRICE,
    ]);
    await viem.assertions.emitWithArgs(limited, paid.agent, "UsageLimited", [key, 2n, 30n, ChargeLimit.Credits]);
    const account = await paid.agent.read.account([carol]);
    assert.equal(account.credits, 0);
    assert.equal(account.deposit, 0n);
    assert.equal((await paid.agent.read.apiKey([key])).spent, 100n);
    assert.equal(await paid.agent.read.creditsValue(), 0n);
  });

  it("values usage at the average price paid, rounded down in the user's favour", async () => {
    const { paid, alice, carol, carolKey } = await networkHelpers.loadFixture(fixture);
    await paid.agent.write.setPrice([2n * PRICE + 1n], { account: alice });
    await paid.agent.write.buyCredits([1n], { account: carol, value: 2n * PRICE + 1n });
    // 101 credits for 102·PRICE + 1 wei: one credit is worth floor((102·PRICE + 1) / 101).
    const deposit = 102n * PRICE + 1n;
    const value = deposit / 101n;
    assert.notEqual(value * 101n, deposit, "the average is not a whole number of wei");
    await viem.assertions.emitWithArgs(
      paid.agent.write.settle([[usage(carolKey, 1n)]], { account: alice }),
      paid.agent,
      "UsageSettled",
      [carolKey, getAddress(carol), 1n, 1n, value],
    );
    assert.equal((await paid.agent.read.account([carol])).deposit, deposit - value);
  });

  it("settles a revoked key's usage during the grace only: a year later it bills nothing", async () => {
    const { paid, alice, carol, carolKey } = await networkHelpers.loadFixture(fixture);
    await paid.agent.write.revokeApiKey([carolKey], { account: carol });
    await networkHelpers.time.increase(HOUR - 10);
    await paid.agent.write.settle([[usage(carolKey, 10n, 1n)]], { account: alice });
    assert.equal((await paid.agent.read.apiKey([carolKey])).spent, 10n, "served before the revocation");
    await networkHelpers.time.increase(365 * DAY);
    const limited = paid.agent.write.settle([[usage(carolKey, 20n, 2n)]], { account: alice });
    await viem.assertions.emitWithArgs(limited, paid.agent, "UsageSettled", [carolKey, getAddress(carol), 2n, 0n, 0n]);
    await viem.assertions.emitWithArgs(limited, paid.agent, "UsageLimited", [carolKey, 2n, 20n, ChargeLimit.Revoked]);
    assert.equal((await paid.agent.read.account([carol])).credits, 90);
  });

  it("during a refund notice charges at most what the user acknowledged, then nothing: the deposit is the user's", async () => {
    const { paid, alice, carol, carolKey } = await networkHelpers.loadFixture(fixture);
    await paid.agent.write.requestCreditRefund([10n], { account: carol });
    // The operator tries to take the whole balance during the notice.
    const limited = paid.agent.write.settle([[usage(carolKey, 60n, 1n)]], { account: alice });
    await viem.assertions.emitWithArgs(limited, paid.agent, "UsageSettled", [
      carolKey,
      getAddress(carol),
      1n,
      10n,
      10n * PRICE,
    ]);
    await viem.assertions.emitWithArgs(limited, paid.agent, "UsageLimited", [
      carolKey,
      1n,
      60n,
      ChargeLimit.RefundNotice,
    ]);
    assert.equal(await paid.agent.read.refundAllowance([carol]), 0n);
    await paid.agent.write.settle([[usage(carolKey, 5n, 2n)]], { account: alice });
    assert.equal((await paid.agent.read.account([carol])).credits, 90);
    await networkHelpers.time.increase(DAY);
    const afterNotice = paid.agent.write.settle([[usage(carolKey, 5n, 3n)]], { account: alice });
    await viem.assertions.emitWithArgs(afterNotice, paid.agent, "UsageSettled", [
      carolKey,
      getAddress(carol),
      3n,
      0n,
      0n,
    ]);
    await viem.assertions.emitWithArgs(afterNotice, paid.agent, "UsageLimited", [
      carolKey,
      3n,
      5n,
      ChargeLimit.RefundDue,
    ]);
    await viem.assertions.balancesHaveChanged(paid.agent.write.withdrawCredits({ account: carol }), [
      { address: carol, amount: 90n * PRICE },
    ]);
  });

  it("rejects settlement from anyone but the operator, empty batches and unknown keys", async () => {
    const { paid, alice, carol, carolKey } = await networkHelpers.loadFixture(fixture);
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.settle([[usage(carolKey, 1n)]], { account: carol }),
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
      paid.agent.write.settle([[usage(keyIdOf(carol, "ghost"), 1n)]], { account: alice }),
      paid.agent,
      "AgentUnknownApiKey",
      [keyIdOf(carol, "ghost")],
    );
  });

  it("counts free usage as calls without value: it moves no score and earns no rating", async () => {
    const { free, bob, dave } = await networkHelpers.loadFixture(fixture);
    await free.agent.write.join({ account: dave });
    await free.agent.write.createApiKey([secretHashOf("dave"), 10n], { account: dave });
    const [scoreBefore] = await free.ledger.read.score();
    await free.agent.write.settle([[usage(keyIdOf(dave, "dave"), 7n)]], { account: bob });
    const metrics = await free.ledger.read.metrics();
    assert.equal(metrics.calls, 7n);
    assert.equal(metrics.settledValue, 0n);
    assert.equal(metrics.payers, 0);
    assert.equal((await free.ledger.read.score())[0], scoreBefore, "free usage is not engagement that cost anything");
    assert.equal(await free.agent.read.unclaimed(), 0n);
    await viem.assertions.revertWithCustomErrorWithArgs(
      free.agent.write.rate([4], { account: dave }),
      free.agent,
      "AgentRatingNotAllowed",
      [getAddress(dave)],
    );
  });
});

describe("Votes from spending", () => {
  it("turns settled spending into votes when anyone activates them, once", async () => {
    const { paid, alice, carol, erin, carolKey } = await networkHelpers.loadFixture(fixture);
    await paid.agent.write.settle([[usage(carolKey, 50n)]], { account: alice });
    assert.equal(await paid.ledger.read.getVotes([carol]), 0n, "not yet activated");
    const votes = (50n * PRICE) / (await paid.ledger.read.SPEND_PER_VOTE());
    await viem.assertions.emitWithArgs(
      paid.agent.write.activateVotes([carol], { account: erin }),
      paid.ledger,
      "SpendVotesActivated",
      [getAddress(carol), votes, votes],
    );
    assert.equal(await paid.ledger.read.getVotes([carol]), votes);
    assert.equal(await paid.ledger.read.spendVotesOf([carol]), votes);
    assert.equal(await paid.ledger.read.totalShares(), 10_000n, "spend votes are not shares");
    assert.equal(await paid.ledger.read.getVotes([erin]), 0n);
    const again = await paid.agent.simulate.activateVotes([carol], { account: erin });
    assert.equal(again.result, 0n);
    // Refunding the unspent rest takes no vote away: spending is final.
    await paid.agent.write.requestCreditRefund([0n], { account: carol });
    await networkHelpers.time.increase(DAY);
    await paid.agent.write.withdrawCredits({ account: carol });
    assert.equal(await paid.ledger.read.getVotes([carol]), votes);
  });
});

describe("Receipt signer", () => {
  it("is registered by the operator alone and cleared when the operator changes", async () => {
    const { paid, alice, carol, erin } = await networkHelpers.loadFixture(fixture);
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.setReceiptSigner([carol], { account: carol }),
      paid.agent,
      "AgentNotOperator",
      [getAddress(carol)],
    );
    await viem.assertions.emitWithArgs(
      paid.agent.write.setReceiptSigner([erin], { account: alice }),
      paid.agent,
      "ReceiptSignerChanged",
      [getAddress(erin)],
    );
    assert.equal(await paid.agent.read.receiptSigner(), getAddress(erin));
    await paid.agent.write.setOperator([carol], { account: alice });
    assert.equal(await paid.agent.read.receiptSigner(), zeroAddress);
  });
});
