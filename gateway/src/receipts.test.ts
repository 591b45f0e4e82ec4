import { describe, expect, it } from "vitest";
import { hashTypedData, keccak256, toHex, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { receiptTypedData, verifyReceipt, type UnsignedReceipt } from "../../src/lib/inference/receipts.ts";
import { ReceiptSigner } from "./receipts.ts";

function randomReceipt(i: number): UnsignedReceipt {
  const n = (max: number) => Math.floor(Math.random() * max);
  return {
    requestId: `req_${i}_${Math.random().toString(36).slice(2)}`,
    agent: privateKeyToAccount(generatePrivateKey()).address,
    weightsCid: i % 2 ? "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi" : "",
    keyId: keccak256(toHex(i)),
    promptTokens: n(4096),
    completionTokens: n(4096),
    cost: n(Number.MAX_SAFE_INTEGER),
    sequence: 1 + n(1_000_000),
    runningTotal: n(Number.MAX_SAFE_INTEGER),
    interrupted: i % 3 === 0,
  };
}

describe("receipts", () => {
  it("hash exactly as EIP-712 (viem's encoder) and verify against the signer, on random receipts", async () => {
    const key: Hex = generatePrivateKey();
    const signer = new ReceiptSigner(key, 31337);
    expect(signer.address).toBe(privateKeyToAccount(key).address);
    for (let i = 0; i < 25; i++) {
      const receipt = randomReceipt(i);
      expect(signer.digest(receipt)).toBe(hashTypedData(receiptTypedData(31337, receipt)));
      const signed = await signer.sign(receipt);
      expect(await verifyReceipt(31337, signed, signer.address)).toBe(true);
      // Another chain, another count or another signer: the signature no longer holds.
      expect(await verifyReceipt(1, signed, signer.address)).toBe(false);
      expect(
        await verifyReceipt(31337, { ...signed, completionTokens: signed.completionTokens + 1 }, signer.address),
      ).toBe(false);
      expect(await verifyReceipt(31337, signed, privateKeyToAccount(generatePrivateKey()).address)).toBe(false);
    }
  });
});
