// The lease lifecycle, step by step, from the developer's wallet: create the deployment with
// its deposit → list bids → accept one (lease) → close. Each step is one function so the page
// can show where it is and resume after a reload.
import { closeDeploymentMsg, createDeploymentMsg, createLeaseMsg, type LeaseRef } from "./messages.ts";
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
  state: string;
}

export async function latestHeight(ctx: Pick<AkashContext, "node" | "restUrl">): Promise<bigint> {
  const { block } = await query(ctx.restUrl, () => ctx.node.cosmos.base.tendermint.v1beta1.getLatestBlock());
  return BigInt(String(block?.header?.height ?? 0));
}

/** Creates the deployment; its dseq is the current block height, as Akash's own tools do. */
export async function createDeployment(
  ctx: AkashContext,
  prepared: PreparedDeployment,
  deposit: { denom: string; amount: string },
): Promise<{ dseq: string; tx: TxResult }> {
  const dseq = (await latestHeight(ctx)).toString();
  const msg = createDeploymentMsg({
    owner: ctx.tx.address,
    dseq,
    groupSpecs: prepared.groupSpecs,
    hash: prepared.hash,
    deposit,
  });
  const tx = await ctx.tx.signAndBroadcast("Creating the deployment", [msg]);
  return { dseq, tx };
}

/** Open bids on the deployment, each with its provider's host and attributes. */
export async function listBids(ctx: Omit<AkashContext, "tx">, owner: string, dseq: string): Promise<BidView[]> {
  const { bids } = await query(ctx.restUrl, () =>
    ctx.node.akash.market.v1beta5.getBids({ filters: { owner, dseq: dseq as never, state: "open" } as never }),
  );
  const views: BidView[] = [];
  for (const { bid } of bids) {
    if (!bid?.id || !bid.price) continue;
    const { provider } = await query(ctx.restUrl, () =>
      ctx.node.akash.provider.v1beta4.getProvider({ owner: bid.id!.provider }),
    );
    views.push({
      ref: { ...bid.id, dseq: String(bid.id.dseq) },
      price: { denom: bid.price.denom, amount: bid.price.amount },
      hostUri: provider?.hostUri ?? "",
      attributes: provider?.attributes.map(({ key, value }) => ({ key, value })) ?? [],
      state: "open",
    });
  }
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
  for (;;) {
    options.signal?.throwIfAborted();
    const bids = await listBids(ctx, owner, dseq);
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

export async function readDeploymentState(
  ctx: Omit<AkashContext, "tx">,
  owner: string,
  dseq: string,
): Promise<string | undefined> {
  const { deployment } = await query(ctx.restUrl, () =>
    ctx.node.akash.deployment.v1beta4.getDeployment({ id: { owner, dseq: dseq as never } }),
  ).catch((error: unknown) => {
    if (error instanceof Error && /not found/i.test(error.message)) return { deployment: undefined };
    throw error;
  });
  return deployment ? (["invalid", "active", "closed"][deployment.state] ?? "unknown") : undefined;
}

/** Closes the deployment: its leases end, the provider is paid, the rest of the deposit returns. */
export async function closeDeployment(ctx: AkashContext, dseq: string): Promise<TxResult> {
  return ctx.tx.signAndBroadcast("Closing the deployment", [closeDeploymentMsg({ owner: ctx.tx.address, dseq })]);
}

function leaseStateName(state: number): string {
  return ["invalid", "active", "insufficient_funds", "closed"][state] ?? "unknown";
}
