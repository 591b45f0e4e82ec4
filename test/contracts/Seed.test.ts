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
      wallets: [hexs.deployer, ...hexs.others].slice(0, 8),
      factory: hexs.factory.address,
      content: content(),
    });

    assert.equal(summary.agents.length, 6);
    assert.equal(await hexs.factory.read.agentCount(), 6n);
    const cards = await hexs.factory.read.summaries([0n, 10n]);
    assert.ok(cards.some((c) => c.mode === 0) && cards.some((c) => c.mode === 1), "free and paid agents");
    assert.ok(
      cards.every((c) => c.calls > 0n),
      "every agent has settled usage",
    );
    assert.ok(
      cards.every((c) => c.ratingCount > 0n && c.members > 1n),
      "ratings and members",
    );
    assert.equal(must(cards[0], "card 0").versionCount, 2n);
    assert.ok(
      cards.some((c) => c.salePrice > 0n),
      "one agent listed for sale",
    );

    const derived = summary.agents.find((a) => a.parent !== zeroAddress);
    assert.ok(derived);
    const parent = must(summary.agents[0], "agent 0");
    assert.equal(getAddress(derived.parent), parent.agent);
    assert.equal(await hexs.at.agent(derived.agent).read.royaltyBps(), 1_000n);
    const parentAgent = hexs.at.agent(parent.agent);
    assert.ok((await parentAgent.read.unclaimed()) > 0n, "the parent earned revenue and royalty");

    const dao = hexs.at.dao(summary.proposal.dao);
    assert.equal(await dao.read.proposalCount(), 1n);
    assert.equal(await dao.read.state([summary.proposal.proposalId]), 1); // Active
    const deadline = await dao.read.proposalDeadline([summary.proposal.proposalId]);
    const snapshot = await dao.read.proposalSnapshot([summary.proposal.proposalId]);
    assert.equal(deadline - snapshot, BigInt(SEED_VOTING_PERIOD));
  });
});
