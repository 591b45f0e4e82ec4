// The stand-in's mempool and blocks. A broadcast transaction is checked the way CheckTx checks
// it (signature, sequence, gas, fee, timeout height) and waits here; the next block delivers it:
// fee and sequence taken, messages executed, result stored for GET /cosmos/tx/v1beta1/txs/{hash}.
// So, as on Akash, a broadcast deployment exists only once a block includes it, and a transaction
// past its timeout height can never land.
import { toHex } from "@cosmjs/encoding";
import { TxMsgData } from "@akashnetwork/chain-sdk/private-types/cosmos.v1beta1";
import type { StandInChain } from "./chain.ts";
import { TxRejected, type DecodedTx } from "./txVerify.ts";

const GAS_PER_MESSAGE = 120_000;

/** The gas a transaction uses on the stand-in (what simulate reports). */
export const gasUsed = (tx: DecodedTx): number => GAS_PER_MESSAGE * tx.messages.length;

/** A transaction a block included: what the tx query returns. */
export interface IncludedTx {
  height: bigint;
  code: number;
  codespace: string;
  log: string;
  /** TxMsgData, hex. */
  data: string;
  gasWanted: number;
}

interface PendingTx {
  hash: string;
  tx: DecodedTx;
}

export class StandInMempool {
  readonly included = new Map<string, IncludedTx>();
  readonly #pending: PendingTx[] = [];
  readonly #chain: StandInChain;
  readonly #chainId: string;
  readonly #onDelivered: (tx: DecodedTx) => void;
  #held = false;

  constructor(chain: StandInChain, options: { chainId: string; onDelivered: (tx: DecodedTx) => void }) {
    this.#chain = chain;
    this.#chainId = options.chainId;
    this.#onDelivered = options.onDelivered;
  }

  /** CheckTx: throws TxRejected for a transaction no block would take, else queues it. */
  async check(hash: string, tx: DecodedTx): Promise<void> {
    if (this.included.has(hash) || this.#pending.some((p) => p.hash === hash))
      throw new TxRejected(19, "tx already exists in cache");
    const account = this.#chain.account(tx.signer);
    if (!(await tx.verify(this.#chainId, account.accountNumber)))
      throw new TxRejected(4, "signature verification failed; please verify account number, sequence and chain-id");
    // Like the node's check state, count the signer's transactions already waiting.
    const expected = account.sequence + this.#pending.filter((p) => p.tx.signer === tx.signer).length;
    if (tx.sequence !== expected)
      throw new TxRejected(32, `account sequence mismatch, expected ${expected}, got ${tx.sequence}`);
    if (tx.gasLimit < gasUsed(tx)) throw new TxRejected(11, `out of gas: limit ${tx.gasLimit}, needed ${gasUsed(tx)}`);
    if (account.balances.uakt < tx.fee) throw new TxRejected(5, `insufficient funds to pay the fee of ${tx.fee}uakt`);
    if (this.#expired(tx, this.#chain.height + 1n))
      throw new TxRejected(
        30,
        `tx timeout height; current height: ${this.#chain.height}, timeout height: ${tx.timeoutHeight}`,
      );
    this.#pending.push({ hash, tx });
  }

  /** Builds the block at the chain's current height from the waiting transactions. */
  deliver(): void {
    const height = this.#chain.height;
    // Rechecked after every block: a transaction past its timeout height is evicted, never included.
    for (let i = this.#pending.length - 1; i >= 0; i--)
      if (this.#expired(this.#pending[i]!.tx, height)) this.#pending.splice(i, 1);
    if (this.#held) return;
    for (const { hash, tx } of this.#pending.splice(0)) this.included.set(hash, this.#deliverTx(tx, height));
  }

  #deliverTx(tx: DecodedTx, height: bigint): IncludedTx {
    const account = this.#chain.account(tx.signer);
    // Past the ante handler: the fee is paid and the sequence used, whatever the messages do.
    account.balances.uakt -= tx.fee;
    account.sequence += 1;
    account.pubkey ??= tx.pubkey;
    try {
      this.#chain.execute(tx);
    } catch (error) {
      const rejected = error instanceof TxRejected ? error : new TxRejected(1, String(error));
      return {
        height,
        code: rejected.code,
        codespace: rejected.codespace,
        log: rejected.message,
        data: "",
        gasWanted: tx.gasLimit,
      };
    }
    this.#onDelivered(tx);
    const data = TxMsgData.encode(
      TxMsgData.fromPartial({
        msgResponses: tx.messages.map((m) => ({ typeUrl: `${m.typeUrl}Response`, value: new Uint8Array() })),
      }),
    ).finish();
    return { height, code: 0, codespace: "", log: "", data: toHex(data).toUpperCase(), gasWanted: tx.gasLimit };
  }

  #expired(tx: DecodedTx, height: bigint): boolean {
    return tx.timeoutHeight > 0n && height > tx.timeoutHeight;
  }

  // Test controls: no Akash API has these. Tests use them to hold a broadcast transaction
  // out of the blocks, as a congested mempool or a stalled chain would.

  /** Blocks go on, but include none of the waiting transactions until `release()`. */
  hold(): void {
    this.#held = true;
  }

  release(): void {
    this.#held = false;
  }

  /** How many transactions wait for a block. */
  get pendingCount(): number {
    return this.#pending.length;
  }
}
