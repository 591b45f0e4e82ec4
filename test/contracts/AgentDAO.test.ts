// Journey: a full DAO proposal → vote → queue → (timelock) → execute for each Agent setter, a
// contributed version, a benchmark result, a treasury transfer and the DAO's own settings;
// proposals are listable on chain.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import {
  encodeFunctionData,
  getAddress,
  keccak256,
  parseEventLogs,
  toHex,
  zeroAddress,
  type Address,
  type Hex,
} from "viem";
import { createAgent, must } from "./helpers/deploy.ts";
import { keyIdOf, marketplaceFixture, PRICE, secretHashOf, usage, type Marketplace } from "./helpers/fixture.ts";
import { testCid, trainingRecord } from "./helpers/params.ts";

const connection = await network.create();
const { networkHelpers, viem } = connection;

const EXECUTION_DELAY = 2 * 24 * 3600;

/** Carol spent 10 credits (10^13 wei) on the paid agent: one vote, enough to propose. */
async function fixture() {
  const m = await marketplaceFixture(connection);
  await m.paid.agent.write.buyCredits([10n], { account: m.carol, value: 10n * PRICE });
  await m.paid.agent.write.createApiKey([secretHashOf("carol"), 10n], { account: m.carol });
  await m.paid.agent.write.settle([[usage(keyIdOf(m.carol, "carol"), 10n)]], { account: m.alice });
  await m.paid.agent.write.activateVotes([m.carol]);
  return m;
}

type Ctx = Marketplace["paid"];
interface Call {
  target: Address;
  value?: bigint;
  data: Hex;
}

/**
 * Proposes `calls` as `proposer`, has the owner vote for it, waits out the vote, queues it and
 * waits out the timelock; `execute` then runs it.
 */
async function pass(m: Marketplace, ctx: Ctx, calls: Call[], description: string, proposer: Address = m.alice) {
  const hash = await ctx.dao.write.propose(
    [calls.map((c) => c.target), calls.map((c) => c.value ?? 0n), calls.map((c) => c.data), description],
    { account: proposer },
  );
  const receipt = await m.publicClient.waitForTransactionReceipt({ hash });
  const [created] = parseEventLogs({ abi: ctx.dao.abi, logs: receipt.logs, eventName: "ProposalCreated" });
  const id = must(created, "ProposalCreated").args.proposalId;
  await networkHelpers.time.increase(2);
  await ctx.dao.write.castVote([id, 1], { account: await ctx.agent.read.owner() });
  await networkHelpers.time.increase(3601);
  assert.equal(await ctx.dao.read.state([id]), 4, "Succeeded");
  await ctx.dao.write.queue([id], { account: proposer });
  assert.equal(await ctx.dao.read.state([id]), 5, "Queued");
  await networkHelpers.time.increase(EXECUTION_DELAY);
  return { id, execute: ctx.dao.write.execute([id], { account: proposer }) };
}

function agentCall(ctx: Ctx, data: Hex): Call {
  return { target: ctx.agent.address, data };
}

function encode<const F extends string>(ctx: Ctx, functionName: F, args: readonly unknown[]): Hex {
  return encodeFunctionData({ abi: ctx.agent.abi, functionName, args } as never);
}

describe("AgentDAO", () => {
  it("changes price, mode, endpoint and operator through executed proposals", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    const { paid, frank } = m;
    const { execute } = await pass(
      m,
      paid,
      [
        agentCall(paid, encode(paid, "setPrice", [7n])),
        agentCall(paid, encode(paid, "setEndpoint", ["https://gateway.example/v1"])),
        agentCall(paid, encode(paid, "setOperator", [frank])),
        agentCall(paid, encode(paid, "setMode", [0])),
      ],
      "Retune the agent",
      m.carol,
    );
    await viem.assertions.emitWithArgs(execute, paid.agent, "PriceChanged", [7n]);
    assert.equal(await paid.agent.read.pricePerCredit(), 7n);
    assert.equal(await paid.agent.read.endpoint(), "https://gateway.example/v1");
    assert.equal(await paid.agent.read.operator(), getAddress(frank));
    assert.equal(await paid.agent.read.mode(), 0);
  });

  it("holds the royalty power from creation, and can take other powers from the owner", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    const child = await createAgent(m, m.erin, "child", {
      parent: m.paid.agent.address,
      settings: { mode: 1, pricePerCredit: PRICE, royaltyBps: 500, operator: m.erin, endpoint: "" },
    });
    await viem.assertions.revertWithCustomErrorWithArgs(
      child.agent.write.setRoyalty([0n], { account: m.erin }),
      child.agent,
      "AgentNotOwnerOrDao",
      [getAddress(m.erin), 16],
    );
    const proposal = await pass(
      m,
      child,
      [
        agentCall(child, encode(child, "setRoyalty", [2_000n])),
        agentCall(child, encode(child, "setDaoPowers", [1 | 16])),
      ],
      "Raise the royalty and take over pricing",
      m.erin,
    );
    await proposal.execute;
    assert.equal(await child.agent.read.royaltyBps(), 2_000n);
    assert.equal(await child.agent.read.daoPowers(), 17);
    await viem.assertions.revertWithCustomErrorWithArgs(
      child.agent.write.setPrice([1n], { account: m.erin }),
      child.agent,
      "AgentNotOwnerOrDao",
      [getAddress(m.erin), 1],
    );
    await child.agent.write.setEndpoint(["http://still-mine"], { account: m.erin });
  });

  it("accepts a version contributed by anyone, minting shares to the contributor, who becomes a member", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    const { paid, carol, frank } = m;
    const record = trainingRecord(frank, "carol-v1", 0);
    const { execute } = await pass(
      m,
      paid,
      [agentCall(paid, encode(paid, "publishVersion", [testCid("carol-v1"), record]))],
      "Accept Frank's version",
      carol,
    );
    await execute;
    assert.ok((await paid.ledger.read.sharesOf([frank])) > 0n);
    assert.equal(await paid.ledger.read.isMember([frank]), true);
    assert.equal((await paid.ledger.read.versionHeader([1n])).contributor, getAddress(frank));
    assert.equal(await paid.agent.read.weightsCid(), testCid("carol-v1"));
  });

  it("rejects a contributed version without a contributor", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    const { paid } = m;
    const record = trainingRecord(zeroAddress, "nobody", 0);
    const { execute } = await pass(
      m,
      paid,
      [agentCall(paid, encode(paid, "publishVersion", [testCid("nobody"), record]))],
      "No one",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(execute, paid.agent, "AgentInvalidContributor", [zeroAddress]);
  });

  it("records a benchmark result as its recorder, and taking every power leaves recording to the owner too", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    const { paid, alice } = m;
    const cids = (label: string): [string, string, string] => [
      testCid(`${label}/set`),
      testCid(`${label}/weights`),
      testCid(`${label}/result`),
    ];
    const { execute } = await pass(
      m,
      paid,
      [
        agentCall(paid, encode(paid, "recordMetric", cids("dao-run"))),
        agentCall(paid, encode(paid, "setDaoPowers", [63])),
      ],
      "Publish the community benchmark and take every power",
      m.carol,
    );
    await viem.assertions.emitWithArgs(execute, paid.ledger, "MetricRecorded", [
      0n,
      paid.dao.address,
      ...cids("dao-run"),
    ]);
    assert.equal(await paid.agent.read.daoPowers(), 63);
    await viem.assertions.emitWithArgs(
      paid.agent.write.recordMetric(cids("owner-run"), { account: alice }),
      paid.ledger,
      "MetricRecorded",
      [1n, getAddress(alice), ...cids("owner-run")],
    );
    assert.equal(await paid.ledger.read.metricCount(), 2n);
  });

  it("changes the score parameters, and refuses invalid ones", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    const { paid } = m;
    const params = {
      engagementK: 10n ** 16n,
      popularityK: 10,
      ratingPrior: 1,
      contributionBps: 1_000,
      fullUserSpend: 10n ** 14n,
    };
    const ok = await pass(m, paid, [agentCall(paid, encode(paid, "setScoreParams", [params]))], "Faster score");
    await viem.assertions.emit(ok.execute, paid.ledger, "ScoreParamsChanged");
    assert.deepEqual(await paid.ledger.read.scoreParams(), params);
    const bad = { ...params, contributionBps: 5_001 };
    const rejected = await pass(m, paid, [agentCall(paid, encode(paid, "setScoreParams", [bad]))], "Too much");
    await viem.assertions.revertWithCustomError(rejected.execute, paid.ledger, "AgentLedgerInvalidScoreParams");
  });

  it("moves treasury funds it holds", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    const { paid, deployer, frank } = m;
    await deployer.sendTransaction({ to: paid.dao.address, value: 10n ** 17n });
    const { execute } = await pass(m, paid, [{ target: frank, value: 4n * 10n ** 16n, data: "0x" }], "Grant to Frank");
    await viem.assertions.balancesHaveChanged(execute, [
      { address: frank, amount: 4n * 10n ** 16n },
      { address: paid.dao.address, amount: -4n * 10n ** 16n },
    ]);
  });

  it("changes its own voting period and quorum by proposal", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    const { paid } = m;
    const dao = (data: Hex): Call => ({ target: paid.dao.address, data });
    const { execute } = await pass(
      m,
      paid,
      [
        dao(encodeFunctionData({ abi: paid.dao.abi, functionName: "setVotingPeriod", args: [7200] })),
        dao(encodeFunctionData({ abi: paid.dao.abi, functionName: "updateQuorumNumerator", args: [10n] })),
      ],
      "Slower and stricter",
    );
    await execute;
    assert.equal(await paid.dao.read.votingPeriod(), 7200n);
    assert.equal(await paid.dao.read.quorumNumerator(), 10n);
  });

  it("refuses a voting period, delay or quorum that would make it unable to act, or act on one vote", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    const { paid } = m;
    const dao = (
      functionName: "setVotingPeriod" | "setVotingDelay" | "updateQuorumNumerator",
      arg: number | bigint,
    ) => ({
      target: paid.dao.address,
      data: encodeFunctionData({ abi: paid.dao.abi, functionName, args: [arg] } as never),
    });
    const cases = [
      [dao("setVotingPeriod", 60), "AgentDAOInvalidVotingPeriod", [60n, 3600n, 30n * 24n * 3600n]],
      [
        dao("setVotingPeriod", 365 * 24 * 3600),
        "AgentDAOInvalidVotingPeriod",
        [365n * 24n * 3600n, 3600n, 30n * 24n * 3600n],
      ],
      [dao("setVotingDelay", 30 * 24 * 3600), "AgentDAOInvalidVotingDelay", [30n * 24n * 3600n, 7n * 24n * 3600n]],
      [dao("updateQuorumNumerator", 0n), "AgentDAOInvalidQuorum", [0n]],
    ] as const;
    for (const [call, error, args] of cases) {
      const { execute } = await pass(m, paid, [call], `bad ${error} ${String(args[0])}`);
      await viem.assertions.revertWithCustomErrorWithArgs(execute, paid.dao, error, [...args]);
    }
  });

  it("runs a passed proposal only from its ETA, a timelock longer than a credit refund's notice", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    const { paid, alice } = m;
    assert.ok(
      BigInt(EXECUTION_DELAY) > (await paid.agent.read.REFUND_NOTICE_PERIOD()),
      "credit buyers can take their money out before a queued proposal takes effect",
    );
    assert.equal(await paid.dao.read.EXECUTION_DELAY(), BigInt(EXECUTION_DELAY));
    const hash = await paid.dao.write.propose([[paid.agent.address], [0n], [encode(paid, "setPrice", [3n])], "Later"], {
      account: alice,
    });
    const receipt = await m.publicClient.waitForTransactionReceipt({ hash });
    const [created] = parseEventLogs({ abi: paid.dao.abi, logs: receipt.logs, eventName: "ProposalCreated" });
    const id = must(created, "ProposalCreated").args.proposalId;
    await networkHelpers.time.increase(2);
    await paid.dao.write.castVote([id, 1], { account: alice });
    await networkHelpers.time.increase(3601);
    await viem.assertions.revertWithCustomError(
      paid.dao.write.execute([id], { account: alice }),
      paid.dao,
      "GovernorUnexpectedProposalState",
    );
    await viem.assertions.emit(paid.dao.write.queue([id], { account: alice }), paid.dao, "ProposalQueued");
    const eta = await paid.dao.read.proposalEta([id]);
    assert.equal(eta, BigInt(await networkHelpers.time.latest()) + BigInt(EXECUTION_DELAY));
    await networkHelpers.time.increase(EXECUTION_DELAY - 10);
    await viem.assertions.revertWithCustomErrorWithArgs(
      paid.dao.write.execute([id], { account: alice }),
      paid.dao,
      "AgentDAOTimelockNotReady",
      [id, eta],
    );
    await networkHelpers.time.increase(10);
    await paid.dao.write.execute([id], { account: alice });
    assert.equal(await paid.agent.read.pricePerCredit(), 3n);
  });

  it("lists proposals on chain and needs a member to propose", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    const { paid, frank } = m;
    const data = encode(paid, "setPrice", [9n]);
    const { id } = await pass(m, paid, [agentCall(paid, data)], "List me");
    assert.equal(await paid.dao.read.proposalCount(), 1n);
    const [listedId, targets, , calldatas, descriptionHash] = await paid.dao.read.proposalDetailsAt([0n]);
    assert.equal(listedId, id);
    assert.deepEqual(targets, [paid.agent.address]);
    assert.deepEqual(calldatas, [data]);
    assert.equal(descriptionHash, keccak256(toHex("List me")));
    assert.equal(await paid.dao.read.name(), "HEXS Agent DAO");
    assert.equal(await paid.dao.read.proposalThreshold(), 1n);
    await viem.assertions.revertWithCustomError(
      paid.dao.write.propose([[paid.agent.address], [0n], [data], "spam"], { account: frank }),
      paid.dao,
      "GovernorInsufficientProposerVotes",
    );
  });

  it("defeats a proposal that misses the quorum", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    const { paid, carol } = m;
    const hash = await paid.dao.write.propose([[paid.agent.address], [0n], [encode(paid, "setPrice", [1n])], "Quiet"], {
      account: carol,
    });
    const receipt = await m.publicClient.waitForTransactionReceipt({ hash });
    const [created] = parseEventLogs({ abi: paid.dao.abi, logs: receipt.logs, eventName: "ProposalCreated" });
    await networkHelpers.time.increase(2);
    const id = must(created, "ProposalCreated").args.proposalId;
    await paid.dao.write.castVote([id, 1], { account: carol });
    await networkHelpers.time.increase(3601);
    assert.equal(await paid.dao.read.state([id]), 3, "Defeated: 1 of 10 001 votes is below 4 %");
  });
});
