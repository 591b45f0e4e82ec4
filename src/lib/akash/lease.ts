// The lease lifecycle, step by step, from the developer's wallet: create the deployment with
// its deposit → list bids → accept one (lease) → close. Each step is one function so the page
// can show where it is and resume after a reload.
import {
  accountDepositMsg,
  closeDeploymentMsg,
  createDeploymentMsg,
  createLeaseMsg,
  mintActMsg,
  type LeaseRef,
} from "./messages.ts";
import { wholeUnits } from "./cost.ts";
import { AkashNoBidsError } from "./errors.ts";
import { query, type AkashSdk } from "./node.ts";
import type { PreparedDeployment } from "./deployment.ts";
import type { AkashTxClient, TxResult } from "./txClient.ts";

export interface AkashContext {
  node: AkashSdk;
  restUrl: string;
  tx: AkashTxClient;
}

export interface BidView {
  ref: LeaseRef;
  /** Price per block, decimal string in `denom`. */
  price: { denom: string; amount: string };
  hostUri: string;
  /** The provider's self-declared attributes (region, GPU models, tier…). */
  attributes: { key: string; value: string }[];
  /** Auditors (x/audit) that signed the provider's attributes. */
  auditors: string[];
  state: string;
}

/** The latest block's height, and the chain id its header names. */
export async function latestBlock(
  ctx: Pick<AkashContext, "node" | "restUrl">,
): Promise<{ height: bigint; chainId: string }> {
  const { block } = await query(ctx.restUrl, () => ctx.node.cosmos.base.tendermint.v1beta1.getLatestBlock());
  return { height: BigInt(String(block?.header?.height ?? 0)), chainId: block?.header?.chainId ?? "" };
}

export async function latestHeight(ctx: Pick<AkashContext, "node" | "restUrl">): Promise<bigint> {
  return (await latestBlock(ctx)).height;
}

/**
 * How many blocks a deployment's creation may take to land (about 5 minutes on mainnet, where
 * the wallet prompt comes first). Past that, a record of it can be settled without it.
 */
export const CREATE_TIMEOUT_BLOCKS = 50n;

/** What the client fixes before it sends MsgCreateDeployment, so a record can name it. */
export interface DeploymentPlan {
  /** The current height, as Akash's own tools choose it. */
  dseq: string;
  /** The last block that may include the creation; it never lands after that. */
  timeoutHeight: string;
}

export async function planDeployment(
  ctx: Pick<AkashContext, "node" | "restUrl">,
  timeoutBlocks = CREATE_TIMEOUT_BLOCKS,
): Promise<DeploymentPlan> {
  const height = await latestHeight(ctx);
  return { dseq: height.toString(), timeoutHeight: (height + timeoutBlocks).toString() };
}

/**
 * Creates the deployment with its deposit, as `plan` names it (planned now when not given).
 * `onSigned` gets the transaction's hash before it is broadcast.
 */
export async function createDeployment(
  ctx: AkashContext,
  prepared: Pick<PreparedDeployment, "groupSpecs" | "hash">,
  deposit: { denom: string; amount: string },
  plan?: DeploymentPlan,
  onSigned?: (txHash: string) => void,
): Promise<{ dseq: string; tx: TxResult }> {
  const { dseq, timeoutHeight } = plan ?? (await planDeployment(ctx));
  const msg = createDeploymentMsg({
    owner: ctx.tx.address,
    dseq,
    groupSpecs: prepared.groupSpecs,
    hash: prepared.hash,
    deposit,
  });
  const tx = await ctx.tx.signAndBroadcast("Creating the deployment", [msg], {
    timeoutHeight: BigInt(timeoutHeight),
    ...(onSigned ? { onSigned } : {}),
  });
  return { dseq, tx };
}

/** Open bids on the deployment, each with its provider's host and attributes. */
/** What a bid shows of its provider: its host, attributes and auditors, as the chain records them. */
interface ProviderFacts {
  hostUri: string;
  attributes: { key: string; value: string }[];
  auditors: string[];
}

/**
 * Providers' facts by address, for one wait for bids: a provider's record and audits do not
 * change while its bid is open, so each poll asks the node only about providers it has not seen.
 * A failed read is forgotten, so the next poll asks again.
 */
export type ProviderFactsCache = Map<string, Promise<ProviderFacts>>;

function providerFacts(ctx: Omit<AkashContext, "tx">, owner: string, cache: ProviderFactsCache) {
  let facts = cache.get(owner);
  if (!facts) {
    facts = Promise.all([
      query(ctx.restUrl, () => ctx.node.akash.provider.v1beta4.getProvider({ owner })),
      // x/audit answers NotFound for a provider no auditor signed for.
      query(ctx.restUrl, () => ctx.node.akash.audit.v1.getProviderAttributes({ owner })).catch((error: unknown) => {
        if (error instanceof Error && /not found/i.test(error.message)) return { providers: [] };
        throw error;
      }),
    ]).then(([{ provider }, audited]) => ({
      hostUri: provider?.hostUri ?? "",
      attributes: provider?.attributes.map(({ key, value }) => ({ key, value })) ?? [],
      auditors: audited.providers.filter((p) => p.attributes.length > 0).map((p) => p.auditor),
    }));
    cache.set(owner, facts);
    facts.catch(() => cache.delete(owner));
  }
  return facts;
}

export async function listBids(
  ctx: Omit<AkashContext, "tx">,
  owner: string,
  dseq: string,
  providers: ProviderFactsCache = new Map(),
): Promise<BidView[]> {
  const { bids } = await query(ctx.restUrl, () =>
    ctx.node.akash.market.v1beta5.getBids({ filters: { owner, dseq: dseq as never, state: "open" } as never }),
  );
  const views = await Promise.all(
    bids.flatMap(({ bid }) => {
      if (!bid?.id || !bid.price) return [];
      const { id, price } = bid;
      return [
        providerFacts(ctx, id.provider, providers).then((facts): BidView => ({
          ref: { ...id, dseq: String(id.dseq) },
          price: { denom: price.denom, amount: price.amount },
          ...facts,
          state: "open",
        })),
      ];
    }),
  );
  return views.sort((a, b) => Number(a.price.amount) - Number(b.price.amount));
}

/**
 * Polls for bids until at least one arrives and `settleMs` passed since the first (so late
 * bidders get a chance), or throws AkashNoBidsError after `timeoutMs`.
 */
export async function waitForBids(
  ctx: Omit<AkashContext, "tx">,
  owner: string,
  dseq: string,
  options: {
    timeoutMs?: number;
    settleMs?: number;
    intervalMs?: number;
    onBids?: (bids: BidView[]) => void;
    signal?: AbortSignal;
  } = {},
): Promise<BidView[]> {
  const { timeoutMs = 120_000, settleMs = 3_000, intervalMs = 1_000 } = options;
  const started = Date.now();
  let firstSeen: number | undefined;
  const providers: ProviderFactsCache = new Map();
  for (;;) {
    options.signal?.throwIfAborted();
    const bids = await listBids(ctx, owner, dseq, providers);
    options.onBids?.(bids);
    if (bids.length > 0) firstSeen ??= Date.now();
    if (firstSeen !== undefined && Date.now() - firstSeen >= settleMs) return bids;
    if (firstSeen === undefined && Date.now() - started >= timeoutMs)
      throw new AkashNoBidsError(dseq, Date.now() - started);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export async function acceptBid(ctx: AkashContext, bid: LeaseRef): Promise<TxResult> {
  return ctx.tx.signAndBroadcast("Accepting the bid (creating the lease)", [createLeaseMsg(bid)]);
}

export interface LeaseView {
  state: string;
  price: { denom: string; amount: string };
  createdAt: bigint;
  closedOn: bigint;
}

export async function readLease(ctx: Omit<AkashContext, "tx">, ref: LeaseRef): Promise<LeaseView | undefined> {
  const { lease } = await query(ctx.restUrl, () =>
    ctx.node.akash.market.v1beta5.getLease({ id: { ...ref, dseq: ref.dseq as never } }),
  ).catch((error: unknown) => {
    if (error instanceof Error && /not found/i.test(error.message)) return { lease: undefined };
    throw error;
  });
  if (!lease) return undefined;
  return {
    state: leaseStateName(lease.state),
    price: { denom: lease.price?.denom ?? "uakt", amount: lease.price?.amount ?? "0" },
    createdAt: BigInt(String(lease.createdAt)),
    closedOn: BigInt(String(lease.closedOn)),
  };
}

/** A deployment's escrow account: uact left as of the last settlement, and that settlement's height. */
export interface EscrowView {
  fundsUact: bigint;
  settledAt: bigint;
}

export interface DeploymentView {
  state: "active" | "closed" | "invalid" | "unknown";
  /** The manifest version the deployment was created with. */
  hash: Uint8Array;
  escrow: EscrowView | undefined;
}

export async function readDeployment(
  ctx: Omit<AkashContext, "tx">,
  owner: string,
  dseq: string,
): Promise<DeploymentView | undefined> {
  const { deployment, escrowAccount } = await query(ctx.restUrl, () =>
    ctx.node.akash.deployment.v1beta4.getDeployment({ id: { owner, dseq: dseq as never } }),
  ).catch((error: unknown) => {
    if (error instanceof Error && /not found/i.test(error.message))
      return { deployment: undefined, escrowAccount: undefined };
    throw error;
  });
  if (!deployment) return undefined;
  const states = ["invalid", "active", "closed"] as const;
  const escrow = escrowAccount?.state;
  const funds = escrow?.funds.find((f) => f.denom === "uact")?.amount ?? "0";
  return {
    state: states[Number(deployment.state)] ?? "unknown",
    hash: deployment.hash,
    escrow: escrow && { fundsUact: wholeUnits(funds), settledAt: BigInt(String(escrow.settledAt)) },
  };
}

export async function readEscrow(
  ctx: Omit<AkashContext, "tx">,
  owner: string,
  dseq: string,
): Promise<EscrowView | undefined> {
  return (await readDeployment(ctx, owner, dseq))?.escrow;
}

export async function readDeploymentState(
  ctx: Omit<AkashContext, "tx">,
  owner: string,
  dseq: string,
): Promise<string | undefined> {
  return (await readDeployment(ctx, owner, dseq))?.state;
}

/** Closes the deployment: its leases end, the provider is paid, the rest of the deposit returns. */
/** Burns `uakt` of the account's AKT for ACT (x/bme); the ACT is credited at the next block. */
export async function mintAct(ctx: AkashContext, uakt: bigint): Promise<TxResult> {
  return ctx.tx.signAndBroadcast("Minting ACT", [mintActMsg(ctx.tx.address, uakt)]);
}

export async function closeDeployment(ctx: AkashContext, dseq: string): Promise<TxResult> {
  return ctx.tx.signAndBroadcast("Closing the deployment", [closeDeploymentMsg({ owner: ctx.tx.address, dseq })]);
}

function leaseStateName(state: number): string {
  return ["invalid", "active", "insufficient_funds", "closed"][state] ?? "unknown";
}

/** Adds `uact` from the wallet's ACT to deployment `dseq`'s escrow: its lease runs that much longer. */
export async function addToEscrow(ctx: AkashContext, owner: string, dseq: string, uact: bigint): Promise<TxResult> {
  return ctx.tx.signAndBroadcast("Adding ACT to the deployment's escrow", [
    accountDepositMsg({ signer: ctx.tx.address, owner, dseq, uact }),
  ]);
}

/** The providers registered on chain, every page of them. */
export async function listProviderAttributes(
  node: AkashSdk,
  restUrl: string,
): Promise<{ owner: string; attributes: { key: string; value: string }[] }[]> {
  const providers: { owner: string; attributes: { key: string; value: string }[] }[] = [];
  let key: Uint8Array | undefined;
  do {
    const page = await query(restUrl, () =>
      node.akash.provider.v1beta4.getProviders({ pagination: { key: key ?? new Uint8Array(), limit: 500 as never } }),
    );
    providers.push(...page.providers.map((p) => ({ owner: p.owner, attributes: p.attributes })));
    key = page.pagination?.nextKey?.length ? page.pagination.nextKey : undefined;
  } while (key);
  return providers;
}
