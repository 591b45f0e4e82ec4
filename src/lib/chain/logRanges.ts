// Reading many logs without hitting an RPC's limits: viem refuses a response above 10 MB (about
// 7 500 `AgentCreated` events), and public RPCs cap eth_getLogs by result count or block range.
// The range is split in advance into parts of about `perRequest` expected logs, read a few at a
// time, and a part an RPC refuses is halved until it passes.

/** Reads the logs of `[fromBlock, toBlock]`; throws when the RPC refuses the range. */
export type RangeReader<T> = (fromBlock: bigint, toBlock: bigint) => Promise<T[]>;

export interface RangeOptions {
  fromBlock: bigint;
  toBlock: bigint;
  /** How many logs the whole range holds, roughly (e.g. the registry's count). */
  expected: number;
  /** Logs to aim for per request; default 3 000 (about 4 MB of `AgentCreated`). */
  perRequest?: number;
  /** Requests in flight at once; default 2. */
  concurrency?: number;
}

/** Every log of the range, in block order, read in parts (see the file's comment). */
export async function readLogsInRanges<T>(read: RangeReader<T>, options: RangeOptions): Promise<T[]> {
  const { fromBlock, toBlock, expected } = options;
  if (toBlock < fromBlock) return [];
  const parts = Math.max(1, Math.ceil(expected / (options.perRequest ?? 3_000)));
  const span = toBlock - fromBlock + 1n;
  const ranges: [bigint, bigint][] = [];
  for (let i = 0n; i < BigInt(parts); i++) {
    const start = fromBlock + (span * i) / BigInt(parts);
    const end = fromBlock + (span * (i + 1n)) / BigInt(parts) - 1n;
    if (end >= start) ranges.push([start, end]);
  }
  const results: T[][] = new Array(ranges.length);
  let next = 0;
  const worker = async () => {
    while (next < ranges.length) {
      const index = next++;
      const [start, end] = ranges[index]!;
      results[index] = await readBisecting(read, start, end);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 2, ranges.length) }, worker));
  return results.flat();
}

async function readBisecting<T>(read: RangeReader<T>, fromBlock: bigint, toBlock: bigint): Promise<T[]> {
  try {
    return await read(fromBlock, toBlock);
  } catch (error) {
    // Only a refusal of the range's size is worth splitting; a single block refused, or any
    // other failure (an RPC that cannot be reached), is the answer.
    if (fromBlock === toBlock || !refusedForSize(error)) throw error;
    const middle = fromBlock + (toBlock - fromBlock) / 2n;
    const first = await readBisecting(read, fromBlock, middle);
    return [...first, ...(await readBisecting(read, middle + 1n, toBlock))];
  }
}

/** viem's own response-size limit, or an RPC's "too many results / too wide a range" answer. */
export function refusedForSize(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current.name === "ResponseBodyTooLargeError") return true;
    if (
      /more than \d+ results|too many|limit exceeded|exceed|block range|too large|response size/i.test(current.message)
    ) {
      return true;
    }
  }
  return false;
}
