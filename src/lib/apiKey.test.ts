import { describe, expect, it } from "vitest";
import { encodeAbiParameters, keccak256 } from "viem";
import { API_KEY_PREFIX, ApiKeyFormatError, apiKeyFrom, newApiKey, parseApiKey } from "./apiKey.ts";

const HOLDER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

describe("API keys", () => {
  it("names the holder, carries a 32-byte secret and files under keccak256(abi.encode(holder, keccak256(secret)))", () => {
    const key = newApiKey(HOLDER);
    expect(key.text).toMatch(/^sk-hexs-[0-9a-f]{112}$/);
    expect(key.text.slice(API_KEY_PREFIX.length, API_KEY_PREFIX.length + 40)).toBe(HOLDER.slice(2).toLowerCase());
    expect(key.secretHash).toBe(keccak256(key.secret));
    expect(key.keyId).toBe(
      keccak256(encodeAbiParameters([{ type: "address" }, { type: "bytes32" }], [HOLDER, key.secretHash])),
    );
  });

  it("reads back what it wrote", () => {
    const key = newApiKey(HOLDER);
    expect(parseApiKey(key.text)).toEqual(key);
  });

  it("never repeats a secret", () => {
    expect(new Set(Array.from({ length: 100 }, () => newApiKey(HOLDER).secret)).size).toBe(100);
  });

  it("refuses malformed keys before anything reaches the chain, saying why", () => {
    const { text } = apiKeyFrom(HOLDER, `0x${"ab".repeat(32)}`);
    const flipped = `${text.slice(0, 60)}${text[60] === "0" ? "1" : "0"}${text.slice(61)}`;
    for (const [bad, reason] of [
      ["Bearer " + text, "does not start"],
      [text.slice(0, -1), "112 lowercase hex"],
      [text.toUpperCase().replace("SK-HEXS-", API_KEY_PREFIX), "112 lowercase hex"],
      [flipped, "checksum"],
      [`0x${"ab".repeat(32)}`, "does not start"],
    ] as const) {
      expect(() => parseApiKey(bad)).toThrow(ApiKeyFormatError);
      expect(() => parseApiKey(bad)).toThrow(reason);
    }
  });
});
