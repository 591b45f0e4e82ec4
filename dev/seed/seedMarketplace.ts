// Seeds a demo marketplace on a local chain through the real contract calls, so the first page a
// newcomer sees is alive — and shaped by the same rules as any real one: users pay for credits,
// the operator settles their metered usage over several days, spending turns into votes and
// rating weight, free agents have users but no paid signals. Agents differ in how many users
// they have, how much each uses and how they rate. One agent is derived from another and pays it
// a royalty above the parent's floor, one is listed for sale, one DAO has a proposal waiting in
// its timelock queue and another an open vote.
import { randomBytes } from "node:crypto";
import {
  bytesToHex,
  encodeFunctionData,
  keccak256,
  parseEventLogs,
  zeroAddress,
  type Abi,
  type Account,
  type Address,
  type Chain,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from "viem";
import { agentAbi, agentDAOAbi, hexsFactoryAbi } from "../../src/lib/contracts/abis.ts";
import { apiKeyFrom } from "../../src/lib/apiKey.ts";
import type { SeedAgentContent, SeedContent } from "./content.ts";

export type { SeedAgentContent, SeedContent, SeedVersionContent } from "./content.ts";

/** Seconds a seeded proposal stays open: a week, so the demo's open vote is Active for days. */
export const SEED_VOTING_PERIOD = 7 * 24 * 60 * 60;
/** The voting period of the agent whose DAO shows a queued proposal: the shortest a DAO allows, a day. */
const QUICK_VOTING_PERIOD = 24 * 60 * 60;
/** The agent whose DAO shows the queued proposal (a paid one that no browser test buys or sells). */
const QUEUED_AGENT = 3;
/** Price of one credit of the seeded paid agents, in wei (0.0001 ETH). */
export const SEED_CREDIT_PRICE = 10n ** 14n;
/** Royalty the derived agent pays its parent, in basis points of revenue after the protocol fee. */
export const SEED_ROYALTY_BPS = 1_000;
/** The least royalty agent 0 asks of agents derived from it. */
export const SEED_ROYALTY_FLOOR_BPS = 500;
/** Days of usage the seed settles, one settlement batch a day, so activity charts have a history. */
const SEED_DAYS = 5;
const DAY = 24 * 60 * 60;
const MIN_AGENTS = 6;

/** A wallet client with its account and chain set (as `createWalletClient({ account, chain, transport })` makes). */
export type SeedWallet = WalletClient<Transport, Chain, Account>;

export interface SeedMarketplaceOptions {
  publicClient: PublicClient;
  /**
   * Funded accounts of the local chain, each with its `account` and `chain` set. The first is the
   * deployer (protocol owner) and is not used; wallets 1–3 create agents, the rest are users.
   * At least six.
   */
  wallets: SeedWallet[];
  factory: Address;
  content: SeedContent;
}

export interface SeededApiKey {
  user: Address;
  /** The key an app sends as `Authorization: Bearer <text>`; only its secret's hash is on chain. */
  text: string;
  keyId: Hex;
  settledUnits: bigint;
}

export interface SeededAgent {
  name: string;
  agent: Address;
  ledger: Address;
  dao: Address;
  owner: Address;
  parent: Address;
  mode: "free" | "paid";
  members: Address[];
  apiKeys: SeededApiKey[];
}

export interface SeedSummary {
  agents: SeededAgent[];
  /** The open vote (a price change on agent 0, open for {SEED_VOTING_PERIOD} s). */
  proposal: { dao: Address; agent: Address; proposalId: bigint; description: string };
  /** A passed proposal waiting out its timelock (an endpoint change on agent 3). */
  queued: { dao: Address; agent: Address; proposalId: bigint; description: string };
}

interface Role {
  mode: "free" | "paid";
  derived: boolean;
  listForSale: boolean;
  /** Users of the agent (a rotating window over the user wallets). */
  users: number;
  /** Per user: credits used per day, before a per-user spread; 0 for an agent nobody pays for. */
  dailyUse: number;
  /** Stars each user gives, cycled (paid agents only: ratings need spending behind them). */
  stars: number[];
}

const ROLES: Role[] = [
  { mode: "paid", derived: false, listForSale: false, users: 4, dailyUse: 9, stars: [5, 4, 5, 3] },
  { mode: "free", derived: false, listForSale: false, users: 5, dailyUse: 6, stars: [] },
  { mode: "paid", derived: true, listForSale: false, users: 2, dailyUse: 4, stars: [4, 2] },
  { mode: "paid", derived: false, listForSale: true, users: 1, dailyUse: 2, stars: [3] },
  { mode: "free", derived: false, listForSale: false, users: 2, dailyUse: 1, stars: [] },
  { mode: "paid", derived: false, listForSale: false, users: 3, dailyUse: 14, stars: [2, 3, 1] },
];

/** Agents beyond the first six repeat the roles free, listed, free, paid. */
const REPEATED_ROLES = [1, 3, 4, 5];

function roleOf(index: number): Role {
  const role =
    index < ROLES.length ? ROLES[index] : ROLES[REPEATED_ROLES[(index - ROLES.length) % REPEATED_ROLES.length] ?? 1];
  return must(role, `role ${index}`);
}

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`seed: missing ${what}`);
  return value;
}

/** Creates the demo marketplace; returns what it created. Throws on the first failed transaction. */
export async function seedMarketplace(options: SeedMarketplaceOptions): Promise<SeedSummary> {
  const { publicClient, wallets, factory, content } = options;
  if (content.agents.length < MIN_AGENTS) throw new Error(`seed content needs at least ${MIN_AGENTS} agents`);
  if (wallets.length < 6) throw new Error("seed needs at least six funded wallets");
  const tx = transactor(publicClient);
  const creators = wallets.slice(1, 4);
  const users = wallets.slice(4);

  const agents: SeededAgent[] = [];
  const usersOf: SeedWallet[][] = [];
  for (const [index, agentContent] of content.agents.entries()) {
    const role = roleOf(index);
    const creator = must(creators[index % creators.length], "creator wallet");
    const parent = role.derived ? must(agents[0], "agent 0").agent : zeroAddress;
    if (index === 0) {
      // Before anyone derives from it, agent 0 sets the least royalty its children must pay.
      agents.push(await createSeedAgent(tx, factory, creator, agentContent, role, parent, index));
      await tx(creator, must(agents[0], "agent 0").agent, agentAbi, "setRoyaltyFloor", [
        BigInt(SEED_ROYALTY_FLOOR_BPS),
      ]);
    } else {
      agents.push(await createSeedAgent(tx, factory, creator, agentContent, role, parent, index));
    }
    const created = must(agents[index], `agent ${index}`);
    for (const [n, version] of (agentContent.versions ?? []).entries()) {
      // Each version is fine-tuned from the one before it (version n + 1 from version n).
      await tx(creator, created.agent, agentAbi, "publishVersion", [
        version.weightsCid,
        trainingRecord(address(creator), version, n),
      ]);
    }
    const members = rotate(users, index).slice(0, Math.min(role.users, users.length));
    usersOf.push(members);
    for (const [n, user] of members.entries()) {
      if (role.mode === "paid") {
        // Enough for the days of usage below, with some left over (more for the lighter users).
        const credits = BigInt(SEED_DAYS * (role.dailyUse * (members.length - n) + 3) + 15 * n);
        await tx(user, created.agent, agentAbi, "buyCredits", [credits], SEED_CREDIT_PRICE * credits);
      } else {
        await tx(user, created.agent, agentAbi, "join", []);
      }
      created.members.push(address(user));
      created.apiKeys.push(await createKey(tx, user, created.agent));
    }
  }

  // Usage over several days: the operator (each creator) settles every agent's keys once a day.
  for (let day = 1; day <= SEED_DAYS; day++) {
    for (const [index, created] of agents.entries()) {
      const role = roleOf(index);
      const lines = created.apiKeys.map((key, n) => ({
        keyId: key.keyId,
        sequence: BigInt(day),
        // Heavier users first, a daily wobble, so no two agents' charts look alike.
        units: BigInt(Math.max(0, role.dailyUse * (created.apiKeys.length - n) + ((day * 7 + index * 3 + n) % 5) - 2)),
      }));
      if (lines.every((line) => line.units === 0n)) continue;
      await tx(creator(wallets, index), created.agent, agentAbi, "settle", [lines]);
      for (const [n, key] of created.apiKeys.entries()) key.settledUnits += must(lines[n], "usage line").units;
    }
    await advanceTime(publicClient, DAY);
  }

  for (const [index, created] of agents.entries()) {
    const role = roleOf(index);
    if (role.mode !== "paid") continue;
    for (const [n, user] of must(usersOf[index], "users").entries()) {
      // Spending turns into votes once activated; ratings weigh it.
      await tx(user, created.agent, agentAbi, "activateVotes", [address(user)]);
      const stars = role.stars[n % role.stars.length];
      if (stars !== undefined) await tx(user, created.agent, agentAbi, "rate", [stars]);
    }
    if (role.listForSale) {
      await tx(creator(wallets, index), created.agent, agentAbi, "listForSale", [SEED_CREDIT_PRICE * 10_000n]);
    }
  }

  const queued = await queueProposal(
    tx,
    publicClient,
    must(agents[QUEUED_AGENT], `agent ${QUEUED_AGENT}`),
    creator(wallets, QUEUED_AGENT),
    must(usersOf[QUEUED_AGENT]?.[0], `a user of agent ${QUEUED_AGENT}`),
  );
  const proposal = await openProposal(
    tx,
    must(agents[0], "agent 0"),
    creator(wallets, 0),
    must(usersOf[0]?.[0], "a user of agent 0"),
  );
  return { agents, proposal, queued };
}

function creator(wallets: SeedWallet[], index: number): SeedWallet {
  return must(wallets.slice(1, 4)[index % 3], "creator wallet");
}

async function createSeedAgent(
  tx: Transactor,
  factory: Address,
  creator: SeedWallet,
  c: SeedAgentContent,
  role: Role,
  parent: Address,
  index: number,
): Promise<SeededAgent> {
  const owner = address(creator);
  const params = {
    salt: keccak256(new TextEncoder().encode(`hexs-seed/${index}/${c.name}`)),
    metadata: {
      name: c.name,
      modelCardCid: c.modelCardCid,
      baseModel: c.baseModel,
      baseModelRevision: c.baseModelRevision,
      initialWeightsCid: c.weightsCid,
    },
    parent,
    settings: {
      mode: role.mode === "paid" ? 1 : 0,
      pricePerCredit: role.mode === "paid" ? SEED_CREDIT_PRICE : 0n,
      royaltyBps: parent === zeroAddress ? 0 : SEED_ROYALTY_BPS,
      operator: owner,
      endpoint: c.endpoint ?? "",
    },
    firstVersion: trainingRecord(owner, c, 0),
    votingDelay: 0,
    votingPeriod: index === QUEUED_AGENT ? QUICK_VOTING_PERIOD : SEED_VOTING_PERIOD,
    quorumPercent: 4,
  };
  const receipt = await tx(creator, factory, hexsFactoryAbi, "createAgent", [params]);
  const [event] = parseEventLogs({ abi: hexsFactoryAbi, logs: receipt.logs, eventName: "AgentCreated" });
  const { agent, ledger, dao } = must(event, "AgentCreated event").args;
  return { name: c.name, agent, ledger, dao, owner, parent, mode: role.mode, members: [], apiKeys: [] };
}

/**
 * A paying user proposes a price change on agent 0 and the creator votes for it; the vote stays
 * open for SEED_VOTING_PERIOD seconds. Voting delay is 0, so the proposal is Active from the next block.
 */
async function openProposal(tx: Transactor, target: SeededAgent, creator: SeedWallet, member: SeedWallet) {
  const description = `Lower the price of ${target.name} to 0.00008 ETH per credit`;
  const calldata = encodeFunctionData({
    abi: agentAbi,
    functionName: "setPrice",
    args: [(SEED_CREDIT_PRICE * 8n) / 10n],
  });
  const proposalId = await propose(tx, target, member, calldata, description);
  await tx(creator, target.dao, agentDAOAbi, "castVote", [proposalId, 1]);
  return { dao: target.dao, agent: target.agent, proposalId, description };
}

/** A proposal on agent 3 that passed and waits in the DAO's timelock queue, its ETA two days ahead. */
async function queueProposal(
  tx: Transactor,
  publicClient: PublicClient,
  target: SeededAgent,
  creator: SeedWallet,
  member: SeedWallet,
) {
  const description = `Serve ${target.name} from the community gateway`;
  const calldata = encodeFunctionData({
    abi: agentAbi,
    functionName: "setEndpoint",
    args: ["http://127.0.0.1:8787/v1"],
  });
  const proposalId = await propose(tx, target, member, calldata, description);
  await advanceTime(publicClient, 1);
  await tx(creator, target.dao, agentDAOAbi, "castVote", [proposalId, 1]);
  await tx(member, target.dao, agentDAOAbi, "castVote", [proposalId, 0]);
  await advanceTime(publicClient, QUICK_VOTING_PERIOD + 1);
  await tx(member, target.dao, agentDAOAbi, "queue", [proposalId]);
  return { dao: target.dao, agent: target.agent, proposalId, description };
}

async function propose(tx: Transactor, target: SeededAgent, proposer: SeedWallet, calldata: Hex, description: string) {
  const receipt = await tx(proposer, target.dao, agentDAOAbi, "propose", [
    [target.agent],
    [0n],
    [calldata],
    description,
  ]);
  const [created] = parseEventLogs({ abi: agentDAOAbi, logs: receipt.logs, eventName: "ProposalCreated" });
  return must(created, "ProposalCreated event").args.proposalId;
}

async function createKey(tx: Transactor, user: SeedWallet, agent: Address): Promise<SeededApiKey> {
  const key = apiKeyFrom(address(user), bytesToHex(randomBytes(32)));
  await tx(user, agent, agentAbi, "createApiKey", [key.secretHash, 1_000_000n]);
  return { user: key.holder, text: key.text, keyId: key.keyId, settledUnits: 0n };
}

/** Moves the local chain's clock on (Hardhat's `evm_increaseTime`) and mines a block at the new time. */
async function advanceTime(publicClient: PublicClient, seconds: number): Promise<void> {
  const request = publicClient.request as (args: { method: string; params: unknown[] }) => Promise<unknown>;
  await request({ method: "evm_increaseTime", params: [seconds] });
  await request({ method: "evm_mine", params: [] });
}

function trainingRecord(contributor: Address, c: { datasetCid: string; metricsCid: string }, baseVersion: number) {
  return {
    contributor,
    baseVersion,
    datasetCid: c.datasetCid,
    metricsCid: c.metricsCid,
    // Trained by the local Akash stand-in: no provider, lease or cost on a real network.
    leaseProvider: "",
    leaseDseq: 0n,
    leaseCost: 0n,
  };
}

type Transactor = ReturnType<typeof transactor>;

/** Sends one contract call from `wallet`, waits for it, and throws unless it succeeded. */
function transactor(publicClient: PublicClient) {
  return async function send<const abi extends Abi, name extends ContractFunctionName<abi, "nonpayable" | "payable">>(
    wallet: SeedWallet,
    to: Address,
    abi: abi,
    functionName: name,
    args: ContractFunctionArgs<abi, "nonpayable" | "payable", name>,
    value?: bigint,
  ): Promise<TransactionReceipt> {
    const hash = await wallet.writeContract({
      address: to,
      abi,
      functionName,
      args,
      value,
      account: wallet.account,
      chain: wallet.chain,
    } as never);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`seed: ${String(functionName)} on ${to} reverted (${hash})`);
    return receipt;
  };
}

function address(wallet: SeedWallet): Address {
  return wallet.account.address;
}

function rotate<T>(items: T[], by: number): T[] {
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}
