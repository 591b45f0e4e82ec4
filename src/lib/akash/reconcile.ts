// Settles a deployment whose creation was sent but not seen confirmed (the tab closed, the node
// stopped answering): asks the chain whether the deployment exists, whether its transaction
// failed, or whether it can no longer land, so a deposit is never forgotten nor invented.
import { toHex } from "@cosmjs/encoding";
import { manifestVersionOf } from "./deployment.ts";
import { AkashChainMismatchError } from "./errors.ts";
import { latestBlock, readDeployment, type AkashContext, type DeploymentView } from "./lease.ts";
import { findTx } from "./txLookup.ts";
import { HexsError } from "../errors.ts";

/** What the browser recorded before sending MsgCreateDeployment. */
export interface SentCreation {
  chainId: string;
  owner: string;
  dseq: string;
  manifestJson: string;
  /** `txHash` is known once the wallet signed; without it the transaction never left the browser. */
  sending: { timeoutHeight: string; txHash?: string | undefined };
}

export type CreationOutcome =
  /** The deployment is on chain: its deposit is escrowed (or, closed, refunded). */
  | { kind: "created"; state: DeploymentView["state"] }
  /** A block included the transaction with an error: nothing was escrowed. */
  | { kind: "failed"; txHash: string; code: number; log: string }
  /** The chain is past the timeout height without it: it never landed, nothing was escrowed. */
  | { kind: "expired"; height: bigint; timeoutHeight: bigint }
  /** Not in a block yet, and it still may be: ask again later. */
  | { kind: "pending"; height: bigint; timeoutHeight: bigint };

/**
 * Finds out what became of `sent` on the node behind `ctx`.
 * @throws AkashNodeError when the node cannot be reached: nothing can be concluded
 * @throws AkashChainMismatchError when the node serves another chain than the record's
 */
export async function reconcileCreation(ctx: Omit<AkashContext, "tx">, sent: SentCreation): Promise<CreationOutcome> {
  // Read first: every "not found" below is then at least as recent as this height.
  const head = await latestBlock(ctx);
  if (head.chainId !== sent.chainId) throw new AkashChainMismatchError(ctx.restUrl, sent.chainId, head.chainId);
  const { txHash } = sent.sending;
  const included = txHash ? await findTx(ctx.node, ctx.restUrl, txHash) : undefined;
  if (included && included.code !== 0)
    return { kind: "failed", txHash: included.txHash, code: included.code, log: included.rawLog };

  const deployment = await readDeployment(ctx, sent.owner, sent.dseq);
  // Same owner and dseq but another manifest: a deployment made elsewhere, not this run's.
  if (deployment && toHex(deployment.hash) === toHex(await manifestVersionOf(sent.manifestJson)))
    return { kind: "created", state: deployment.state };
  if (included)
    throw new HexsError(`The node reports the creation of deployment ${sent.dseq} but not the deployment`, {
      details: `tx ${included.txHash} at height ${included.height}`,
    });

  const timeoutHeight = BigInt(sent.sending.timeoutHeight);
  if (head.height > timeoutHeight) return { kind: "expired", height: head.height, timeoutHeight };
  return { kind: "pending", height: head.height, timeoutHeight };
}
