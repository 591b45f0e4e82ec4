import { describe, expect, it } from "vitest";
import { readLogsInRanges } from "./logRanges.ts";

/** One log per block in [0, 999], from an RPC that refuses more than `limit` logs per request. */
function rpc(limit: number) {
  const requests: [bigint, bigint][] = [];
  const read = async (from: bigint, to: bigint) => {
    requests.push([from, to]);
    if (to - from + 1n > BigInt(limit)) throw new Error(`query returned more than ${limit} results`);
    return Array.from({ length: Number(to - from + 1n) }, (_, i) => Number(from) + i);
  };
  return { read, requests };
}

describe("readLogsInRanges", () => {
  it("splits the range by the expected count and keeps block order", async () => {
    const { read, requests } = rpc(10_000);
    const logs = await readLogsInRanges(read, { fromBlock: 0n, toBlock: 999n, expected: 1000, perRequest: 300 });
    expect(logs).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(requests).toHaveLength(4);
  });

  it("halves a part the RPC refuses until it passes", async () => {
    const { read, requests } = rpc(100);
    const logs = await readLogsInRanges(read, { fromBlock: 0n, toBlock: 999n, expected: 1, perRequest: 3000 });
    expect(logs).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(requests.every(([from, to]) => to >= from)).toBe(true);
    expect(requests.length).toBeGreaterThan(16);
  });

  it("fails at once, with the RPC's error, on anything but a refusal of the range's size", async () => {
    let requests = 0;
    const read = async () => {
      requests++;
      throw new Error("fetch failed: connection refused");
    };
    await expect(readLogsInRanges(read, { fromBlock: 5n, toBlock: 800n, expected: 1 })).rejects.toThrow(
      "connection refused",
    );
    expect(requests).toBe(1);
  });

  it("gives up on a single block the RPC refuses", async () => {
    const read = async () => Promise.reject(new Error("query returned more than 0 results"));
    await expect(readLogsInRanges(read, { fromBlock: 5n, toBlock: 6n, expected: 1 })).rejects.toThrow("more than");
  });

  it("reads nothing from an empty range", async () => {
    const { read, requests } = rpc(10);
    expect(await readLogsInRanges(read, { fromBlock: 9n, toBlock: 8n, expected: 5 })).toEqual([]);
    expect(requests).toEqual([]);
  });
});
