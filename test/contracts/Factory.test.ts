import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress, zeroAddress } from "viem";
import { createAgent, deployHexs } from "./helpers/deploy.ts";
import { agentParams } from "./helpers/params.ts";

const connection = await network.create();
const { networkHelpers, viem } = connection;

async function fixture() {
  return deployHexs(connection);
}

describe("HexsFactory", () => {
  it("creates an agent at the predicted addresses and registers it", async () => {
    const hexs = await networkHelpers.loadFixture(fixture);
    const owner = hexs.others[0].account.address;
    const params = agentParams(owner, "alpha");
    const [agentAddr, ledgerAddr, daoAddr] = await hexs.factory.read.predictAddresses([owner, params]);
    const { agent, ledger, dao, receipt } = await createAgent(hexs, owner, "alpha");
    await viem.assertions.emitWithArgs(
      Promise.resolve(receipt.transactionHash),
      hexs.factory,
      "AgentCreated",
      [agent.address, ledger.address, dao.address, getAddress(owner), zeroAddress, params.metadata.modelCardCid],
    );
    assert.equal(agent.address, getAddress(agentAddr));
    assert.equal(ledger.address, getAddress(ledgerAddr));
    assert.equal(dao.address, getAddress(daoAddr));
    assert.equal(await hexs.factory.read.agentCount(), 1n);
    assert.equal(await hexs.factory.read.isAgent([agent.address]), true);
    assert.deepEqual(await hexs.factory.read.agentsOf([owner]), [agent.address]);
    assert.equal(await ledger.read.sharesOf([owner]), 10_000n);
    assert.equal(await ledger.read.getVotes([owner]), 10_100n);
    assert.equal(await dao.read.name(), "HEXS Agent DAO");
  });

  it("pages the registry and renders marketplace cards from one call", async () => {
    const hexs = await networkHelpers.loadFixture(fixture);
    const [a, b] = hexs.others.map((w) => w.account.address);
    const created = [];
    for (const [i, owner] of [a, b, a].entries()) created.push(await createAgent(hexs, owner, `agent-${i}`));
    const addresses = created.map((c) => c.agent.address);
    assert.deepEqual(await hexs.factory.read.agents([0n, 2n]), addresses.slice(0, 2));
    assert.deepEqual(await hexs.factory.read.agents([1n, 10n]), addresses.slice(1));
    assert.deepEqual(await hexs.factory.read.agents([5n, 10n]), []);
    assert.deepEqual(await hexs.factory.read.agentsOf([a]), [addresses[0], addresses[2]]);
    const cards = await hexs.factory.read.summaries([0n, 10n]);
    assert.equal(cards.length, 3);
    assert.equal(cards[1].name, "agent-1");
    assert.equal(cards[1].owner, getAddress(b));
    assert.equal(cards[1].score, 1699n);
    assert.equal(cards[1].popularity, 99n);
    assert.equal(cards[1].rating, 5000n);
    assert.equal(cards[1].baseModel, "hexs/tiny-gpt");
    assert.equal(cards[1].weightsCid, created[1].params.metadata.initialWeightsCid);
    const picked = await hexs.factory.read.summariesOf([[addresses[2]]]);
    assert.equal(picked[0].name, "agent-2");
  });

  it("tells agents from other addresses", async () => {
    const hexs = await networkHelpers.loadFixture(fixture);
    const { ledger, dao } = await createAgent(hexs, hexs.others[0].account.address, "alpha");
    const [agentImpl] = await hexs.factory.read.implementations();
    assert.equal(await hexs.factory.read.isAgent([hexs.others[1].account.address]), false, "an account");
    assert.equal(await hexs.factory.read.isAgent([ledger.address]), false, "a contract without registryIndex");
    assert.equal(await hexs.factory.read.isAgent([dao.address]), false);
    assert.equal(await hexs.factory.read.isAgent([agentImpl]), false, "the implementation");
  });

  it("validates creation parameters", async () => {
    const hexs = await networkHelpers.loadFixture(fixture);
    const owner = hexs.others[0].account.address;
    const base = agentParams(owner, "bad");
    await viem.assertions.revertWithCustomError(
      hexs.factory.write.createAgent([{ ...base, metadata: { ...base.metadata, name: "" } }], { account: owner }),
      hexs.factory,
      "HexsFactoryMissingMetadata",
    );
    for (const [votingPeriod, quorumPercent] of [
      [0, 4],
      [3600, 0],
      [3600, 101],
    ]) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        hexs.factory.write.createAgent([{ ...base, votingPeriod, quorumPercent }], { account: owner }),
        hexs.factory,
        "HexsFactoryInvalidGovernance",
        [BigInt(votingPeriod), BigInt(quorumPercent)],
      );
    }
    const agentAbi = (await viem.getContractAt("Agent", hexs.factory.address)).abi;
    const asAgent = { abi: agentAbi };
    await viem.assertions.revertWithCustomError(
      hexs.factory.write.createAgent([{ ...base, settings: { ...base.settings, operator: zeroAddress } }], { account: owner }),
      asAgent,
      "AgentInvalidOperator",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      hexs.factory.write.createAgent([{ ...base, settings: { ...base.settings, pricePerCredit: 0n } }], { account: owner }),
      asAgent,
      "AgentInvalidPrice",
      [0n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      hexs.factory.write.createAgent([{ ...base, metadata: { ...base.metadata, baseModelRevision: "x".repeat(65_536) } }], { account: owner }),
      hexs.factory,
      "AgentArgsStringTooLong",
      [65_536n],
    );
    await createAgent(hexs, owner, "bad");
    await viem.assertions.revertWithCustomError(hexs.factory.write.createAgent([base], { account: owner }), hexs.factory, "FailedDeployment");
  });

  it("keeps implementations locked", async () => {
    const hexs = await networkHelpers.loadFixture(fixture);
    const [agentImpl, ledgerImpl, daoImpl] = await hexs.factory.read.implementations();
    const who = hexs.others[0].account.address;
    const agent = await viem.getContractAt("Agent", agentImpl);
    const ledger = await viem.getContractAt("AgentLedger", ledgerImpl);
    const dao = await viem.getContractAt("AgentDAO", daoImpl);
    await viem.assertions.revertWithCustomError(
      agent.write.initialize([who, { mode: 0, pricePerCredit: 0n, royaltyBps: 0, operator: who, endpoint: "" }, 0n]),
      agent,
      "InvalidInitialization",
    );
    await viem.assertions.revertWithCustomError(
      ledger.write.initialize([who, who, "x", agentParams(who, "x").firstVersion]),
      ledger,
      "InvalidInitialization",
    );
    await viem.assertions.revertWithCustomError(dao.write.initialize([1, 1, 1n]), dao, "InvalidInitialization");
  });

  it("sets the protocol fee within its cap, owner only, and hands ownership over in two steps", async () => {
    const hexs = await networkHelpers.loadFixture(fixture);
    const [next] = hexs.others.map((w) => w.account.address);
    await viem.assertions.emitWithArgs(hexs.factory.write.setProtocolFee([next, 500n]), hexs.factory, "ProtocolFeeChanged", [getAddress(next), 500n]);
    assert.deepEqual(await hexs.factory.read.protocolFee(), [getAddress(next), 500n]);
    await viem.assertions.revertWithCustomErrorWithArgs(hexs.factory.write.setProtocolFee([next, 501n]), hexs.factory, "HexsFactoryInvalidProtocolFee", [
      getAddress(next),
      501n,
    ]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      hexs.factory.write.setProtocolFee([zeroAddress, 1n]),
      hexs.factory,
      "HexsFactoryInvalidProtocolFee",
      [zeroAddress, 1n],
    );
    await hexs.factory.write.transferOwnership([next]);
    assert.equal(await hexs.factory.read.owner(), getAddress(hexs.deployer.account.address));
    await hexs.factory.write.acceptOwnership({ account: next });
    assert.equal(await hexs.factory.read.owner(), getAddress(next));
  });

  it("refuses implementations without code", async () => {
    const hexs = await networkHelpers.loadFixture(fixture);
    const [agentImpl, ledgerImpl, daoImpl] = await hexs.factory.read.implementations();
    const nobody = hexs.others[3].account.address;
    for (const impls of [
      [nobody, ledgerImpl, daoImpl],
      [agentImpl, nobody, daoImpl],
      [agentImpl, ledgerImpl, nobody],
    ]) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        viem.deployContract("HexsFactory", [nobody, impls[0], impls[1], impls[2], nobody, 250n]),
        hexs.factory,
        "HexsFactoryInvalidImplementation",
        [getAddress(nobody)],
      );
    }
  });
});
