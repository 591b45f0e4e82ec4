// Usage receipts: for every response, an EIP-712 signature by the operator's receipt key (the
// address registered on the Agent with `setReceiptSigner`) over what was served and billed. A
// key holder who keeps them can prove over-reporting: the chain's `spent` for the key must never
// exceed the running total of its latest receipt.
import { concat, hashDomain, keccak256, numberToHex, stringToHex, verifyTypedData, type Address, type Hex } from "viem";
import { privateKeyToAddress, sign } from "viem/accounts";
import type { UnsignedReceipt } from "./metering/usageLog.ts";

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

const RECEIPT_TYPEHASH = keccak256(
  stringToHex(`Receipt(${RECEIPT_TYPES.Receipt.map((field) => `${field.type} ${field.name}`).join(",")})`),
);
const DOMAIN_TYPES = {
  EIP712Domain: [
    { name: "name", type: "string" },
    { name: "version", type: "string" },
    { name: "chainId", type: "uint256" },
    { name: "verifyingContract", type: "address" },
  ],
} as const;

/** The EIP-712 domain: one per agent and chain, so a receipt cannot be replayed elsewhere. */
export function receiptDomain(chainId: number, agent: Address) {
  return { name: "HEXS usage receipt", version: "1", chainId, verifyingContract: agent } as const;
}

export type { UnsignedReceipt };

/** A receipt as the receipt key signed it. */
export interface Receipt extends UnsignedReceipt {
  signer: Address;
  signature: Hex;
}

/**
 * Signs receipts for one chain. Every response waits for its receipt, so the EIP-712 digest is
 * encoded by hand from the fixed type (a general typed-data encoder took more time than the
 * signature itself); receipts.test.ts checks it against viem's encoder and verifier.
 */
export class ReceiptSigner {
  readonly address: Address;
  readonly #privateKey: Hex;
  readonly #chainId: number;
  readonly #domains = new Map<Address, Hex>();

  constructor(privateKey: Hex, chainId: number) {
    this.address = privateKeyToAddress(privateKey);
    this.#privateKey = privateKey;
    this.#chainId = chainId;
  }

  async sign(receipt: UnsignedReceipt): Promise<Receipt> {
    const signature = await sign({ hash: this.digest(receipt), privateKey: this.#privateKey, to: "hex" });
    return { ...receipt, signer: this.address, signature };
  }

  /** The EIP-712 digest of `receipt`: keccak256(0x1901 ‖ domain separator ‖ hashStruct). */
  digest(receipt: UnsignedReceipt): Hex {
    return keccak256(concat(["0x1901", this.#domain(receipt.agent), hashReceipt(receipt)]));
  }

  #domain(agent: Address): Hex {
    let separator = this.#domains.get(agent);
    if (!separator) {
      separator = hashDomain({
        domain: { ...receiptDomain(this.#chainId, agent), chainId: BigInt(this.#chainId) },
        types: DOMAIN_TYPES,
      });
      this.#domains.set(agent, separator);
    }
    return separator;
  }
}

function hashReceipt(receipt: UnsignedReceipt): Hex {
  const word = (value: number | bigint | boolean) => numberToHex(BigInt(value), { size: 32 });
  return keccak256(
    concat([
      RECEIPT_TYPEHASH,
      keccak256(stringToHex(receipt.requestId)),
      keccak256(stringToHex(receipt.weightsCid)),
      receipt.keyId,
      word(receipt.promptTokens),
      word(receipt.completionTokens),
      word(receipt.cost),
      word(receipt.sequence),
      word(receipt.runningTotal),
      word(receipt.interrupted ? 1 : 0),
    ]),
  );
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
