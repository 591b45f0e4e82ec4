import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress, zeroAddress } from "viem";
import { createAgent, deployHexs } from "./helpers/deploy.ts";
import { agentParams } from "./helpers/params.ts";

const connection = await network.create();
const { networkHelpers } = connection;

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
    console.log("createAgent gas", receipt.gasUsed);
    assert.equal(agent.address, getAddress(agentAddr));
    assert.equal(ledger.address, getAddress(ledgerAddr));
    assert.equal(dao.address, getAddress(daoAddr));
    assert.equal(await hexs.factory.read.agentCount(), 1n);
    assert.deepEqual(await hexs.factory.read.agents([0n, 10n]), [agent.address]);
    assert.deepEqual(await hexs.factory.read.agentsOf([owner]), [agent.address]);
    const [card] = await hexs.factory.read.summaries([0n, 10n]);
    assert.equal(card.name, "alpha");
    assert.equal(card.owner, getAddress(owner));
    assert.equal(card.parent, zeroAddress);
    assert.equal(card.members, 1n);
    assert.equal(card.versionCount, 1n);
    assert.equal(await ledger.read.sharesOf([owner]), 10_000n);
    assert.equal(await ledger.read.getVotes([owner]), 10_100n);
    assert.equal(await dao.read.name(), "HEXS Agent DAO");
  });
});
