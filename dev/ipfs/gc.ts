// Keeps the node's memory flat under a stream of 1 MiB blocks. Every socket read is a fresh
// off-heap buffer; V8 only collects them after ~64 MB of such garbage piles up, and then with a
// full collection of the whole heap. A young-generation collection every few MiB frees them
// while they are still young (it costs about a millisecond).
//
// That holds only while nothing keeps a network chunk past two young collections (it is then
// promoted and waits for a full one): a block's chunks are let go once copied into the writer's
// slot (blockWriter.ts, importCar.ts), and CIDs are decoded from copies (carStream.ts). When
// they were kept until the block was on disk, a full collection every 32 MiB was needed to hold
// the memory, and it cost an upload a quarter of its time.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

type Gc = (options?: { type?: "minor" | "major"; execution?: "sync" | "async" }) => void;

setFlagsFromString("--expose-gc");
/** V8's collector, exposed for this process (tests use it to check what stays reachable). */
export const gc = runInNewContext("gc") as Gc;

const MINOR_EVERY_BYTES = 4 * 1024 * 1024;
let sinceMinor = 0;

/** Counts bytes that passed through; collects young garbage every few MiB. */
export function passed(bytes: number): void {
  sinceMinor += bytes;
  if (sinceMinor < MINOR_EVERY_BYTES) return;
  sinceMinor = 0;
  gc({ type: "minor" });
}
