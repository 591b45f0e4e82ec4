import { describe, expect, it } from "vitest";
import { actForAkt, aktForAct, formatMicro, formatUsd, parseMicro, type MintTerms } from "./act.ts";

const terms: MintTerms = { aktPriceMicroUsd: 1_250_000n, mintSpreadBps: 25n, minMintUact: 10_000_000n };

describe("amounts as typed", () => {
  it("reads whole units with up to 6 decimals as micro units, and nothing else", () => {
    expect(parseMicro("2.5")).toBe(2_500_000n);
    expect(parseMicro(" 10 ")).toBe(10_000_000n);
    expect(parseMicro("0.000001")).toBe(1n);
    for (const text of ["", "1.0000001", "-1", "1e3", "1,5", "."]) expect(parseMicro(text)).toBeUndefined();
  });
});

describe("minting ACT from AKT", () => {
  it("gives the mint at the oracle's price less the spread, nothing below the minimum", () => {
    // 20 AKT at $1.25 mint 25 ACT; 0.25 % stays in the vault.
    expect(actForAkt(20_000_000n, terms)).toBe(25_000_000n - 62_500n);
    expect(actForAkt(7_000_000n, terms)).toBe(0n); // 8.75 ACT < 10 ACT
  });

  it("suggests the least AKT whose mint covers the ACT asked for, and at least the minimum", () => {
    for (const uact of [1n, 500_000n, 9_999_999n, 10_000_000n, 123_456_789n]) {
      const uakt = aktForAct(uact, terms);
      expect(actForAkt(uakt, terms)).toBeGreaterThanOrEqual(uact);
      expect(actForAkt(uakt, terms)).toBeGreaterThanOrEqual(terms.minMintUact - terms.minMintUact / 400n);
      if (uact > terms.minMintUact) expect(actForAkt(uakt - 1n, terms)).toBeLessThan(uact);
    }
    expect(() => aktForAct(1n, { ...terms, aktPriceMicroUsd: 0n })).toThrow(/no price/);
  });

  it("writes amounts as people read them", () => {
    expect(formatMicro(24_937_500n, "ACT")).toBe("24.9375 ACT");
    expect(formatMicro(5_000_000n, "AKT")).toBe("5 AKT");
    expect(formatUsd(1_234_567n)).toBe("$1.23");
    expect(formatUsd(5_000n)).toBe("$0.01");
  });
});

describe("default maximum prices", () => {
  it("are per GPU class, and high enough for providers of that class to bid", async () => {
    const { defaultMaxPriceUact } = await import("./act.ts");
    expect(defaultMaxPriceUact("")).toBe(10);
    expect(defaultMaxPriceUact("rtx3090")).toBe(500);
    expect(defaultMaxPriceUact("A100")).toBe(2_000);
    expect(defaultMaxPriceUact("h100")).toBe(4_000);
    // ~600 blocks an hour at ACT = $1: an H100 may cost up to $2.40/h.
    expect((defaultMaxPriceUact("h100") * 600) / 1e6).toBeCloseTo(2.4);
  });
});

describe("funding a run", () => {
  it("costs at most the maximum price for every block of the expected run time", async () => {
    const { runCostAtMost } = await import("./act.ts");
    // An H100 at 4000 uact a block for 3 hours: 1800 blocks, 7.2 ACT.
    expect(runCostAtMost(4_000, 3)).toBe(7_200_000n);
    expect(runCostAtMost(10, 0.5)).toBe(3_000n);
    expect(runCostAtMost(0.5, 0.001)).toBe(1n); // rounded up, as the escrow charges
    expect(runCostAtMost(Number.NaN, 2)).toBe(0n);
    expect(runCostAtMost(100, -1)).toBe(0n);
  });

  it("mints for the deposit, or for the run's expected cost when that is more, less what the account holds", async () => {
    const { runFunding } = await import("./act.ts");
    // The deposit (5 ACT) is what a short CPU run needs; nothing held: the chain's 10 ACT minimum, 8 AKT.
    expect(runFunding({ depositUact: 5_000_000n, runCostUact: 3_000n }, 0n, terms)).toEqual({
      neededUact: 5_000_000n,
      shortfallUact: 5_000_000n,
      burnUakt: 8_000_000n,
    });
    // 12 hours on an H100 cost up to 28.8 ACT: more than the deposit, so the mint covers the run.
    const long = runFunding({ depositUact: 5_000_000n, runCostUact: 28_800_000n }, 3_000_000n, terms);
    expect(long.neededUact).toBe(28_800_000n);
    expect(long.shortfallUact).toBe(25_800_000n);
    expect(actForAkt(long.burnUakt, terms)).toBeGreaterThanOrEqual(25_800_000n);
    // Enough held: nothing is short, and the suggestion falls back to the chain's minimum mint.
    expect(runFunding({ depositUact: 5_000_000n, runCostUact: 28_800_000n }, 30_000_000n, terms)).toMatchObject({
      shortfallUact: 0n,
      burnUakt: 8_000_000n,
    });
  });
});
