// Usage receipts: for every response, an EIP-712 signature by the operator's receipt key (the
// address registered on the Agent with `setReceiptSigner`) over what was served and billed. A
// key holder who keeps them can prove over-reporting: the chain's `spent` for the key must never
// exceed the running total of its latest receipt.
import { verifyTypedData, type Address, type Hex, type LocalAccount } from "viem";
import type { Receipt } from "./metering/usageLog.ts";

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

/** The EIP-712 domain: one per agent and chain, so a receipt cannot be replayed elsewhere. */
export function receiptDomain(chainId: number, agent: Address) {
  return { name: "HEXS usage receipt", version: "1", chainId, verifyingContract: agent } as const;
}

export type UnsignedReceipt = Omit<Receipt, "signer" | "signature">;

function message(receipt: UnsignedReceipt) {
  return {
    requestId: receipt.requestId,
    weightsCid: receipt.weightsCid,
    keyId: receipt.keyId,
    promptTokens: BigInt(receipt.promptTokens),
    completionTokens: BigInt(receipt.completionTokens),
    cost: BigInt(receipt.cost),
    sequence: BigInt(receipt.sequence),
    runningTotal: BigInt(receipt.runningTotal),
    interrupted: receipt.interrupted,
  };
}

export async function signReceipt(signer: LocalAccount, chainId: number, receipt: UnsignedReceipt): Promise<Receipt> {
  const signature: Hex = await signer.signTypedData({
    domain: receiptDomain(chainId, receipt.agent),
    types: RECEIPT_TYPES,
    primaryType: "Receipt",
    message: message(receipt),
  });
  return { ...receipt, signer: signer.address, signature };
}

/** Whether `receipt` was signed by `signer` (the address the Agent registers). */
export function verifyReceipt(chainId: number, receipt: Receipt, signer: Address): Promise<boolean> {
  return verifyTypedData({
    address: signer,
    domain: receiptDomain(chainId, receipt.agent),
    types: RECEIPT_TYPES,
    primaryType: "Receipt",
    message: message(receipt),
    signature: receipt.signature,
  });
}
