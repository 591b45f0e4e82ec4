// The edges of what the contracts accept: each largest value a setting may take is accepted (and
// one more refused), each limit of a settlement is reached without being called a limit, each
// deadline holds to the second, and every division that pays someone rounds down — so that an
// off-by-one in a bound or a rounding (what `npm run mutation:contracts` flips) cannot hide.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress, maxUint64, maxUint96, parseEventLogs, type Hash } from "viem";
import { decodeListing } from "../../src/lib/chain/listing.ts";
import { createAgent, must } from "./helpers/deploy.ts";
import { FEE_BPS, keyIdOf, marketplaceFixture, PRICE, secretHashOf, usage } from "./helpers/fixture.ts";
import { testCid, trainingRecord } from "./helpers/params.ts";
import { deployTestContract, registryIndexStubAbi } from "./helpers/testContracts.ts";

const connection = await network.create();
const { networkHelpers, viem } = connection;
const MAX_CREDITS = 2n ** 48n - 1n;
const MAX_DEPOSIT = 2n ** 80n - 1n;

async function fixture() {
  return marketplaceFixture(connection);
}

/** Carol holds 100 credits of the paid agent and a key capped at 60. */
async function withKey() {
  const m = await marketplaceFixture(connection);
  await m.paid.agent.write.buyCredits([100n], { account: m.carol, value: 100n * PRICE });
  await m.paid.agent.write.createApiKey([secretHashOf("edge"), 60n], { account: m.carol });
  return { ...m, key: keyIdOf(m.carol, "edge") };
}

/** The events of one transaction, by name. */
async function eventsOf(abi: Parameters<typeof parseEventLogs>[0]["abi"], hash: Hash, eventName: string) {
  const receipt = await (await viem.getPublicClient()).waitForTransactionReceipt({ hash });
  return parseEventLogs({ abi, logs: receipt.logs, eventName } as never) as unknown as {
    address: string;
    args: Record<string, unknown>;
  }[];
}

const floorDiv = (a: bigint, b: bigint) => a / b;

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

describe("the largest settings", () => {
  it("are accepted: a price of 2^96 − 1 wei, a royalty floor and a child royalty of 50 %", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    await m.paid.agent.write.setPrice([maxUint96], { account: m.alice });
    assert.equal((await m.paid.agent.read.summary()).pricePerCredit, maxUint96);
    await m.paid.agent.write.setRoyaltyFloor([5_000n], { account: m.alice });
    assert.equal(await m.paid.agent.read.royaltyFloorBps(), 5_000n);
    const settings = { mode: 1, pricePerCredit: PRICE, royaltyBps: 5_000, operator: m.erin, endpoint: "" };
    const child = await createAgent(m, m.erin, "half-royalty", { parent: m.paid.agent.address, settings });
    assert.equal(await child.agent.read.royaltyBps(), 5_000n);
  });

  it("are accepted for a DAO: a week's voting delay, a 30-day vote, a 100 % quorum", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    const slow = await createAgent(m, m.erin, "slow-dao", {
      votingDelay: 7 * 24 * 3600,
      votingPeriod: 30 * 24 * 3600,
      quorumPercent: 100,
    });
    assert.equal(await slow.dao.read.votingDelay(), BigInt(7 * 24 * 3600));
    assert.equal(await slow.dao.read.votingPeriod(), BigInt(30 * 24 * 3600));
    assert.equal(await slow.dao.read["quorumNumerator"](), 100n);
  });

  it("are accepted for the score: a contribution of 50 % at score 0", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    const params = { ...(await m.paid.ledger.read.scoreParams()), contributionBps: 5_000 };
    await networkHelpers.impersonateAccount(m.paid.dao.address);
    await networkHelpers.setBalance(m.paid.dao.address, 10n ** 18n);
    await m.paid.agent.write.setScoreParams([params], { account: m.paid.dao.address });
    assert.equal((await m.paid.ledger.read.scoreParams()).contributionBps, 5_000);
  });
});

describe("settlement at its limits", () => {
  it("charges exactly the key's remaining cap, and a refund's allowance, without calling them limits", async () => {
    const m = await networkHelpers.loadFixture(withKey);
    const limited = async (hash: Hash) => eventsOf(m.paid.agent.abi, hash, "UsageLimited");
    // The cap: 60 of 60.
    const atCap = await m.paid.agent.write.settle([[usage(m.key, 60n, 1n)]], { account: m.alice });
    assert.deepEqual(await limited(atCap), []);
    assert.equal((await m.paid.agent.read.apiKey([m.key])).spent, 60n);
    // The allowance during a refund notice: exactly the 15 credits acknowledged, through a key with room.
    await m.paid.agent.write.createApiKey([secretHashOf("edge-2"), 1_000n], { account: m.carol });
    const second = keyIdOf(m.carol, "edge-2");
    await m.paid.agent.write.buyCredits([10n], { account: m.carol, value: 10n * PRICE });
    await m.paid.agent.write.requestCreditRefund([15n], { account: m.carol });
    const atAllowance = await m.paid.agent.write.settle([[usage(second, 15n, 1n)]], { account: m.alice });
    assert.deepEqual(await limited(atAllowance), []);
    assert.equal((await m.paid.agent.read.account([m.carol])).credits, 35);
  });

  it("charges every credit left, to the last one, without calling it a limit", async () => {
    const m = await networkHelpers.loadFixture(withKey);
    await m.paid.agent.write.createApiKey([secretHashOf("all"), 1_000n], { account: m.carol });
    const hash = await m.paid.agent.write.settle([[usage(keyIdOf(m.carol, "all"), 100n, 1n)]], { account: m.alice });
    assert.deepEqual(await eventsOf(m.paid.agent.abi, hash, "UsageLimited"), []);
    assert.equal((await m.paid.agent.read.account([m.carol])).credits, 0);
  });

  it("bills a revoked key to the last second of its grace, and nothing of a refund from the second it is due", async () => {
    const m = await networkHelpers.loadFixture(withKey);
    await m.paid.agent.write.revokeApiKey([m.key], { account: m.carol });
    const revokedAt = BigInt((await m.paid.agent.read.apiKey([m.key])).revokedAt);
    const grace = await m.paid.agent.read.SETTLEMENT_GRACE();
    await networkHelpers.time.setNextBlockTimestamp(revokedAt + grace);
    await m.paid.agent.write.settle([[usage(m.key, 5n, 1n)]], { account: m.alice });
    assert.equal((await m.paid.agent.read.apiKey([m.key])).spent, 5n, "still within the grace");

    await m.paid.agent.write.createApiKey([secretHashOf("due"), 100n], { account: m.carol });
    const due = keyIdOf(m.carol, "due");
    await m.paid.agent.write.requestCreditRefund([50n], { account: m.carol });
    const availableAt = BigInt((await m.paid.agent.read.account([m.carol])).refundAvailableAt);
    await networkHelpers.time.setNextBlockTimestamp(availableAt);
    const hash = await m.paid.agent.write.settle([[usage(due, 5n, 1n)]], { account: m.alice });
    const [limit] = await eventsOf(m.paid.agent.abi, hash, "UsageLimited");
    assert.equal(limit?.args.limit, 5, "RefundDue: from that second the deposit is the user's");
    assert.equal((await m.paid.agent.read.apiKey([due])).spent, 0n);
  });
});

describe("rounding", () => {
  it("takes the protocol fee and the parent royalty rounded down on an awkward amount", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    const price = 7_777n;
    const settings = { mode: 1, pricePerCredit: price, royaltyBps: 3_333, operator: m.erin, endpoint: "" };
    const child = await createAgent(m, m.erin, "awkward-child", { parent: m.paid.agent.address, settings });
    await child.agent.write.buyCredits([3n], { account: m.frank, value: 3n * price });
    await child.agent.write.createApiKey([secretHashOf("awkward"), 3n], { account: m.frank });
    const hash = await child.agent.write.settle([[usage(keyIdOf(m.frank, "awkward"), 3n, 1n)]], { account: m.erin });
    const [split] = await eventsOf(child.agent.abi, hash, "RevenueSplit");
    const value = 3n * price;
    const fee = floorDiv(value * FEE_BPS, 10_000n);
    const royalty = floorDiv((value - fee) * 3_333n, 10_000n);
    assert.deepEqual(split?.args, { value, protocolFee: fee, royalty, toShareholders: value - fee - royalty });
  });

  it("takes the fee on a sale rounded down: the seller is owed every wei of the rest", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    const price = 10n ** 18n + 7n;
    await m.paid.agent.write.listForSale([price], { account: m.alice });
    const before = await m.paid.agent.read.withdrawable([m.alice]);
    await m.paid.agent.write.buyAgent([m.dave], { account: m.dave, value: price });
    const fee = floorDiv(price * FEE_BPS, 10_000n);
    assert.equal((await m.paid.agent.read.withdrawable([m.alice])) - before, price - fee);
  });

  it("pays holders per share rounded down: what withdrawable() says is what withdraw() pays, dust kept", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    // An owner version mints shares (the owner holds every vote): 10 000 and a few more, a total
    // that does not divide 10^27, so per-share revenue rounds.
    await m.paid.agent.write.publishVersion([testCid("v1"), trainingRecord(m.alice, "v1")], { account: m.alice });
    const total = await m.paid.ledger.read.totalShares();
    assert.notEqual(10n ** 27n % total, 0n, `${total} shares`);
    await m.paid.agent.write.buyCredits([7n], { account: m.carol, value: 7n * PRICE });
    await m.paid.agent.write.createApiKey([secretHashOf("dust"), 7n], { account: m.carol });
    await m.paid.agent.write.settle([[usage(keyIdOf(m.carol, "dust"), 7n, 1n)]], { account: m.alice });
    const value = 7n * PRICE;
    const toHolders = value - floorDiv(value * FEE_BPS, 10_000n);
    // One holder of every share: the exact floor leaves one wei of dust in the agent.
    const perShare = floorDiv(toHolders * 10n ** 27n, total);
    const owed = floorDiv(total * perShare, 10n ** 27n);
    assert.equal(owed, toHolders - 1n);
    assert.equal(await m.paid.agent.read.withdrawable([m.alice]), owed);
    const hash = await m.paid.agent.write.withdraw({ account: m.alice });
    const [withdrawn] = await eventsOf(m.paid.agent.abi, hash, "Withdrawn");
    assert.equal(withdrawn?.args.amount, owed);
  });

  it("lists the weighted average rating rounded down: stars 5 and 4 with weights 1 and 2 read 4.33", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    for (const [user, credits, stars] of [
      [m.carol, 1n, 5],
      [m.dave, 2n, 4],
    ] as const) {
      await m.paid.agent.write.buyCredits([credits], { account: user, value: credits * PRICE });
      await m.paid.agent.write.createApiKey([secretHashOf(`r-${user}`), credits], { account: user });
      await m.paid.agent.write.settle([[usage(keyIdOf(user, `r-${user}`), credits, 1n)]], { account: m.alice });
      await m.paid.agent.write.rate([stars], { account: user });
    }
    assert.equal(decodeListing(await m.paid.agent.read.listing()).averageRating, 4.33);
  });
});

describe("votes and the DAO at their edges", () => {
  it("activating votes a second time with no new spending changes nothing and says nothing", async () => {
    const m = await networkHelpers.loadFixture(withKey);
    await m.paid.agent.write.settle([[usage(m.key, 20n, 1n)]], { account: m.alice });
    await m.paid.agent.write.activateVotes([m.carol]);
    const hash = await m.paid.agent.write.activateVotes([m.carol]);
    assert.deepEqual(await eventsOf(m.paid.ledger.abi, hash, "SpendVotesActivated"), []);
  });

  it("refuses a version trained from one that does not exist yet, by exactly one", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    const count = (await m.paid.agent.read.summary()).versionCount;
    await viem.assertions.revertWithCustomErrorWithArgs(
      m.paid.agent.write.publishVersion([testCid("future"), trainingRecord(m.alice, "future", Number(count))], {
        account: m.alice,
      }),
      m.paid.ledger,
      "AgentLedgerUnknownVersion",
      [count, count],
    );
  });

  it("keeps a proposal whose snapshot is the second of a sale: that snapshot already holds the buyer's votes", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    const quick = await createAgent(m, m.alice, "same-second", { votingDelay: 0 });
    await quick.agent.write.listForSale([10n ** 18n], { account: m.alice });
    // The proposal and the sale in one block: the snapshot and the sale share a timestamp.
    await networkHelpers.mine();
    await connection.provider.request({ method: "evm_setAutomine", params: [false] });
    const propose = await quick.dao.write.propose([[quick.agent.address], [0n], ["0x"], "same second"], {
      account: m.alice,
    });
    await quick.agent.write.buyAgent([m.dave], { account: m.dave, value: 10n ** 18n });
    await networkHelpers.mine();
    await connection.provider.request({ method: "evm_setAutomine", params: [true] });
    const [created] = await eventsOf(quick.dao.abi, propose, "ProposalCreated");
    const id = must(created, "ProposalCreated").args.proposalId as bigint;
    assert.equal(await quick.agent.read.owner(), getAddress(m.dave));
    assert.notEqual(await quick.dao.read.state([id]), 2, "not Canceled");
    await networkHelpers.time.increase(1);
    assert.equal(await quick.ledger.read.getPastVotes([m.alice, await quick.dao.read.proposalSnapshot([id])]), 0n);
  });
});

describe("the factory's registry", () => {
  it("answers false, not a failure, for a contract claiming the index one past the last agent", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    const count = await m.factory.read.agentCount();
    const impostor = await deployTestContract(connection, m, "RegistryIndexStub", registryIndexStubAbi, [count]);
    assert.equal(await m.factory.read.isAgent([impostor.address]), false);
  });

  it("refuses an owner change from a caller at the index one past the last agent with its own error", async () => {
    const m = await networkHelpers.loadFixture(fixture);
    const count = await m.factory.read.agentCount();
    await viem.assertions.revertWithCustomErrorWithArgs(
      m.factory.write.recordOwnerChange([count, m.alice, m.dave], { account: m.dave }),
      m.factory,
      "HexsFactoryNotAgent",
      [getAddress(m.dave)],
    );
  });
});
