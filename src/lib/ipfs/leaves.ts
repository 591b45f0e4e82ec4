// The single hash pass: cut a source into 1 MiB chunks and hash each one exactly once. A few
// hashes run at once because WebCrypto digests off the calling thread.
import { IpfsPackError } from "./errors.ts";
import { CHUNK_SIZE, type DagNode } from "./dag.ts";
import { RAW_CODE, cidOf } from "./hash.ts";

/** What a file's content can be. A Blob (a browser `File`, Node's `fs.openAsBlob`) is read twice
 * (hash, then emit) but never held whole; a one-shot stream is spooled into Blobs as it is hashed,
 * which browsers keep on disk when large. */
export type FileSource = Blob | Uint8Array | string | ReadableStream<Uint8Array>;

export interface HashProgress {
  /** Bytes hashed so far in this pack call. */
  bytes: number;
  /** Total bytes, when every source has a known size. */
  total: number | undefined;
}

export interface LeafOptions {
  signal?: AbortSignal | undefined;
  /** Called after each hashed chunk with the bytes hashed so far in this file. */
  onChunk?: (bytes: number) => void;
}

const IN_FLIGHT = 4;

/** The raw leaves of `source`, hashed; an empty source gives one empty leaf. */
export async function hashLeaves(source: FileSource, options: LeafOptions = {}): Promise<DagNode[]> {
  const leaves: DagNode[] = [];
  const pending: Promise<DagNode>[] = [];
  let hashed = 0;
  const settle = async (): Promise<void> => {
    const leaf = await pending.shift()!;
    leaves.push(leaf);
    hashed += leaf.fileSize;
    options.onChunk?.(hashed);
  };
  for await (const [data, keep] of chunks(source)) {
    options.signal?.throwIfAborted();
    pending.push(leafOf(data, keep));
    if (pending.length >= IN_FLIGHT) await settle();
  }
  while (pending.length > 0) await settle();
  if (leaves.length === 0) leaves.push(await leafOf(new Uint8Array(0), new Uint8Array(0)));
  return leaves;
}

async function leafOf(data: Uint8Array, keep: Uint8Array | Blob): Promise<DagNode> {
  return { cid: await cidOf(RAW_CODE, data), bytes: keep, size: data.length, fileSize: data.length, children: [] };
}

/** The byte size of a source, when it is known without reading it. */
export function sizeOf(source: FileSource): number | undefined {
  if (typeof source === "string") return new TextEncoder().encode(source).length;
  if (source instanceof Uint8Array) return source.length;
  if (source instanceof Blob) return source.size;
  return undefined;
}

/** Yields each chunk's bytes (to hash) and what the CAR keeps of it (a slice, not a copy). */
async function* chunks(source: FileSource): AsyncGenerator<[Uint8Array, Uint8Array | Blob]> {
  if (typeof source === "string") source = new TextEncoder().encode(source);
  if (source instanceof Uint8Array) {
    for (let at = 0; at < source.length; at += CHUNK_SIZE) {
      const chunk = source.subarray(at, at + CHUNK_SIZE);
      yield [chunk, chunk];
    }
  } else if (source instanceof Blob) {
    // One sequential stream reads faster than a request per slice (Node: ~1.5x); the CAR keeps
    // a slice reference for each chunk, not the bytes.
    let at = 0;
    for await (const chunk of rechunk(source.stream())) {
      yield [chunk, source.slice(at, at + chunk.length)];
      at += chunk.length;
    }
  } else if (source instanceof ReadableStream) {
    for await (const chunk of rechunk(source)) yield [chunk, new Blob([chunk as Uint8Array<ArrayBuffer>])];
  } else {
    throw new IpfsPackError("unsupported file content", { details: `got ${Object.prototype.toString.call(source)}` });
  }
}

/** Re-cuts a stream's arbitrary pieces into CHUNK_SIZE chunks (the last one shorter). */
async function* rechunk(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  let buffer = new Uint8Array(CHUNK_SIZE);
  let filled = 0;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      let at = 0;
      while (at < value.length) {
        const take = Math.min(CHUNK_SIZE - filled, value.length - at);
        buffer.set(value.subarray(at, at + take), filled);
        filled += take;
        at += take;
        if (filled === CHUNK_SIZE) {
          yield buffer;
          buffer = new Uint8Array(CHUNK_SIZE);
          filled = 0;
        }
      }
    }
  } finally {
    reader.releaseLock();
  }
  if (filled > 0) yield buffer.subarray(0, filled);
}
