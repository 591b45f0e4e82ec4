import { describe, expect, it } from "vitest";
import { leaseBlocks, leaseCost, parseDec } from "./cost.ts";
import { formatProgress, parseProgress } from "./progress.ts";

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
