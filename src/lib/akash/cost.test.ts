import { describe, expect, it } from "vitest";
import { escrowLeft, leaseBlocks, leaseCost, parseDec, wholeUnits } from "./cost.ts";
import { formatProgress, parseProgress } from "./progress.ts";

describe("escrow left", () => {
  it("takes the price of every block since the last settlement off the funds, and says how many blocks the rest pays", () => {
    const escrow = { fundsUact: 5_000_000n, settledAt: 100n };
    expect(escrowLeft(escrow, 100n, "2000.0")).toEqual({ remainingUact: 5_000_000n, blocksLeft: 2500n });
    expect(escrowLeft(escrow, 600n, "2000.0")).toEqual({ remainingUact: 4_000_000n, blocksLeft: 2000n });
    // 12.5 uact a block: 3 blocks owe 38 uact (rounded up), the rest pays 399 996 blocks.
    expect(escrowLeft(escrow, 103n, "12.5")).toEqual({ remainingUact: 4_999_962n, blocksLeft: 399_996n });
    expect(escrowLeft(escrow, 10_000n, "2000.0")).toEqual({ remainingUact: 0n, blocksLeft: 0n });
    expect(escrowLeft(escrow, 200n, "0")).toEqual({ remainingUact: 5_000_000n, blocksLeft: undefined });
    expect(wholeUnits("4999999.999999999999999999")).toBe(4_999_999n);
  });
});

describe("lease cost", () => {
  it("multiplies the 18-decimal price by the blocks and rounds up to a whole uact", () => {
    expect(parseDec("8.000000000000000000")).toBe(8n * 10n ** 18n);
    expect(leaseCost("8.000000000000000000", 10n)).toBe(80n);
    expect(leaseCost("12.5", 3)).toBe(38n);
    expect(leaseCost("0.000001", 1)).toBe(1n);
    expect(leaseBlocks(100n, 90n)).toBe(0n);
    expect(() => parseDec("-1")).toThrow(RangeError);
  });
});

describe("trainer progress lines", () => {
  it("round-trips events and ignores ordinary or malformed lines", () => {
    const line = formatProgress({ event: "step", step: 3, steps: 20, trainLoss: 2.5 });
    expect(parseProgress(`2025-01-01T00:00:00Z ${line}`)).toEqual({
      event: "step",
      step: 3,
      steps: 20,
      trainLoss: 2.5,
    });
    expect(parseProgress("loading weights…")).toBeUndefined();
    expect(parseProgress('HEXS_PROGRESS {"event":"result"}')).toBeUndefined();
  });
});
