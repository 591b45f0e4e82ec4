// A streaming CAR parser that leaves each block in the pieces it arrived in.
//
// Why not @ipld/car's CarBlockIterator: it glues each block's network chunks (64 KiB each in
// Node) into a new buffer. Writing fresh memory costs about as much as hashing it on the
// 2-core VM the benchmarks run on (page faults), so the glue was a second pass over every
// byte, on the node and on the reader alike. Here the hash reads the pieces where they are
// (hash.ts) and the node writes them with one `writev`; only small blocks are glued, to decode.
import { decode as decodeCbor } from "@ipld/dag-cbor";
import { varint } from "multiformats";
import { CID } from "multiformats/cid";
import { IpfsBlockTooLargeError, IpfsCarFormatError } from "./errors.ts";
import { concat } from "./pieces.ts";

export interface CarBlock {
  cid: CID;
  /** The block's bytes in arrival order: views of the source's chunks, not copies. */
  pieces: Uint8Array[];
  /** Total length of `pieces`. */
  length: number;
}

export interface CarStream {
  roots: CID[];
  /** The blocks, in stream order; throws `IpfsCarFormatError` where the CAR is malformed. */
  blocks: AsyncGenerator<CarBlock>;
}

export interface CarStreamOptions {
  /** A block declaring more bytes than this is rejected before its bytes are read. */
  maxBlockSize: number;
}

/** Headers are a few roots; this only stops a hostile length from buffering the stream. */
const MAX_HEADER_SIZE = 1024 * 1024;
/** A CAR section is a CID (at most a few dozen bytes for sha2-256) followed by the block. */
const MAX_CID_SIZE = 128;
const V2_HEADER_SIZE = 40;

/**
 * Reads a CARv1 (or the CARv1 inside a CARv2) from `source`.
 * @example const { roots, blocks } = await readCar(response.body, { maxBlockSize: 2 * 1024 * 1024 })
 */
export async function readCar(source: AsyncIterable<Uint8Array>, options: CarStreamOptions): Promise<CarStream> {
  const bytes = new ByteQueue(source);
  let header = await readHeader(bytes);
  let end = Infinity;
  if (header.version === 2) {
    // CARv2: a fixed header says where the CARv1 payload starts and how long it is.
    if (!(await bytes.fill(V2_HEADER_SIZE))) throw new IpfsCarFormatError("CARv2 header is truncated");
    const fixed = bytes.takeContiguous(V2_HEADER_SIZE);
    const view = new DataView(fixed.buffer, fixed.byteOffset, fixed.byteLength);
    const dataOffset = Number(view.getBigUint64(16, true));
    const dataSize = Number(view.getBigUint64(24, true));
    if (dataOffset < bytes.position) throw new IpfsCarFormatError("CARv2 payload offset points into its header");
    await bytes.skip(dataOffset - bytes.position);
    end = dataOffset + dataSize;
    header = await readHeader(bytes);
    if (header.version !== 1) throw new IpfsCarFormatError(`CARv2 payload is CAR version ${header.version}, not 1`);
  }
  return { roots: header.roots, blocks: readBlocks(bytes, end, options.maxBlockSize) };
}

async function readHeader(bytes: ByteQueue): Promise<{ version: number; roots: CID[] }> {
  const length = await readVarint(bytes, "header length");
  if (length === undefined) throw new IpfsCarFormatError("empty CAR");
  if (length > MAX_HEADER_SIZE) throw new IpfsCarFormatError(`header of ${length} bytes is too large`);
  if (!(await bytes.fill(length))) throw new IpfsCarFormatError("header is truncated");
  let header: unknown;
  try {
    header = decodeCbor(bytes.takeContiguous(length));
  } catch (cause) {
    throw new IpfsCarFormatError("header is not dag-cbor", { cause });
  }
  const { version, roots } = (header ?? {}) as { version?: unknown; roots?: unknown };
  if (version === 2) return { version, roots: [] };
  if (version !== 1) throw new IpfsCarFormatError(`unsupported CAR version ${String(version)}`);
  if (!Array.isArray(roots) || !roots.every((root) => CID.asCID(root) !== null)) {
    throw new IpfsCarFormatError("header roots are not a list of CIDs");
  }
  return { version, roots: roots as CID[] };
}

async function* readBlocks(bytes: ByteQueue, end: number, maxBlockSize: number): AsyncGenerator<CarBlock> {
  while (bytes.position < end) {
    const sectionLength = await readVarint(bytes, "block length");
    if (sectionLength === undefined) {
      if (end === Infinity) return;
      throw new IpfsCarFormatError("CARv2 payload ends before its declared size");
    }
    if (sectionLength > maxBlockSize + MAX_CID_SIZE) throw new IpfsBlockTooLargeError(sectionLength, maxBlockSize);
    const cidLength = await cidLengthAt(bytes);
    if (cidLength > sectionLength) throw new IpfsCarFormatError("a block's CID is longer than its section");
    let cid: CID;
    try {
      // Decoded from a copy: a CID viewing its network chunk would keep all of it (64 KiB in
      // Node) alive as long as the CID, long after the block's bytes were written or sent on.
      cid = CID.decode(bytes.takeContiguous(cidLength).slice());
    } catch (cause) {
      throw new IpfsCarFormatError("a block's CID does not decode", { cause });
    }
    const length = sectionLength - cidLength;
    if (length > maxBlockSize) throw new IpfsBlockTooLargeError(length, maxBlockSize);
    if (!(await bytes.fill(length))) throw new IpfsCarFormatError(`block ${cid} is truncated`);
    const pieces = bytes.take(length);
    if (bytes.position > end) throw new IpfsCarFormatError(`block ${cid} runs past the CARv2 payload`);
    yield { cid, pieces, length };
  }
  // A CARv2 index may follow the payload; read it off so the source (an upload) completes.
  await bytes.discardRest();
}

/** The byte length of the CID at the front of the queue (CIDv0 or CIDv1), without consuming it. */
async function cidLengthAt(bytes: ByteQueue): Promise<number> {
  if (!(await bytes.fill(2))) throw new IpfsCarFormatError("a block's CID is truncated");
  // CIDv0 is a bare sha2-256 multihash: 0x12 0x20 and 32 digest bytes.
  if (bytes.peek(0) === 0x12 && bytes.peek(1) === 0x20) return 34;
  let at = 0;
  for (let field = 0; field < 3; field++) at += await peekVarintLength(bytes, at); // version, codec, hash code
  const digestLengthBytes = await peekVarintLength(bytes, at);
  const digestLength = varint.decode(bytes.peekContiguous(at, digestLengthBytes))[0];
  const total = at + digestLengthBytes + digestLength;
  if (total > MAX_CID_SIZE) throw new IpfsCarFormatError(`a block's CID of ${total} bytes is too long`);
  if (!(await bytes.fill(total))) throw new IpfsCarFormatError("a block's CID is truncated");
  return total;
}

/** Reads one varint; undefined when the stream ends cleanly before it. */
async function readVarint(bytes: ByteQueue, what: string): Promise<number | undefined> {
  if (!(await bytes.fill(1))) return undefined;
  const length = await peekVarintLength(bytes, 0, what);
  return varint.decode(bytes.takeContiguous(length))[0];
}

async function peekVarintLength(bytes: ByteQueue, at: number, what = "CID"): Promise<number> {
  // Nine bytes carry 63 bits, more than any length or code in a CAR.
  for (let length = 1; length <= 9; length++) {
    if (!(await bytes.fill(at + length))) throw new IpfsCarFormatError(`${what} is truncated`);
    if ((bytes.peek(at + length - 1) & 0x80) === 0) return length;
  }
  throw new IpfsCarFormatError(`${what} is not a valid varint`);
}

/** The source's chunks, consumed from the front without copying them. */
class ByteQueue {
  readonly #source: AsyncIterator<Uint8Array>;
  #chunks: Uint8Array[] = [];
  /** Index of the first chunk not yet consumed (an index, not `shift`: tiny chunks stay linear). */
  #head = 0;
  #buffered = 0;
  #done = false;
  /** Bytes consumed since the start of the stream. */
  position = 0;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.#source = source[Symbol.asyncIterator]();
  }

  /** Buffers at least `length` bytes; false when the stream ends first. */
  async fill(length: number): Promise<boolean> {
    while (this.#buffered < length && !this.#done) {
      const { done, value } = await this.#source.next();
      if (done) this.#done = true;
      else if (value.length > 0) {
        this.#chunks.push(value);
        this.#buffered += value.length;
      }
    }
    return this.#buffered >= length;
  }

  peek(at: number): number {
    for (let index = this.#head; index < this.#chunks.length; index++) {
      const chunk = this.#chunks[index]!;
      if (at < chunk.length) return chunk[at]!;
      at -= chunk.length;
    }
    throw new RangeError("peek past the buffered bytes");
  }

  peekContiguous(at: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.peek(at + i);
    return out;
  }

  /** Consumes `length` buffered bytes as views of the chunks they lie in. */
  take(length: number): Uint8Array[] {
    const pieces: Uint8Array[] = [];
    let left = length;
    while (left > 0) {
      const chunk = this.#chunks[this.#head]!;
      if (chunk.length <= left) {
        pieces.push(chunk);
        this.#head++;
        left -= chunk.length;
      } else {
        pieces.push(chunk.subarray(0, left));
        this.#chunks[this.#head] = chunk.subarray(left);
        left = 0;
      }
    }
    if (this.#head * 2 >= this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#head);
      this.#head = 0;
    }
    this.#buffered -= length;
    this.position += length;
    return pieces;
  }

  /** Consumes `length` bytes as one array (copied only when they span chunks). */
  takeContiguous(length: number): Uint8Array {
    return concat(this.take(length));
  }

  async discardRest(): Promise<void> {
    this.#chunks = [];
    this.#head = 0;
    this.#buffered = 0;
    while (!this.#done) this.#done = (await this.#source.next()).done === true;
  }

  async skip(length: number): Promise<void> {
    while (length > 0) {
      if (!(await this.fill(1))) throw new IpfsCarFormatError("CAR ends inside a skipped region");
      const step = Math.min(length, this.#buffered);
      this.take(step);
      length -= step;
    }
  }
}
