// A CosmJS-style transaction client over the node's REST endpoint: reads the account, simulates
// for gas, asks the wallet to sign (SIGN_MODE_DIRECT), broadcasts and waits for inclusion.
// Keplr's signer or the dev key's plugs in the same way.
import { encodeSecp256k1Pubkey } from "@cosmjs/amino";
import { sha256 } from "@cosmjs/crypto";
import { fromBase64, toHex } from "@cosmjs/encoding";
import {
  encodePubkey,
  makeAuthInfoBytes,
  makeSignDoc,
  type EncodeObject,
  type OfflineDirectSigner,
} from "@cosmjs/proto-signing";
import {
  BroadcastTxRequest,
  BroadcastTxResponse,
  SimulateRequest,
  SimulateResponse,
  TxRaw,
} from "@akashnetwork/chain-sdk/private-types/cosmos.v1beta1";
import { AkashNodeError, AkashTxError, AkashTxNotSignedError, AkashTxTimeoutError } from "./errors.ts";
import { akashRegistry } from "./messages.ts";
import { query, type AkashSdk } from "./node.ts";
import { findTx, type IncludedTx } from "./txLookup.ts";

/** A transaction included with code 0. */
export type TxResult = Omit<IncludedTx, "code" | "rawLog">;

export interface SendOptions {
  memo?: string;
  /** The last block that may include the transaction; past it, it can never land. */
  timeoutHeight?: bigint;
  /**
   * Called with the transaction's hash once the wallet signed it, before it is broadcast: the
   * last moment to record what is about to be sent.
   */
  onSigned?: (txHash: string) => void;
}

export interface AkashTxClient {
  readonly address: string;
  /**
   * @throws AkashTxNotSignedError when the wallet does not sign: nothing was broadcast
   * @throws AkashTxError when the node refuses the transaction or a block includes it with an
   *   error: the chain did not execute it (a failed one still pays its fee)
   * @throws AkashNodeError or AkashTxTimeoutError once broadcast: its outcome is unknown
   */
  signAndBroadcast(what: string, messages: EncodeObject[], options?: SendOptions): Promise<TxResult>;
}

export interface TxClientOptions {
  node: AkashSdk;
  restUrl: string;
  chainId: string;
  address: string;
  signer: OfflineDirectSigner;
  /** Fee per unit of gas in uakt. */
  gasPrice?: number;
  gasMultiplier?: number;
  /** How long to wait for the transaction to be included. */
  inclusionTimeoutMs?: number;
}

const SIGN_MODE_DIRECT = 1;
const BROADCAST_MODE_SYNC = 2;

export function createTxClient(options: TxClientOptions): AkashTxClient {
  const { node, restUrl, chainId, address, signer } = options;
  const registry = akashRegistry();
  const gasPrice = options.gasPrice ?? 0.025;
  const gasMultiplier = options.gasMultiplier ?? 1.5;

  /** Encodes the transaction; signed by the wallet, or with an empty signature for simulation. */
  async function encode(
    what: string,
    messages: EncodeObject[],
    body: { memo: string; timeoutHeight: bigint },
    gasLimit: number,
    fee: bigint,
    withSignature: boolean,
  ) {
    const [account] = (await signer.getAccounts()).filter((a) => a.address === address);
    if (!account) throw new AkashTxError("Signing", 4, `the wallet does not hold ${address}`);
    const { accountNumber, sequence } = await readAccount(node, restUrl, address);
    const bodyBytes = registry.encodeTxBody({ messages, ...body });
    const pubkey = encodePubkey(encodeSecp256k1Pubkey(account.pubkey));
    const authInfoBytes = makeAuthInfoBytes(
      [{ pubkey, sequence }],
      [{ denom: "uakt", amount: fee.toString() }],
      gasLimit,
      undefined,
      undefined,
      SIGN_MODE_DIRECT,
    );
    if (!withSignature)
      return TxRaw.encode(TxRaw.fromPartial({ bodyBytes, authInfoBytes, signatures: [new Uint8Array()] })).finish();
    const { signed, signature } = await signer
      .signDirect(address, makeSignDoc(bodyBytes, authInfoBytes, chainId, accountNumber))
      .catch((cause: unknown) => {
        throw new AkashTxNotSignedError(what, cause);
      });
    return TxRaw.encode(
      TxRaw.fromPartial({
        bodyBytes: signed.bodyBytes,
        authInfoBytes: signed.authInfoBytes,
        signatures: [fromBase64(signature.signature)],
      }),
    ).finish();
  }

  return {
    address,
    async signAndBroadcast(what, messages, { memo = "hexs", timeoutHeight = 0n, onSigned } = {}) {
      const body = { memo, timeoutHeight };
      // Simulate an unsigned draft to learn the gas (one wallet prompt only), then sign for real.
      const draft = await encode(what, messages, body, 1_000_000, 0n, false);
      const simulated = SimulateResponse.fromJSON(
        await post(
          restUrl,
          "/cosmos/tx/v1beta1/simulate",
          SimulateRequest.toJSON(SimulateRequest.fromPartial({ txBytes: draft })),
        ),
      );
      const gasUsed = Number(simulated.gasInfo?.gasUsed ?? 200_000);
      const gasLimit = Math.ceil(gasUsed * gasMultiplier);
      const txBytes = await encode(what, messages, body, gasLimit, BigInt(Math.ceil(gasLimit * gasPrice)), true);
      // The hash a node indexes the transaction under, known before it leaves the browser.
      const txHash = toHex(sha256(txBytes)).toUpperCase();
      onSigned?.(txHash);
      const broadcast = BroadcastTxResponse.fromJSON(
        await post(
          restUrl,
          "/cosmos/tx/v1beta1/txs",
          BroadcastTxRequest.toJSON(BroadcastTxRequest.fromPartial({ txBytes, mode: BROADCAST_MODE_SYNC })),
        ),
      );
      const checked = broadcast.txResponse;
      if (!checked) throw new AkashNodeError(restUrl, new Error("the node returned no tx response"));
      if (checked.code !== 0) throw new AkashTxError(what, checked.code, checked.rawLog, txHash);
      return waitForInclusion(what, node, restUrl, txHash, options.inclusionTimeoutMs ?? 60_000);
    },
  };
}

/**
 * POSTs to the node's REST API. WARNING: not through the SDK's web client: in chain-sdk
 * 1.0.0-alpha.25 its gateway transport sends a body only when the method is "POST", but the
 * generated tx service declares "post", so simulate and broadcast would go out empty.
 */
async function post(restUrl: string, path: string, body: unknown): Promise<unknown> {
  const url = `${restUrl.replace(/\/+$/, "")}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch (cause) {
    throw new AkashNodeError(url, cause);
  }
  const json = (await response.json().catch(() => ({}))) as { message?: string; code?: number };
  // A gateway or proxy failing in front of the node: whether the request got through is unknown.
  if (response.status >= 500)
    throw new AkashNodeError(url, new Error(`HTTP ${response.status}: ${json.message ?? ""}`));
  if (!response.ok) throw new AkashTxError(`POST ${path}`, json.code ?? -1, json.message ?? `HTTP ${response.status}`);
  return json;
}

async function readAccount(node: AkashSdk, restUrl: string, address: string) {
  try {
    const { info } = await query(restUrl, () => node.cosmos.auth.v1beta1.getAccountInfo({ address }));
    return { accountNumber: Number(info?.accountNumber ?? 0), sequence: Number(info?.sequence ?? 0) };
  } catch (error) {
    if (error instanceof Error && /not found/i.test(error.message)) {
      throw new AkashTxError("Reading the account", 5, `${address} has no funds on this chain yet`);
    }
    throw error;
  }
}

async function waitForInclusion(
  what: string,
  node: AkashSdk,
  restUrl: string,
  hash: string,
  timeoutMs: number,
): Promise<TxResult> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const included = await findTx(node, restUrl, hash);
    if (included) {
      if (included.code !== 0) throw new AkashTxError(what, included.code, included.rawLog, hash);
      return { txHash: hash, height: included.height, msgResponses: included.msgResponses };
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new AkashTxTimeoutError(what, hash, Date.now() - started);
}
