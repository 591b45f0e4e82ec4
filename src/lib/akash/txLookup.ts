// Looks a transaction up by hash on the node (GET /cosmos/tx/v1beta1/txs/{hash}). A node
// answers "not found" both for a transaction still in its mempool and for one that never
// reached it; only a block height past the transaction's timeout height tells them apart.
import { fromHex } from "@cosmjs/encoding";
import { TxMsgData } from "@akashnetwork/chain-sdk/private-types/cosmos.v1beta1";
import { query, type AkashSdk } from "./node.ts";

/** A transaction some block included, successfully (`code` 0) or not. */
export interface IncludedTx {
  txHash: string;
  height: number;
  code: number;
  rawLog: string;
  /** Message responses, still encoded (typeUrl + bytes). */
  msgResponses: { typeUrl: string; value: Uint8Array }[];
}

/** The included transaction `hash`, or undefined when the node knows of no block holding it. */
export async function findTx(node: AkashSdk, restUrl: string, hash: string): Promise<IncludedTx | undefined> {
  const found = await query(restUrl, () => node.cosmos.tx.v1beta1.getTx({ hash })).catch((error: unknown) => {
    if (error instanceof Error && /not found/i.test(error.message)) return undefined;
    throw error;
  });
  const response = found?.txResponse;
  if (!response || Number(response.height) <= 0) return undefined;
  const data = response.code === 0 && response.data ? TxMsgData.decode(fromHex(response.data)) : undefined;
  return {
    txHash: hash,
    height: Number(response.height),
    code: response.code,
    rawLog: response.rawLog,
    msgResponses: (data?.msgResponses ?? []).map((any) => ({ typeUrl: any.typeUrl, value: any.value })),
  };
}
