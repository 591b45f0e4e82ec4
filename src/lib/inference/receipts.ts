// Usage receipts: for every response, the inference gateway signs (EIP-712) what it served and
// billed with the operator's receipt key, the address registered on the Agent with
// `setReceiptSigner`. A key holder who keeps them can prove over-reporting: the chain's `spent`
// for the key must never exceed the running total of its latest receipt.
import { verifyTypedData, type Address, type Hex } from "viem";

export const RECEIPT_TYPES = {
  Receipt: [
    { name: "requestId", type: "string" },
    { name: "weightsCid", type: "string" },
    { name: "keyId", type: "bytes32" },
    { name: "promptTokens", type: "uint64" },
    { name: "completionTokens", type: "uint64" },
    { name: "cost", type: "uint256" },
    { name: "sequence", type: "uint64" },
    { name: "runningTotal", type: "uint256" },
    { name: "interrupted", type: "bool" },
  ],
} as const;

/** What a receipt states. */
export interface UnsignedReceipt {
  requestId: string;
  agent: Address;
  weightsCid: string;
  keyId: Hex;
  promptTokens: number;
  completionTokens: number;
  /** Credits billed for the request. */
  cost: number;
  /** The key's receipt number: 1, 2, 3… */
  sequence: number;
  /** Everything the key will have been charged once this request is settled. */
  runningTotal: number;
  /** The request ended early (client abort, failure or gateway restart) and is billed for what was delivered. */
  interrupted: boolean;
}

/** A receipt as the receipt key signed it. */
export interface Receipt extends UnsignedReceipt {
  signer: Address;
  signature: Hex;
}

/** The EIP-712 domain: one per agent and chain, so a receipt cannot be replayed elsewhere. */
export function receiptDomain(chainId: number, agent: Address) {
  return { name: "HEXS usage receipt", version: "1", chainId, verifyingContract: agent } as const;
}

/** The receipt as EIP-712 typed data, for wallets and verifiers. */
export function receiptTypedData(chainId: number, receipt: UnsignedReceipt) {
  return {
    domain: receiptDomain(chainId, receipt.agent),
    types: RECEIPT_TYPES,
    primaryType: "Receipt",
    message: {
      requestId: receipt.requestId,
      weightsCid: receipt.weightsCid,
      keyId: receipt.keyId,
      promptTokens: BigInt(receipt.promptTokens),
      completionTokens: BigInt(receipt.completionTokens),
      cost: BigInt(receipt.cost),
      sequence: BigInt(receipt.sequence),
      runningTotal: BigInt(receipt.runningTotal),
      interrupted: receipt.interrupted,
    },
  } as const;
}

/** Whether `receipt` was signed by `signer` (the address the Agent registers). */
export function verifyReceipt(chainId: number, receipt: Receipt, signer: Address): Promise<boolean> {
  return verifyTypedData({ address: signer, ...receiptTypedData(chainId, receipt), signature: receipt.signature });
}
