// The owner's settings (while the DAO has not taken them over), their validation, and the
// ledger's votes: auto self-delegation, delegating away and back.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress, zeroAddress } from "viem";
import { createAgent } from "./helpers/deploy.ts";
import { keyIdOf, marketplaceFixture, PRICE, secretHashOf, usage } from "./helpers/fixture.ts";

const connection = await network.create();
const { networkHelpers, viem } = connection;
const fixture = () => marketplaceFixture(connection);

describe("Agent owner settings", () => {
  it("lets the owner change price, mode, endpoint and operator, with events", async () => {
    const { paid, alice, frank } = await networkHelpers.loadFixture(fixture);
    await viem.assertions.emitWithArgs(
      paid.agent.write.setPrice([2n * PRICE], { account: alice }),
      paid.agent,
      "PriceChanged",
      [2n * PRICE],
    );
    await viem.assertions.emitWithArgs(
      paid.agent.write.setEndpoint(["https://x/v1"], { account: alice }),
      paid.agent,
      "EndpointChanged",
      ["https://x/v1"],
    );
    await viem.assertions.emitWithArgs(
      paid.agent.write.setOperator([frank], { account: alice }),
      paid.agent,
      "OperatorChanged",
      [getAddress(frank)],
    );
    await viem.assertions.emitWithArgs(
      paid.agent.write.setMode([0], { account: alice }),
      paid.agent,
      "ModeChanged",
      [0],
    );
    await paid.agent.write.setPrice([0n], { account: alice });
    assert.equal(await paid.agent.read.pricePerCredit(), 0n);
  });

  it("refuses a paid agent without a price, prices beyond 96 bits and a zero operator", async () => {
    const { paid, free, alice, bob } = await networkHelpers.loadFixture(fixture);
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.setPrice([0n], { account: alice }),
      paid.agent,
      "AgentInvalidPrice",
      [0n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.agent.write.setPrice([2n ** 96n], { account: alice }),
      paid.agent,
      "AgentInvalidPrice",
      [2n ** 96n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      free.agent.write.setMode([1], { account: bob }),
      free.agent,
      "AgentInvalidPrice",
      [0n],
    );
    await viem.assertions.revertWithCustomError(
      paid.agent.write.setOperator([zeroAddress], { account: alice }),
      paid.agent,
      "AgentInvalidOperator",
    );
  });
});

describe("Agent edge cases", () => {
  it("completes a refund request even when settlement used up every credit meanwhile", async () => {
    const { paid, alice, carol } = await networkHelpers.loadFixture(fixture);
    await paid.agent.write.buyCredits([5n], { account: carol, value: 5n * PRICE });
    await paid.agent.write.createApiKey([secretHashOf("carol"), 10n], { account: carol });
    await paid.agent.write.requestCreditRefund([5n], { account: carol });
    await paid.agent.write.settle([[usage(keyIdOf(carol, "carol"), 5n)]], { account: alice });
    await networkHelpers.time.increase(24 * 3600);
    await viem.assertions.emitWithArgs(
      paid.agent.write.withdrawCredits({ account: carol }),
      paid.agent,
      "CreditsRefunded",
      [getAddress(carol), 0n, 0n],
    );
  });

  it("sells to a buyer who was not a member yet, who becomes one", async () => {
    const { paid, alice, frank } = await networkHelpers.loadFixture(fixture);
    await paid.agent.write.listForSale([PRICE], { account: alice });
    await paid.agent.write.buyAgent([zeroAddress], { account: frank, value: PRICE });
    assert.equal(await paid.ledger.read.isMember([frank]), true);
    assert.equal(await paid.ledger.read.getVotes([frank]), 10_000n);
  });

  it("pays no royalty when a derived agent's royalty is zero", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    const child = await createAgent(m, m.erin, "child-0", { parent: m.paid.agent.address });
    await child.agent.write.buyCredits([10n], { account: m.frank, value: 10n * PRICE });
    await child.agent.write.createApiKey([secretHashOf("frank"), 10n], { account: m.frank });
    await child.agent.write.settle([[usage(keyIdOf(m.frank, "frank"), 10n)]], { account: m.erin });
    assert.equal(await m.paid.agent.read.unclaimed(), 0n);
    assert.equal(await child.agent.read.unclaimed(), 10n * PRICE - (10n * PRICE * 250n) / 10_000n);
  });
});

describe("AgentLedger votes", () => {
  it("counts every holder's votes without a delegation, and lets them delegate away and back", async () => {
    const { paid, alice, carol } = await networkHelpers.loadFixture(fixture);
    await paid.agent.write.buyCredits([100n], { account: carol, value: 100n * PRICE });
    await paid.agent.write.createApiKey([secretHashOf("carol"), 100n], { account: carol });
    await paid.agent.write.settle([[usage(keyIdOf(carol, "carol"), 100n)]], { account: alice });
    await paid.agent.write.activateVotes([carol]);
    assert.equal(await paid.ledger.read.delegates([carol]), getAddress(carol));
    assert.equal(await paid.ledger.read.getVotes([carol]), 10n, "100 credits of 10^12 wei spent: 10 votes");

    await paid.ledger.write.delegate([alice], { account: carol });
    assert.equal(await paid.ledger.read.getVotes([carol]), 0n);
    assert.equal(await paid.ledger.read.getVotes([alice]), 10_010n);
    // Delegating to the zero address means back to oneself; votes are never burnt.
    await paid.ledger.write.delegate([zeroAddress], { account: carol });
    assert.equal(await paid.ledger.read.delegates([carol]), getAddress(carol));
    assert.equal(await paid.ledger.read.getVotes([carol]), 10n);
    assert.equal(await paid.ledger.read.getVotes([alice]), 10_000n);
    assert.equal(await paid.ledger.read.versionCount(), 1n);
  });

  it("gives an outsider's delegation no weight: only shares and spending carry votes", async () => {
    const { paid, alice, frank } = await networkHelpers.loadFixture(fixture);
    const before = await paid.ledger.read.getVotes([alice]);
    await paid.ledger.write.delegate([alice], { account: frank });
    assert.equal(await paid.ledger.read.delegates([frank]), getAddress(alice));
    assert.equal(await paid.ledger.read.getVotes([alice]), before);
    assert.equal(await paid.ledger.read.getVotes([frank]), 0n);
  });

  it("uses fixed EIP-712 domains for ledger votes and DAO ballots", async () => {
    const { paid } = await networkHelpers.loadFixture(fixture);
    const [, ledgerName, ledgerVersion, , ledgerContract] = await paid.ledger.read.eip712Domain();
    assert.equal(ledgerName, "HEXS Agent Ledger");
    assert.equal(ledgerVersion, "1");
    assert.equal(ledgerContract, paid.ledger.address);
    const [, daoName, daoVersion, , daoContract] = await paid.dao.read.eip712Domain();
    assert.equal(daoName, "HEXS Agent DAO");
    assert.equal(daoVersion, "1");
    assert.equal(daoContract, paid.dao.address);
  });
});
