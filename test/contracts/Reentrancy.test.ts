// Every function that sends ETH, called by a receiver that re-enters on payment: the re-entry is
// refused by the guard (ReentrancyGuardReentrantCall) and nothing is paid twice. A receiver that
// rejects ETH makes the payment fail with AgentTransferFailed and changes nothing.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { encodeFunctionData, slice, toFunctionSelector, type Hex } from "viem";
import { createAgent, must } from "./helpers/deploy.ts";
import { keyIdOf, marketplaceFixture, PRICE, secretHashOf, usage } from "./helpers/fixture.ts";
import { agentParams } from "./helpers/params.ts";
import { deployTestContract, reentrantReceiverAbi } from "./helpers/testContracts.ts";

const connection = await network.create();
const { networkHelpers, viem } = connection;
const GUARD_ERROR = toFunctionSelector("ReentrancyGuardReentrantCall()");

async function fixture() {
  const m = await marketplaceFixture(connection);
  const attacker = await deployTestContract(connection, m, "ReentrantReceiver", reentrantReceiverAbi);
  return { ...m, attacker };
}

type Fixture = Awaited<ReturnType<typeof fixture>>;

function agentData(m: Fixture, functionName: string, args: readonly unknown[] = []): Hex {
  return encodeFunctionData({ abi: m.paid.agent.abi, functionName, args } as never);
}

async function assertRefused(m: Fixture) {
  assert.equal(await m.attacker.read.reentered(), false, "the re-entry did not succeed");
  assert.equal(slice(await m.attacker.read.reentryError(), 0, 4), GUARD_ERROR, "the guard refused it");
}

describe("reentrancy", () => {
  it("buyCredits: re-entering from the excess refund is refused; one purchase is recorded", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    await m.attacker.write.setAttack([m.paid.agent.address, agentData(m, "buyCredits", [1n])]);
    await m.attacker.write.act([m.paid.agent.address, agentData(m, "buyCredits", [10n])], { value: 10n * PRICE + 7n });
    await assertRefused(m);
    assert.equal((await m.paid.agent.read.account([m.attacker.address])).credits, 10);
    assert.equal(await m.attacker.read.received(), 7n);
  });

  it("withdrawCredits: re-entering from the refund is refused; the deposit is paid once", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    await m.attacker.write.act([m.paid.agent.address, agentData(m, "buyCredits", [10n])], { value: 10n * PRICE });
    await m.attacker.write.act([m.paid.agent.address, agentData(m, "requestCreditRefund", [0n])]);
    await networkHelpers.time.increase(24 * 3600);
    await m.attacker.write.setAttack([m.paid.agent.address, agentData(m, "withdrawCredits")]);
    await m.attacker.write.act([m.paid.agent.address, agentData(m, "withdrawCredits")]);
    await assertRefused(m);
    assert.equal(await m.attacker.read.received(), 10n * PRICE);
    assert.equal(await m.paid.agent.read.creditsValue(), 0n);
  });

  /** The attacker creates an agent (it owns the shares and operates it); Carol buys and uses it. */
  async function attackersAgent(m: Fixture) {
    const params = agentParams(m.attacker.address, "attacker-agent");
    await m.attacker.write.act([
      m.factory.address,
      encodeFunctionData({ abi: m.factory.abi, functionName: "createAgent", args: [params] }),
    ]);
    const agentAddress = must((await m.factory.read.agentsOf([m.attacker.address]))[0], "attacker's agent");
    const target = m.at.agent(agentAddress);
    await target.write.buyCredits([100n], { account: m.carol, value: 100n * PRICE });
    await target.write.createApiKey([secretHashOf("carol"), 100n], { account: m.carol });
    await m.attacker.write.act([agentAddress, agentData(m, "settle", [[usage(keyIdOf(m.carol, "carol"), 100n)]])]);
    return target;
  }

  for (const reentry of ["withdraw", "receiveRoyalty"] as const) {
    it(`withdraw: re-entering ${reentry} from the payout is refused; earnings are paid once`, async () => {
      const m = await networkHelpers.loadFixture(fixture);
      const target = await attackersAgent(m);
      const owed = await target.read.withdrawable([m.attacker.address]);
      assert.ok(owed > 0n);
      await m.attacker.write.setAttack([target.address, agentData(m, reentry, reentry === "withdraw" ? [] : [0n])]);
      await m.attacker.write.act([target.address, agentData(m, "withdraw")]);
      await assertRefused(m);
      assert.equal(await m.attacker.read.received(), owed);
      assert.equal(await target.read.withdrawable([m.attacker.address]), 0n);
    });
  }

  it("withdrawProtocolFees: a treasury that re-enters is refused; fees are paid once", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    await m.factory.write.setProtocolFee([m.attacker.address, 500n]);
    await m.paid.agent.write.buyCredits([100n], { account: m.carol, value: 100n * PRICE });
    await m.paid.agent.write.createApiKey([secretHashOf("carol"), 100n], { account: m.carol });
    await m.paid.agent.write.settle([[usage(keyIdOf(m.carol, "carol"), 100n)]], { account: m.alice });
    const fees = await m.paid.agent.read.protocolFeesOwed();
    await m.attacker.write.setAttack([m.paid.agent.address, agentData(m, "withdrawProtocolFees")]);
    await m.paid.agent.write.withdrawProtocolFees({ account: m.carol });
    await assertRefused(m);
    assert.equal(await m.attacker.read.received(), fees);
  });

  it("a receiver that rejects ETH makes the payment fail with AgentTransferFailed and keeps the balance", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    await m.attacker.write.setRejectPayments([true]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      m.attacker.write.act([m.paid.agent.address, agentData(m, "buyCredits", [1n])], { value: PRICE + 1n }),
      m.paid.agent,
      "AgentTransferFailed",
      [m.attacker.address, 1n],
    );
    assert.equal((await m.paid.agent.read.account([m.attacker.address])).credits, 0);
  });

  it("the royalty goes only to a registered parent agent, whose receiveRoyalty is guarded too", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    await viem.assertions.revertWithCustomErrorWithArgs(
      m.factory.write.createAgent([{ ...agentParams(m.erin, "evil-child"), parent: m.attacker.address }], {
        account: m.erin,
      }),
      m.factory,
      "HexsFactoryUnknownParent",
      [m.attacker.address],
    );
    const child = await createAgent(m, m.erin, "child", {
      parent: m.paid.agent.address,
      settings: { mode: 1, pricePerCredit: PRICE, royaltyBps: 1_000, operator: m.erin, endpoint: "" },
    });
    await viem.assertions.revertWithCustomErrorWithArgs(
      m.paid.agent.write.receiveRoyalty([1n], { account: m.erin, value: 0n }),
      m.paid.agent,
      "AgentInsufficientPayment",
      [0n, 1n],
    );
    assert.equal((await child.agent.read.links()).parent, m.paid.agent.address);
  });
});
