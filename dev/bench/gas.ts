// Gas benchmark section: what each user-facing contract call costs, measured on an in-process
// Hardhat chain (EDR) deployed through the real Ignition module. `npm run bench:gas` runs it alone.
import hre, { network } from "hardhat";
import {
  encodeFunctionData,
  getContract,
  keccak256,
  parseAbi,
  parseEventLogs,
  toHex,
  zeroAddress,
  type Address,
  type Hex,
} from "viem";
import { apiKeyFrom } from "../../src/lib/apiKey.ts";
import { createAgent, deployHexs, must, type Hexs } from "../../test/contracts/helpers/deploy.ts";
import { AccessMode, trainingRecord, testCid } from "../../test/contracts/helpers/params.ts";
import type { BenchMetric, BenchSection } from "./report.ts";

const TARGETS = { createAgent: 750_000n, settlePerEntry: 20_000n, castVoteRatio: 1.05 };
const PRICE = 10n ** 12n;

export async function run(): Promise<BenchSection> {
  await hre.tasks.getTask("build").run({ quiet: true });
  const connection = await network.create();
  const hexs = await deployHexs(connection);
  const { networkHelpers } = connection;
  const gas = new Map<string, bigint>();
  const account = (i: number) => must(hexs.others[i], `account ${i}`).account.address;
  const [A, creatorB, buyer, m0] = [1, 2, 3, 4].map(account) as [Address, Address, Address, Address];
  const measure = async (name: string, hash: Promise<Hex>) => {
    const receipt = await hexs.publicClient.waitForTransactionReceipt({ hash: await hash });
    if (receipt.status !== "success") throw new Error(`${name} reverted`);
    gas.set(name, receipt.gasUsed);
    return receipt;
  };

  // The first agent of a deployment also pays for the registry's first writes; measure it apart.
  const first = await createAgent(hexs, creatorB, "warm-up");
  gas.set("createAgent (first agent of the deployment)", first.receipt.gasUsed);
  const paid = await createAgent(hexs, A, "paid");
  gas.set("createAgent", paid.receipt.gasUsed);
  const free = await createAgent(hexs, A, "free", {
    settings: { mode: AccessMode.Free, pricePerCredit: 0n, royaltyBps: 0, operator: A, endpoint: "" },
  });

  await measure("join", free.agent.write.join({ account: m0 }));
  await measure("buyCredits (first purchase, new member)", paid.agent.write.buyCredits([100n], { account: m0, value: 100n * PRICE }));
  await measure("buyCredits (repeat purchase)", paid.agent.write.buyCredits([100n], { account: m0, value: 100n * PRICE }));
  const m0Key = apiKeyFrom(m0, keccak256(toHex(`${m0}/0`)));
  await measure("createApiKey", paid.agent.write.createApiKey([m0Key.secretHash, 1_000_000n], { account: m0 }));

  // Settlement, worst case: every line is a different user's key. Keys were settled once before,
  // as they are in steady state (the gateway settles periodically); each round numbers its lines anew.
  const keys = await prepareUsers(hexs, paid.agent.address, 100);
  await paid.agent.write.settle([keys.map((keyId) => ({ keyId, sequence: 1n, units: 1n }))], { account: A });
  for (const [round, n] of [1, 10, 100].entries()) {
    const lines = keys.slice(0, n).map((keyId) => ({ keyId, sequence: BigInt(round + 2), units: 2n }));
    await measure(`settle (${n} entries)`, paid.agent.write.settle([lines], { account: A }));
  }
  const perEntry = (gas.get("settle (100 entries)")! - gas.get("settle (10 entries)")!) / 90n;
  await measure("settle (a replayed line)", paid.agent.write.settle([[{ keyId: keys[0]!, sequence: 4n, units: 2n }]], { account: A }));

  await paid.agent.write.settle([[{ keyId: m0Key.keyId, sequence: 1n, units: 150n }]], { account: A });
  await measure("activateVotes", paid.agent.write.activateVotes([m0], { account: m0 }));
  await measure("rate", paid.agent.write.rate([5], { account: m0 }));
  await measure("publishVersion", paid.agent.write.publishVersion([testCid("paid/v1"), trainingRecord(A, "paid/v1", 0)], { account: A }));
  await measure("withdraw", paid.agent.write.withdraw({ account: A }));

  const proposal = await measure(
    "propose",
    paid.dao.write.propose([[paid.agent.address], [0n], [encodeFunctionData({ abi: paid.agent.abi, functionName: "setPrice", args: [2n * PRICE] })], "Double the price"], { account: m0 }),
  );
  const [created] = parseEventLogs({ abi: paid.dao.abi, logs: proposal.logs, eventName: "ProposalCreated" });
  const id = must(created, "ProposalCreated").args.proposalId;
  await networkHelpers.time.increase(2);
  await measure("castVote (first vote)", paid.dao.write.castVote([id, 1], { account: A }));
  await measure("castVote", paid.dao.write.castVote([id, 1], { account: m0 }));
  await networkHelpers.time.increase(3601);
  await measure("queue", paid.dao.write.queue([id], { account: m0 }));
  await networkHelpers.time.increase(2 * 24 * 3600);
  await measure("execute", paid.dao.write.execute([id], { account: m0 }));

  await paid.agent.write.listForSale([10n ** 18n], { account: A });
  await measure("buyAgent", paid.agent.write.buyAgent([buyer], { account: buyer, value: 10n ** 18n }));

  const stockVote = await stockGovernorFirstVote(connection, hexs, A);
  const stockCloneVote = await stockCloneGovernorFirstVote(connection, hexs, A);
  const ourVote = gas.get("castVote (first vote)")!;
  for (const [depth, settleGas] of (await settleByLineageDepth(hexs, A)).entries()) {
    gas.set(`settle (1 entry), lineage depth ${depth}`, settleGas);
  }

  const metrics: BenchMetric[] = [...gas.entries()].map(([name, value]) => target(name, value));
  metrics.push({
    name: "settle marginal gas per entry",
    value: Number(perEntry),
    unit: "gas",
    target: `≤ ${TARGETS.settlePerEntry}`,
    met: perEntry <= TARGETS.settlePerEntry,
  });
  metrics.push({ name: "castVote (first vote), stock OpenZeppelin Governor + ERC20Votes", value: Number(stockVote), unit: "gas" });
  metrics.push({
    name: "castVote (first vote), the same stock contracts as EIP-1167 clones",
    value: Number(stockCloneVote),
    unit: "gas",
  });
  const ratio = (stock: bigint) => Math.round((Number(ourVote) / Number(stock)) * 1000) / 1000;
  metrics.push({ name: "castVote: HEXS DAO / stock Governor, deployed directly", value: ratio(stockVote), unit: "×" });
  metrics.push({
    name: "castVote: HEXS DAO / stock Governor, both as clones",
    value: ratio(stockCloneVote),
    unit: "×",
    target: `≤ ${TARGETS.castVoteRatio}`,
    met: ratio(stockCloneVote) <= TARGETS.castVoteRatio,
  });
  await connection.close();
  return {
    title: "Contract gas",
    method:
      "Gas used per transaction on Hardhat's in-process EDR chain (prague, solc 0.8.30, optimizer 200 runs), " +
      "contracts deployed by ignition/modules/Hexs.ts. createAgent: a creator's first agent in a factory that " +
      "already holds agents (the deployment's very first agent also initialises the registry arrays). " +
      "settle: every entry a different user's key, keys settled once before; marginal = (100 entries − 10 entries) / 90. " +
      "castVote is compared, in the same run, with a stock OpenZeppelin Governor (settings, simple counting, votes, " +
      "quorum fraction) over an ERC20Votes token holding the same 10 000 votes, both on the timestamp clock, " +
      "deployed directly and as EIP-1167 clones (as a per-agent DAO must be: each call then pays two cold " +
      "DELEGATECALLs into the implementations). " +
      "Lineage depth d: a settlement on an agent with d ancestors, each paying its parent 10 %.",
    metrics,
  };
}

// The bench-only stock contracts (contracts/test/) are not in the app's generated ABIs.
const stockVotesAbi = parseAbi(["function delegate(address delegatee)"]);
const stockGovernorAbi = parseAbi([
  "function propose(address[] targets, uint256[] values, bytes[] calldatas, string description) returns (uint256)",
  "function castVote(uint256 proposalId, uint8 support) returns (uint256)",
  "event ProposalCreated(uint256 proposalId, address proposer, address[] targets, uint256[] values, string[] signatures, bytes[] calldatas, uint256 voteStart, uint256 voteEnd, string description)",
]);
const stockCloneFactoryAbi = parseAbi([
  "function create(address holder, uint256 supply) returns (address votes, address governor)",
  "event Created(address votes, address governor)",
]);

/** The first vote on a proposal of a stock OpenZeppelin Governor, its voter holding 10 000 votes. */
async function stockGovernorFirstVote(connection: Hexs["connection"], hexs: Hexs, voter: Address): Promise<bigint> {
  const token = await connection.viem.deployContract("StockVotesToken", [voter, 10_000n]);
  const governor = await connection.viem.deployContract("StockGovernor", [token.address]);
  return firstVote(hexs, voter, token.address, governor.address);
}

/** The same first vote on the stock upgradeable Governor and ERC20Votes, each an EIP-1167 clone. */
async function stockCloneGovernorFirstVote(connection: Hexs["connection"], hexs: Hexs, voter: Address): Promise<bigint> {
  const { address } = await connection.viem.deployContract("StockCloneFactory");
  const factory = getContract({ address, abi: stockCloneFactoryAbi, client: { public: hexs.publicClient, wallet: hexs.deployer } });
  const receipt = await hexs.publicClient.waitForTransactionReceipt({ hash: await factory.write.create([voter, 10_000n]) });
  const [event] = parseEventLogs({ abi: stockCloneFactoryAbi, logs: receipt.logs, eventName: "Created" });
  const { votes, governor } = must(event, "Created").args;
  return firstVote(hexs, voter, votes, governor);
}

async function firstVote(hexs: Hexs, voter: Address, votes: Address, governor: Address): Promise<bigint> {
  const wallet = { public: hexs.publicClient, wallet: hexs.deployer };
  const token = getContract({ address: votes, abi: stockVotesAbi, client: wallet });
  const dao = getContract({ address: governor, abi: stockGovernorAbi, client: wallet });
  await token.write.delegate([voter], { account: voter });
  await hexs.connection.networkHelpers.time.increase(1);
  const data = encodeFunctionData({ abi: hexs.at.agent(voter).abi, functionName: "setPrice", args: [1n] });
  const hash = await dao.write.propose([[voter], [0n], [data], `stock ${governor}`], { account: voter });
  const proposed = await hexs.publicClient.waitForTransactionReceipt({ hash });
  const [proposal] = parseEventLogs({ abi: stockGovernorAbi, logs: proposed.logs, eventName: "ProposalCreated" });
  await hexs.connection.networkHelpers.time.increase(2);
  const vote = await dao.write.castVote([must(proposal, "ProposalCreated").args.proposalId, 1], { account: voter });
  return (await hexs.publicClient.waitForTransactionReceipt({ hash: vote })).gasUsed;
}

/** Gas of a one-line settlement on agents 0…4 generations deep, their royalties cascading up. */
async function settleByLineageDepth(hexs: Hexs, creator: Address): Promise<bigint[]> {
  const [user] = await prepareUsersFor(hexs, 1, "lineage");
  const results: bigint[] = [];
  let parent: Address = zeroAddress;
  for (let depth = 0; depth <= 4; depth++) {
    const agent = await createAgent(hexs, creator, `lineage-${depth}`, {
      parent,
      settings: { mode: AccessMode.Paid, pricePerCredit: PRICE, royaltyBps: parent === zeroAddress ? 0 : 1_000, operator: creator, endpoint: "" },
    });
    const key = await userKey(hexs, agent.agent.address, must(user, "lineage user"));
    await agent.agent.write.settle([[{ keyId: key, sequence: 1n, units: 1n }]], { account: creator });
    const hash = await agent.agent.write.settle([[{ keyId: key, sequence: 2n, units: 1n }]], { account: creator });
    results.push((await hexs.publicClient.waitForTransactionReceipt({ hash })).gasUsed);
    parent = agent.agent.address;
  }
  return results;
}

function target(name: string, value: bigint): BenchMetric {
  const metric: BenchMetric = { name, value: Number(value), unit: "gas" };
  if (name === "createAgent") Object.assign(metric, { target: `≤ ${TARGETS.createAgent}`, met: value <= TARGETS.createAgent });
  return metric;
}

/** `count` funded users (impersonated accounts) who each buy credits and create one key on `agentAddress`. */
async function prepareUsers(hexs: Hexs, agentAddress: Address, count: number): Promise<Hex[]> {
  const users = await prepareUsersFor(hexs, count, "settle");
  const keys: Hex[] = [];
  for (const user of users) keys.push(await userKey(hexs, agentAddress, user));
  return keys;
}

async function prepareUsersFor(hexs: Hexs, count: number, label: string): Promise<Address[]> {
  const users: Address[] = [];
  for (let i = 0; i < count; i++) {
    const user = `0x${keccak256(toHex(`${label}/${i}`)).slice(26)}` as Address;
    await hexs.connection.networkHelpers.impersonateAccount(user);
    await hexs.connection.networkHelpers.setBalance(user, 10n ** 20n);
    users.push(user);
  }
  return users;
}

/** `user` buys 1 000 credits of `agentAddress` and creates a key; returns its id. */
async function userKey(hexs: Hexs, agentAddress: Address, user: Address): Promise<Hex> {
  const agent = hexs.at.agent(agentAddress);
  await agent.write.buyCredits([1_000n], { account: user, value: 1_000n * PRICE });
  const key = apiKeyFrom(user, keccak256(toHex(`${user}/${agentAddress}`)));
  await agent.write.createApiKey([key.secretHash, 1_000_000n], { account: user });
  return key.keyId;
}
