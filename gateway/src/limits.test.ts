import { describe, expect, it } from "vitest";
import { KeyLimits } from "./limits.ts";

describe("KeyLimits", () => {
  it("refuses a key's request beyond its concurrency until one ends", () => {
    const limits = new KeyLimits({ maxConcurrent: 2, perMinute: 100 });
    const a = limits.admit("k") as { release: () => void };
    limits.admit("k");
    expect(limits.admit("k")).toEqual({
      reason: "This key may have 2 requests running at once.",
      retryAfterSeconds: 1,
    });
    expect("release" in limits.admit("other")).toBe(true);
    a.release();
    a.release();
    expect("release" in limits.admit("k")).toBe(true);
    expect("reason" in limits.admit("k")).toBe(true);
  });

  it("refuses starts beyond the per-minute rate, saying when the window frees one", () => {
    let now = 0;
    const limits = new KeyLimits({ maxConcurrent: 100, perMinute: 3, now: () => now });
    for (let i = 0; i < 3; i++) {
      (limits.admit("k") as { release: () => void }).release();
      now += 10_000;
    }
    expect(limits.admit("k")).toEqual({ reason: "This key may start 3 requests per minute.", retryAfterSeconds: 30 });
    now = 60_001;
    expect("release" in limits.admit("k")).toBe(true);
  });
});
