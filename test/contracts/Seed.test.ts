import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress, zeroAddress } from "viem";
import { seedMarketplace, SEED_VOTING_PERIOD, type SeedContent } from "../../dev/seed/seedMarketplace.ts";
import { deployHexs, must } from "./helpers/deploy.ts";
import { testCid } from "./helpers/params.ts";

const connection = await network.create();

function content(): SeedContent {
  const names = ["story-weaver", "verse-smith", "story-weaver-noir", "haiku-bot", "tiny-chat", "code-poet"];
  return {
    agents: names.map((name, i) => ({
      name,
      modelCardCid: testCid(`${name}/card`),
      baseModel: i % 2 === 0 ? "hexs/tiny-stories-char" : "hexs/tiny-verse-char",
      baseModelRevision: "main",
      weightsCid: testCid(`${name}/weights`),
      datasetCid: testCid(`${name}/dataset`),
      metricsCid: testCid(`${name}/metrics`),
      endpoint: "http://127.0.0.1:8787/v1",
      versions:
        i === 0
          ? [
              {
                weightsCid: testCid(`${name}/v1`),
                datasetCid: testCid(`${name}/d1`),
                metricsCid: testCid(`${name}/m1`),
              },
            ]
          : [],
    })),
  };
}

describe("seedMarketplace", () => {
  it("seeds a live marketplace through real contract calls", async () => {
    const hexs = await deployHexs(connection);
    const summary = await seedMarketplace({
      publicClient: hexs.publicClient,
      wallets: [hexs.deployer, ...hexs.others].slice(0, 10),
      factory: hexs.factory.address,
      content: content(),
    });

    assert.equal(summary.agents.length, 6);
    assert.equal(await hexs.factory.read.agentCount(), 6n);
    const cards = await hexs.factory.read.summaries([0n, 10n]);
    assert.ok(cards.some((c) => c.mode === 0) && cards.some((c) => c.mode === 1), "free and paid agents");
    assert.ok(
      cards.every((c) => c.calls > 0n && c.members > 1n),
      "every agent has members and settled usage",
    );
    const paid = cards.filter((c) => c.mode === 1);
    assert.ok(
      paid.every((c) => c.settledValue > 0n && c.payers > 0n && c.raters > 0n),
      "paid agents have spending, paying users and ratings weighed by it",
    );
    assert.ok(
      cards.filter((c) => c.mode === 0).every((c) => c.settledValue === 0n && c.raters === 0n),
      "free agents have no paid signals: nothing to rate with",
    );
    assert.equal(new Set(paid.map((c) => c.score)).size, paid.length, "no two paid agents score alike");
    assert.equal(new Set(cards.map((c) => c.members)).size > 2, true, "member counts vary");
    assert.equal(must(cards[0], "card 0").versionCount, 2n);
    assert.ok(
      cards.some((c) => c.salePrice > 0n),
      "one agent listed for sale",
    );
    const ledger0 = hexs.at.ledger(must(summary.agents[0], "agent 0").ledger);
    const payer = must(summary.agents[0]?.members[0], "agent 0's first user");
    assert.ok((await ledger0.read.getVotes([payer])) > 0n, "paying users vote with their spending");

    const derived = summary.agents.find((a) => a.parent !== zeroAddress);
    assert.ok(derived);
    const parent = must(summary.agents[0], "agent 0");
    assert.equal(getAddress(derived.parent), parent.agent);
    assert.equal(await hexs.at.agent(derived.agent).read.royaltyBps(), 1_000n);
    assert.equal(await hexs.at.agent(parent.agent).read.royaltyFloorBps(), 500n);
    const parentAgent = hexs.at.agent(parent.agent);
    assert.ok((await parentAgent.read.unclaimed()) > 0n, "the parent earned revenue and royalty");

    const dao = hexs.at.dao(summary.proposal.dao);
    assert.equal(await dao.read.proposalCount(), 1n);
    assert.equal(await dao.read.state([summary.proposal.proposalId]), 1); // Active
    const deadline = await dao.read.proposalDeadline([summary.proposal.proposalId]);
    const snapshot = await dao.read.proposalSnapshot([summary.proposal.proposalId]);
    assert.equal(deadline - snapshot, BigInt(SEED_VOTING_PERIOD));

    const queuedDao = hexs.at.dao(summary.queued.dao);
    assert.equal(await queuedDao.read.state([summary.queued.proposalId]), 5); // Queued
    assert.ok(
      (await queuedDao.read.proposalEta([summary.queued.proposalId])) >
        BigInt(await connection.networkHelpers.time.latest()),
    );
  });
});
