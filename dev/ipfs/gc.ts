// Keeps the node's memory flat under a stream of 1 MiB blocks. Every socket read and every
// block is a fresh off-heap buffer; V8 only collects them after ~64 MB of such garbage piles
// up, so a 100 MB upload would briefly hold most of its size in dead buffers. A young-generation
// collection every few MiB frees them while they are still young (it costs about a millisecond).
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

type Gc = (options?: { type?: "minor" | "major"; execution?: "sync" | "async" }) => void;

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as Gc;

const EVERY_BYTES = 4 * 1024 * 1024;
let since = 0;

/** Counts bytes that passed through; collects young garbage every `EVERY_BYTES`. */
export function passed(bytes: number): void {
  since += bytes;
  if (since < EVERY_BYTES) return;
  since = 0;
  gc({ type: "minor" });
}
