import { describe, expect, it } from "vitest";
import { keccak256 } from "viem";
import { apiKeyHash, newApiKeySecret } from "./apiKeySecret.ts";

describe("newApiKeySecret", () => {
  it("makes a 32-byte secret whose keccak256 is the key hash", () => {
    const { secret, keyHash } = newApiKeySecret();
    expect(secret).toMatch(/^0x[0-9a-f]{64}$/);
    expect(keyHash).toBe(keccak256(secret));
    expect(apiKeyHash(secret)).toBe(keyHash);
  });

  it("never repeats a secret", () => {
    const secrets = new Set(Array.from({ length: 100 }, () => newApiKeySecret().secret));
    expect(secrets.size).toBe(100);
  });
});
