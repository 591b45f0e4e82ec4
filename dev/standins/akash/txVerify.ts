// Decodes a broadcast transaction with the Akash SDK's protobuf types and checks it the way a
// Cosmos SDK ante handler does: one secp256k1 signer, the right account sequence, and a
// SIGN_MODE_DIRECT signature over (body, auth info, chain id, account number).
import { AuthInfo, TxBody, TxRaw } from "@akashnetwork/chain-sdk/private-types/cosmos.v1beta1";
import { encodeSecp256k1Pubkey, pubkeyToAddress } from "@cosmjs/amino";
import { Secp256k1, Secp256k1Signature, sha256 } from "@cosmjs/crypto";
import { makeSignBytes, makeSignDoc } from "@cosmjs/proto-signing";
import { akashRegistry } from "../../../src/lib/akash/messages.ts";

const PUBKEY_TYPE = "/cosmos.crypto.secp256k1.PubKey";

export interface DecodedTx {
  signer: string;
  pubkey: Uint8Array;
  sequence: number;
  fee: bigint;
  gasLimit: number;
  memo: string;
  /** The last block height that may include it; 0 for none (TxBody.timeout_height). */
  timeoutHeight: bigint;
  messages: { typeUrl: string; value: unknown }[];
  verify(chainId: string, accountNumber: number): Promise<boolean>;
}

/** Thrown for a transaction that is malformed; `code` follows the Cosmos SDK error codes. */
export class TxRejected extends Error {
  readonly code: number;
  /** The module whose error `code` is (the SDK's own: "sdk"). */
  readonly codespace: string;
  constructor(code: number, message: string, codespace = "sdk") {
    super(message);
    this.code = code;
    this.codespace = codespace;
  }
}

const registry = akashRegistry();

export function decodeTx(txBytes: Uint8Array): DecodedTx {
  let raw: ReturnType<typeof TxRaw.decode>;
  let body: ReturnType<typeof TxBody.decode>;
  let authInfo: ReturnType<typeof AuthInfo.decode>;
  try {
    raw = TxRaw.decode(txBytes);
    body = TxBody.decode(raw.bodyBytes);
    authInfo = AuthInfo.decode(raw.authInfoBytes);
  } catch (error) {
    throw new TxRejected(2, `tx parse error: ${String(error)}`);
  }
  const [signerInfo, ...others] = authInfo.signerInfos;
  if (!signerInfo || others.length > 0 || raw.signatures.length !== 1)
    throw new TxRejected(4, "expected exactly one signer and one signature");
  if (signerInfo.publicKey?.typeUrl !== PUBKEY_TYPE)
    throw new TxRejected(4, `unsupported public key ${signerInfo.publicKey?.typeUrl}`);
  // The Any's value is a PubKey message: field 1, length-delimited, 33 bytes.
  const pubkey = signerInfo.publicKey.value.subarray(2);
  if (pubkey.length !== 33) throw new TxRejected(4, "malformed secp256k1 public key");
  const signer = pubkeyToAddress(encodeSecp256k1Pubkey(pubkey), "akash");
  const messages = body.messages.map((any) => {
    try {
      return { typeUrl: any.typeUrl, value: registry.decode(any) as unknown };
    } catch {
      throw new TxRejected(2, `unknown message type ${any.typeUrl}`);
    }
  });
  const feeAmount = authInfo.fee?.amount.find((coin) => coin.denom === "uakt")?.amount ?? "0";
  const signature = raw.signatures[0]!;
  return {
    signer,
    pubkey,
    sequence: Number(signerInfo.sequence),
    fee: BigInt(feeAmount),
    gasLimit: Number(authInfo.fee?.gasLimit ?? 0),
    memo: body.memo,
    timeoutHeight: BigInt(String(body.timeoutHeight ?? 0)),
    messages,
    async verify(chainId, accountNumber) {
      if (signature.length !== 64) return false;
      const signBytes = makeSignBytes(makeSignDoc(raw.bodyBytes, raw.authInfoBytes, chainId, accountNumber));
      return Secp256k1.verifySignature(Secp256k1Signature.fromFixedLength(signature), sha256(signBytes), pubkey);
    },
  };
}
