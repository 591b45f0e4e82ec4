// The edges of what the Agent accepts: each largest value a field holds is accepted and one more
// is refused, so an off-by-one in a bound (a `>` that should be `>=`) cannot hide; and every
// division that pays someone rounds down, in the payer's favour.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { maxUint64, maxUint96, parseEventLogs } from "viem";
import { createAgent } from "./helpers/deploy.ts";
import { keyIdOf, marketplaceFixture, secretHashOf } from "./helpers/fixture.ts";

const connection = await network.create();
const { networkHelpers, viem } = connection;
const MAX_CREDITS = 2n ** 48n - 1n;
const MAX_DEPOSIT = 2n ** 80n - 1n;

async function fixture() {
  return marketplaceFixture(connection);
}

describe("Agent bounds", () => {
  it("takes a key's spend cap up to 2^64 − 1 and a sale price up to 2^96 − 1, refusing one more", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    await m.free.agent.write.join({ account: m.carol });
    await m.free.agent.write.createApiKey([secretHashOf("max"), maxUint64], { account: m.carol });
    assert.equal((await m.free.agent.read.apiKey([keyIdOf(m.carol, "max")])).cap, maxUint64);
    await viem.assertions.revertWithCustomErrorWithArgs(
      m.free.agent.write.createApiKey([secretHashOf("over"), maxUint64 + 1n], { account: m.carol }),
      m.free.agent,
      "AgentInvalidSpendCap",
      [maxUint64 + 1n],
    );
    await m.paid.agent.write.listForSale([maxUint96], { account: m.alice });
    assert.equal((await m.paid.agent.read.summary()).salePrice, maxUint96);
    await viem.assertions.revertWithCustomErrorWithArgs(
      m.paid.agent.write.listForSale([maxUint96 + 1n], { account: m.alice }),
      m.paid.agent,
      "AgentInvalidPrice",
      [maxUint96 + 1n],
    );
  });

  it("sells exactly as many credits as an account can hold, and not one more", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    // A price at which the deposit, not the credit count, is the limit: (2^80 − 1) / 2^76 = 15 credits.
    const price = 2n ** 76n;
    await m.paid.agent.write.setPrice([price], { account: m.alice });
    const limit = MAX_DEPOSIT / price < MAX_CREDITS ? MAX_DEPOSIT / price : MAX_CREDITS;
    assert.equal(limit, 15n);
    await networkHelpers.setBalance(m.carol, 100n * limit * price);
    await viem.assertions.revertWithCustomErrorWithArgs(
      m.paid.agent.write.buyCredits([limit + 1n], { account: m.carol, value: (limit + 1n) * price }),
      m.paid.agent,
      "AgentInvalidCreditAmount",
      [limit + 1n, limit],
    );
    await m.paid.agent.write.buyCredits([limit], { account: m.carol, value: limit * price });
    assert.equal((await m.paid.agent.read.account([m.carol])).credits, Number(limit));
  });

  it("forwards a royalty rounded down: 7 wei at 20 % passes on 1 wei, not 2", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    const settings = { mode: 1, pricePerCredit: 10n ** 12n, royaltyBps: 2_000, operator: m.erin, endpoint: "" };
    const child = await createAgent(m, m.erin, "rounding-child", { parent: m.paid.agent.address, settings });
    const hash = await child.agent.write.receiveRoyalty([1n], { account: m.frank, value: 7n });
    const receipt = await (await viem.getPublicClient()).waitForTransactionReceipt({ hash });
    const [received] = parseEventLogs({
      abi: child.agent.abi,
      logs: receipt.logs,
      eventName: "RoyaltyReceived",
    }).filter((event) => event.address.toLowerCase() === child.agent.address.toLowerCase());
    assert.equal(received?.args.forwarded, 1n);
  });
});
