import { describe, expect, it } from "vitest";
import { parseEther } from "viem";
import { formatEth, shortAddress } from "./format.ts";

describe("formatEth", () => {
  it("shows whole ether without decimals", () => {
    expect(formatEth(parseEther("10000"))).toBe("10000 ETH");
  });
  it("keeps at most four decimals and drops trailing zeros", () => {
    expect(formatEth(parseEther("1.234567"))).toBe("1.2345 ETH");
    expect(formatEth(parseEther("0.5"))).toBe("0.5 ETH");
  });
  it("shows dust below the fourth decimal as zero", () => {
    expect(formatEth(1n)).toBe("0 ETH");
  });
});

describe("shortAddress", () => {
  it("keeps the prefix and the last four characters", () => {
    expect(shortAddress("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")).toBe("0xf39F…2266");
  });
});
