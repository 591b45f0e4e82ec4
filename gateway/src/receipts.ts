// The gateway's receipt signer: every response carries a receipt (src/lib/inference/receipts.ts)
// signed by the operator's receipt key.
import { concat, hashDomain, keccak256, numberToHex, stringToHex, type Address, type Hex } from "viem";
import { privateKeyToAddress, sign } from "viem/accounts";
import { RECEIPT_TYPES, receiptDomain, type Receipt, type UnsignedReceipt } from "../../src/lib/inference/receipts.ts";

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
