// Seeds a demo marketplace on a local chain through the real contract calls, so the first page a
// newcomer sees is alive: agents (free, paid, one derived from another) with versions, members,
// ratings, API keys with settled usage, a listing, and one DAO proposal left Active.
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
import type { SeedAgentContent, SeedContent } from "./content.ts";

export type { SeedAgentContent, SeedContent, SeedVersionContent } from "./content.ts";

/** Seconds a seeded proposal stays open: a week, so the demo's proposal is Active for days. */
export const SEED_VOTING_PERIOD = 7 * 24 * 60 * 60;
/** Price of one credit of the seeded paid agents, in wei (0.0001 ETH). */
export const SEED_CREDIT_PRICE = 10n ** 14n;
/** Royalty the derived agent pays its parent, in basis points of revenue after the protocol fee. */
export const SEED_ROYALTY_BPS = 1_000;
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
  /** The secret an app sends as `Authorization: Bearer <secret>`; only its hash is on chain. */
  secret: Hex;
  keyHash: Hex;
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
  /** The one proposal left Active (a price change on agent 0, open for {SEED_VOTING_PERIOD} s). */
  proposal: { dao: Address; agent: Address; proposalId: bigint; description: string };
}

interface Role {
  mode: "free" | "paid";
  derived: boolean;
  listForSale: boolean;
}

const ROLES: Role[] = [
  { mode: "paid", derived: false, listForSale: false },
  { mode: "free", derived: false, listForSale: false },
  { mode: "paid", derived: true, listForSale: false },
  { mode: "paid", derived: false, listForSale: true },
  { mode: "free", derived: false, listForSale: false },
  { mode: "paid", derived: false, listForSale: false },
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
  for (const [index, agentContent] of content.agents.entries()) {
    const role = roleOf(index);
    const creator = must(creators[index % creators.length], "creator wallet");
    const parent = role.derived ? must(agents[0], "agent 0").agent : zeroAddress;
    const created = await createSeedAgent(tx, factory, creator, agentContent, role, parent, index);
    agents.push(created);

    for (const [n, version] of (agentContent.versions ?? []).entries()) {
      // Each version is fine-tuned from the one before it (version n + 1 from version n).
      await tx(creator, created.agent, agentAbi, "publishVersion", [
        version.weightsCid,
        trainingRecord(address(creator), version, n),
      ]);
    }
    // Users take turns so that members differ between agents: agent i gets users i.., up to three.
    const members = rotate(users, index).slice(0, Math.min(3, users.length));
    for (const [n, user] of members.entries()) {
      if (role.mode === "paid") {
        await tx(
          user,
          created.agent,
          agentAbi,
          "buyCredits",
          [100n * BigInt(n + 1)],
          SEED_CREDIT_PRICE * 100n * BigInt(n + 1),
        );
      } else {
        await tx(user, created.agent, agentAbi, "join", []);
      }
      created.members.push(address(user));
      created.apiKeys.push(await createKey(tx, user, created.agent));
    }
    // The operator (the creator) settles metered usage for every key; paid usage becomes revenue.
    const usage = created.apiKeys.map((key, n) => ({ keyHash: key.keyHash, units: BigInt(17 * (n + 1) + index) }));
    await tx(creator, created.agent, agentAbi, "settle", [usage]);
    for (const [n, key] of created.apiKeys.entries()) key.settledUnits = must(usage[n], "usage line").units;

    for (const [n, user] of members.entries()) {
      await tx(user, created.agent, agentAbi, "rate", [3 + ((index + n) % 3)]);
    }
    if (role.listForSale) await tx(creator, created.agent, agentAbi, "listForSale", [SEED_CREDIT_PRICE * 10_000n]);
  }

  const proposal = await openProposal(
    tx,
    must(agents[0], "agent 0"),
    must(creators[0], "creator"),
    must(users[0], "user"),
  );
  return { agents, proposal };
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
    votingPeriod: SEED_VOTING_PERIOD,
    quorumPercent: 4,
  };
  const receipt = await tx(creator, factory, hexsFactoryAbi, "createAgent", [params]);
  const [event] = parseEventLogs({ abi: hexsFactoryAbi, logs: receipt.logs, eventName: "AgentCreated" });
  const { agent, ledger, dao } = must(event, "AgentCreated event").args;
  return { name: c.name, agent, ledger, dao, owner, parent, mode: role.mode, members: [], apiKeys: [] };
}

/**
 * A member proposes a price change on agent 0 and the creator votes for it; the vote stays open
 * for SEED_VOTING_PERIOD seconds. Voting delay is 0, so the proposal is Active from the next block.
 */
async function openProposal(tx: Transactor, target: SeededAgent, creator: SeedWallet, member: SeedWallet) {
  const description = `Lower the price of ${target.name} to 0.00008 ETH per credit`;
  const calldata = encodeFunctionData({
    abi: agentAbi,
    functionName: "setPrice",
    args: [(SEED_CREDIT_PRICE * 8n) / 10n],
  });
  const receipt = await tx(member, target.dao, agentDAOAbi, "propose", [[target.agent], [0n], [calldata], description]);
  const [created] = parseEventLogs({ abi: agentDAOAbi, logs: receipt.logs, eventName: "ProposalCreated" });
  const proposalId = must(created, "ProposalCreated event").args.proposalId;
  await tx(creator, target.dao, agentDAOAbi, "castVote", [proposalId, 1]);
  return { dao: target.dao, agent: target.agent, proposalId, description };
}

async function createKey(tx: Transactor, user: SeedWallet, agent: Address): Promise<SeededApiKey> {
  const secret = bytesToHex(randomBytes(32));
  const keyHash = keccak256(secret);
  await tx(user, agent, agentAbi, "createApiKey", [keyHash, 1_000_000n]);
  return { user: address(user), secret, keyHash, settledUnits: 0n };
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
