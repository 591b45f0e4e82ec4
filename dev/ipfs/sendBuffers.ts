// Reusable buffers for block files on their way to a client.
//
// Why: reading each 1 MiB block into a new Buffer made 1 MiB of fresh external memory per block
// sent. Once the node had sat idle, V8's memory reducer left it tight heap limits, and that
// stream of allocations set off a full mark-compact every few blocks: measured ~300 ms of GC
// per 100 MB CAR, more than the sending itself. A buffer returns here once the socket has
// taken its bytes, so a long download reuses the same few buffers.
import { MAX_BLOCK_SIZE } from "./verifyBlock.ts";

/** One byte over the largest block, so a larger file is told apart from one that fits exactly. */
export const SEND_BUFFER_SIZE = MAX_BLOCK_SIZE + 1;
/** Buffers kept between requests (16 MiB); more are made under load and left to the GC. */
const KEEP = 8;

const free: ArrayBuffer[] = [];
const ours = new WeakSet<ArrayBufferLike>();

export function takeSendBuffer(): Uint8Array {
  const buffer = free.pop() ?? new ArrayBuffer(SEND_BUFFER_SIZE);
  ours.add(buffer);
  return new Uint8Array(buffer);
}

/** Hands back the buffer under `view`, once nothing reads it any more; other views are ignored. */
export function giveBackSendBuffer(view: Uint8Array): void {
  const buffer = view.buffer;
  if (!ours.has(buffer)) return;
  ours.delete(buffer);
  if (free.length < KEEP) free.push(buffer as ArrayBuffer);
}
