import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress, zeroAddress } from "viem";
import { createAgent, deployHexs, must } from "./helpers/deploy.ts";
import { agentParams } from "./helpers/params.ts";
import { agentAbi, agentDAOAbi } from "../../src/lib/contracts/abis.ts";

const connection = await network.create();
const { networkHelpers, viem } = connection;

async function fixture() {
  const hexs = await deployHexs(connection);
  const account = (i: number) => must(hexs.others[i], `account ${i}`).account.address;
  return { ...hexs, a: account(0), b: account(1), c: account(3) };
}

describe("HexsFactory", () => {
  it("creates an agent at the predicted addresses and registers it", async () => {
    const hexs = await networkHelpers.loadFixture(fixture);
    const owner = hexs.a;
    const params = agentParams(owner, "alpha");
    const [agentAddr, ledgerAddr, daoAddr] = await hexs.factory.read.predictAddresses([owner, params]);
    const { agent, ledger, dao, receipt } = await createAgent(hexs, owner, "alpha");
    await viem.assertions.emitWithArgs(Promise.resolve(receipt.transactionHash), hexs.factory, "AgentCreated", [
      agent.address,
      ledger.address,
      dao.address,
      getAddress(owner),
      zeroAddress,
      params.metadata.modelCardCid,
      params.metadata.name,
      params.metadata.baseModel,
    ]);
    assert.equal(agent.address, getAddress(agentAddr));
    assert.equal(ledger.address, getAddress(ledgerAddr));
    assert.equal(dao.address, getAddress(daoAddr));
    assert.equal(await hexs.factory.read.agentCount(), 1n);
    assert.equal(await hexs.factory.read.isAgent([agent.address]), true);
    assert.deepEqual(await hexs.factory.read.agentsOf([owner]), [agent.address]);
    assert.equal(await ledger.read.sharesOf([owner]), 10_000n);
    assert.equal(await ledger.read.getVotes([owner]), 10_000n, "the creator's shares, no membership weight");
    assert.equal(await dao.read.name(), "HEXS Agent DAO");
  });

  it("pages the registry and renders marketplace cards from one call", async () => {
    const hexs = await networkHelpers.loadFixture(fixture);
    const { a, b } = hexs;
    const created = [];
    for (const [i, owner] of [a, b, a].entries()) created.push(await createAgent(hexs, owner, `agent-${i}`));
    const addresses = created.map((c) => c.agent.address);
    assert.deepEqual(await hexs.factory.read.agents([0n, 2n]), addresses.slice(0, 2));
    assert.deepEqual(await hexs.factory.read.agents([1n, 10n]), addresses.slice(1));
    assert.deepEqual(await hexs.factory.read.agents([5n, 10n]), []);
    assert.deepEqual(await hexs.factory.read.agentsOf([a]), [addresses[0], addresses[2]]);
    const cards = await hexs.factory.read.summaries([0n, 10n]);
    assert.equal(cards.length, 3);
    const card = must(cards[1], "card 1");
    assert.equal(card.name, "agent-1");
    assert.equal(card.owner, getAddress(b));
    assert.equal(card.score, 1666n);
    assert.equal(card.popularity, 0n, "the creator is not a paying user");
    assert.equal(card.rating, 5000n);
    assert.equal(card.settledValue, 0n);
    assert.equal(card.baseModel, "hexs/tiny-gpt");
    assert.equal(card.weightsCid, must(created[1], "agent 1").params.metadata.initialWeightsCid);
    const picked = await hexs.factory.read.summariesOf([[must(addresses[2], "agent 2")]]);
    assert.equal(must(picked[0], "picked card").name, "agent-2");
  });

  it("tells agents from other addresses", async () => {
    const hexs = await networkHelpers.loadFixture(fixture);
    const { ledger, dao } = await createAgent(hexs, hexs.a, "alpha");
    const [agentImpl] = await hexs.factory.read.implementations();
    assert.equal(await hexs.factory.read.isAgent([hexs.b]), false, "an account");
    assert.equal(await hexs.factory.read.isAgent([ledger.address]), false, "a contract without registryIndex");
    assert.equal(await hexs.factory.read.isAgent([dao.address]), false);
    assert.equal(await hexs.factory.read.isAgent([agentImpl]), false, "the implementation");
  });

  it("validates creation parameters", async () => {
    const hexs = await networkHelpers.loadFixture(fixture);
    const owner = hexs.a;
    const base = agentParams(owner, "bad");
    await viem.assertions.revertWithCustomError(
      hexs.factory.write.createAgent([{ ...base, metadata: { ...base.metadata, name: "" } }], { account: owner }),
      hexs.factory,
      "HexsFactoryMissingMetadata",
    );
    // The DAO checks its own bounds inside createAgent; decode its errors with the DAO ABI.
    const asDao = { abi: agentDAOAbi, address: hexs.factory.address };
    for (const [votingDelay, votingPeriod, quorumPercent, error, args] of [
      [0, 0, 4, "AgentDAOInvalidVotingPeriod", [0n, 3600n, 2_592_000n]],
      [0, 3599, 4, "AgentDAOInvalidVotingPeriod", [3599n, 3600n, 2_592_000n]],
      [0, 2_592_001, 4, "AgentDAOInvalidVotingPeriod", [2_592_001n, 3600n, 2_592_000n]],
      [604_801, 3600, 4, "AgentDAOInvalidVotingDelay", [604_801n, 604_800n]],
      [0, 3600, 0, "AgentDAOInvalidQuorum", [0n]],
      [0, 3600, 101, "AgentDAOInvalidQuorum", [101n]],
    ] as const) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        hexs.factory.write.createAgent([{ ...base, votingDelay, votingPeriod, quorumPercent }], { account: owner }),
        asDao,
        error,
        [...args],
      );
    }
    // The Agent reverts inside createAgent; decode its errors with the Agent ABI.
    const asAgent = { abi: agentAbi, address: hexs.factory.address };
    await viem.assertions.revertWithCustomError(
      hexs.factory.write.createAgent([{ ...base, settings: { ...base.settings, operator: zeroAddress } }], {
        account: owner,
      }),
      asAgent,
      "AgentInvalidOperator",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      hexs.factory.write.createAgent([{ ...base, settings: { ...base.settings, pricePerCredit: 0n } }], {
        account: owner,
      }),
      asAgent,
      "AgentInvalidPrice",
      [0n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      hexs.factory.write.createAgent(
        [{ ...base, metadata: { ...base.metadata, baseModelRevision: "x".repeat(65_536) } }],
        { account: owner },
      ),
      hexs.factory,
      "AgentArgsStringTooLong",
      [65_536n],
    );
    await createAgent(hexs, owner, "bad");
    await viem.assertions.revertWithCustomError(
      hexs.factory.write.createAgent([base], { account: owner }),
      hexs.factory,
      "FailedDeployment",
    );
  });

  it("keeps implementations locked", async () => {
    const hexs = await networkHelpers.loadFixture(fixture);
    const [agentImpl, ledgerImpl, daoImpl] = await hexs.factory.read.implementations();
    const who = hexs.a;
    const agent = hexs.at.agent(agentImpl);
    const ledger = hexs.at.ledger(ledgerImpl);
    const dao = hexs.at.dao(daoImpl);
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
    await viem.assertions.revertWithCustomError(dao.write.initialize([1, 3600, 1n]), dao, "InvalidInitialization");
  });

  it("sets the protocol fee within its cap, owner only, and hands ownership over in two steps", async () => {
    const hexs = await networkHelpers.loadFixture(fixture);
    const next = hexs.a;
    await viem.assertions.emitWithArgs(
      hexs.factory.write.setProtocolFee([next, 500n]),
      hexs.factory,
      "ProtocolFeeChanged",
      [getAddress(next), 500n],
    );
    assert.deepEqual(await hexs.factory.read.protocolFee(), [getAddress(next), 500n]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      hexs.factory.write.setProtocolFee([next, 501n]),
      hexs.factory,
      "HexsFactoryInvalidProtocolFee",
      [getAddress(next), 501n],
    );
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
    const nobody = hexs.c;
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
