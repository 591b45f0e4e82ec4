// Fast verified reads of big files (weights): fetch the file's whole DAG as one CAR
// (`?format=car`, depth-first) and check it while it streams — each block's hash against its
// CID, and each block against the CID the DAG expects next — so bytes reach the caller only
// after they are proven, with one hash per block and one HTTP request per file. Blocks stay in
// the pieces they arrived in (carStream.ts): file bytes go on as those pieces, never glued.
//
// Why beside verified-fetch: verified-fetch asks for one block per request; for a 100 MB file
// that is 100 sequential round trips and measured 5x slower than this path.
import * as dagPb from "@ipld/dag-pb";
import { UnixFS } from "ipfs-unixfs";
import { equals } from "multiformats/bytes";
import { CID } from "multiformats/cid";
import {
  IpfsCarFormatError,
  IpfsInvalidCidError,
  IpfsNotFoundError,
  IpfsReadError,
  IpfsUnreachableError,
  IpfsVerificationError,
} from "./errors.ts";
import { readCar, type CarBlock } from "./carStream.ts";
import { DAG_PB_CODE, RAW_CODE, SHA2_256_CODE, sha256OfPieces } from "./hash.ts";
import { concat } from "./pieces.ts";

export interface FileStreamOptions {
  /** Trustless gateway base URLs, tried in order until one answers with content that verifies. */
  gateways: readonly string[];
  signal?: AbortSignal;
  /** Told of each gateway that served content not matching its CID (the read goes on with the next). */
  onGatewayLied?: GatewayLiedListener;
}

/** Names a gateway caught serving bytes that do not match their CID, and what it got wrong. */
export type GatewayLiedListener = (gateway: string, details: string) => void;

const HASHES_IN_FLIGHT = 4;
/** Kubo's block limit: a larger block could not have been shared over bitswap. */
const MAX_BLOCK_SIZE = 2 * 1024 * 1024;

/** A gateway's depth-first CAR of the file, ready to walk. */
interface OpenedCar {
  gateway: string;
  /** Its place in the gateway list: failover goes on after it. */
  index: number;
  body: ReadableStream<Uint8Array>;
  duplicates: boolean;
}

/**
 * The verified bytes of the UnixFS file `cid`, as a stream. A gateway whose CAR fails
 * verification is named to `onGatewayLied` and the read goes on from the next gateway: its CAR is
 * verified from the start, and the bytes already delivered are skipped.
 * @throws IpfsVerificationError (in the stream) when every gateway that answered lied; IpfsReadError when no gateway answers.
 * @example const stream = await verifiedFileStream(weightsCid, { gateways, signal: AbortSignal.timeout(600_000) })
 */
export async function verifiedFileStream(
  cid: CID | string,
  options: FileStreamOptions,
): Promise<ReadableStream<Uint8Array>> {
  const root = typeof cid === "string" ? parseCid(cid) : cid;
  const opened = await openCar(root, options, 0);
  if ("failures" in opened) throw noCarError(root, options, opened);
  return toStream(failingOver(root, opened, options));
}

/** Asks the gateways from `from` on for the file's CAR; the first usable answer, or why none was. */
async function openCar(
  root: CID,
  options: FileStreamOptions,
  from: number,
): Promise<OpenedCar | { failures: string[]; notFound: number; unreachable: number }> {
  const failures: string[] = [];
  let notFound = 0;
  let unreachable = 0;
  for (let index = from; index < options.gateways.length; index++) {
    const gateway = options.gateways[index]!;
    const url = `${gateway.replace(/\/+$/, "")}/ipfs/${root}?format=car&dag-scope=all`;
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { Accept: "application/vnd.ipld.car; version=1; order=dfs; dups=n" },
        signal: options.signal ?? null,
      });
    } catch (cause) {
      if (options.signal?.aborted) throw new IpfsReadError(root.toString(), `reading ${root} was aborted`, { cause });
      failures.push(`${gateway}: ${(cause as Error).message}`);
      unreachable++;
      continue;
    }
    if (!response.ok || response.body === null) {
      failures.push(`${gateway}: HTTP ${response.status}`);
      if (response.status === 404) notFound++;
      await response.body?.cancel();
      continue;
    }
    // The walk below needs blocks in depth-first order; a gateway that does not say it sends
    // them so is skipped (verified-fetch can still read from it, block by block).
    const type = carParameters(response.headers.get("content-type"));
    if (type.order !== "dfs") {
      failures.push(`${gateway}: CAR order "${type.order ?? "unknown"}", not dfs`);
      await response.body.cancel();
      continue;
    }
    return { gateway, index, body: response.body, duplicates: type.dups === "y" };
  }
  return { failures, notFound, unreachable };
}

function noCarError(
  root: CID,
  options: FileStreamOptions,
  { failures, notFound, unreachable }: { failures: string[]; notFound: number; unreachable: number },
): Error {
  const details = failures.join("; ");
  if (notFound > 0 && notFound === options.gateways.length) {
    return new IpfsNotFoundError(root.toString(), `no gateway has ${root}`, { details });
  }
  if (unreachable > 0 && unreachable === options.gateways.length) {
    return new IpfsUnreachableError(root.toString(), `no gateway answered (tried ${options.gateways.join(", ")})`, {
      details,
    });
  }
  return new IpfsReadError(root.toString(), `no gateway returned ${root}`, { details });
}

/** Emits the verified file from `first`, going on from the next gateway each time one lies. */
async function* failingOver(root: CID, first: OpenedCar, options: FileStreamOptions): AsyncGenerator<Uint8Array> {
  const liars: string[] = [];
  let emitted = 0;
  let car = first;
  for (;;) {
    let skip = emitted;
    try {
      for await (const piece of verifyFile(root, blocksOf(car.body), { duplicates: car.duplicates })) {
        if (skip >= piece.length) {
          skip -= piece.length;
          continue;
        }
        const fresh = skip > 0 ? piece.subarray(skip) : piece;
        skip = 0;
        emitted += fresh.length;
        yield fresh;
      }
      return;
    } catch (error) {
      // Bytes that fail their hash, or a CAR that is not one: the gateway lied, the next may not.
      if (!(error instanceof IpfsVerificationError || error instanceof IpfsCarFormatError) || options.signal?.aborted)
        throw error;
      const details = error.details ?? error.message;
      liars.push(`${car.gateway} (${details})`);
      options.onGatewayLied?.(car.gateway, details);
      const next = await openCar(root, options, car.index + 1);
      if ("failures" in next)
        throw new IpfsVerificationError(root.toString(), {
          details: `gateways that lied: ${liars.join("; ")}${next.failures.length ? `; the others: ${next.failures.join("; ")}` : ""}`,
          cause: error,
        });
      car = next;
    }
  }
}

async function* blocksOf(body: ReadableStream<Uint8Array>): AsyncGenerator<CarBlock> {
  const reader = body.getReader();
  const chunks = (async function* () {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  })();
  try {
    yield* (await readCar(chunks, { maxBlockSize: MAX_BLOCK_SIZE })).blocks;
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** Hashes a few blocks ahead while earlier ones are checked and emitted. */
async function* hashedAhead(blocks: AsyncGenerator<CarBlock>): AsyncGenerator<CarBlock & { digest: Uint8Array }> {
  const queue: Promise<(CarBlock & { digest: Uint8Array }) | undefined>[] = [];
  const next = async () => {
    const { done, value } = await blocks.next();
    return done ? undefined : { ...value, digest: await sha256OfPieces(value.pieces) };
  };
  for (let i = 0; i < HASHES_IN_FLIGHT; i++) queue.push(next());
  for (;;) {
    const block = await queue.shift()!;
    if (block === undefined) return;
    queue.push(next());
    yield block;
  }
}

function carParameters(contentType: string | null): { order?: string; dups?: string } {
  const out: Record<string, string> = {};
  const [type, ...parameters] = (contentType ?? "").split(";").map((part) => part.trim().toLowerCase());
  if (type !== "application/vnd.ipld.car") return {};
  for (const parameter of parameters) {
    const [key, value] = parameter.split("=");
    if (key && value) out[key] = value;
  }
  return out;
}

/**
 * Walks the DAG in the order a depth-first CAR sends it; emits file bytes once verified.
 * `duplicates`: the CAR repeats a block each time it is referenced (`dups=y`).
 */
export async function* verifyFile(
  root: CID,
  blocks: AsyncGenerator<CarBlock>,
  { duplicates = false }: { duplicates?: boolean } = {},
): AsyncGenerator<Uint8Array> {
  const id = root.toString();
  const stack: CID[] = [root];
  // With `dups=n` a block referenced twice (two identical chunks) is sent once: keep it while
  // references to it remain.
  const remaining = new Map<string, number>([[id, 1]]);
  const kept = new Map<string, Uint8Array[]>();

  function* expand(cid: CID, pieces: Uint8Array[]): Generator<Uint8Array> {
    const key = cid.toString();
    const left = (remaining.get(key) ?? 1) - 1;
    if (left > 0 && !duplicates) kept.set(key, pieces);
    else kept.delete(key);
    remaining.set(key, left);
    if (cid.code === RAW_CODE) return yield* pieces;
    const node = dagPb.decode(concat(pieces));
    const unixfs = UnixFS.unmarshal(node.Data ?? new Uint8Array(0));
    if (unixfs.type !== "file" && unixfs.type !== "raw")
      throw new IpfsReadError(id, `${root} is a ${unixfs.type}, not a file`);
    if (unixfs.data !== undefined && unixfs.data.length > 0) yield unixfs.data;
    for (let i = node.Links.length - 1; i >= 0; i--) {
      const child = node.Links[i]!.Hash;
      stack.push(child);
      remaining.set(child.toString(), (remaining.get(child.toString()) ?? 0) + 1);
    }
  }
  function* replayKept(): Generator<Uint8Array> {
    for (let top = stack.at(-1); top !== undefined && kept.has(top.toString()); top = stack.at(-1)) {
      stack.pop();
      yield* expand(top, kept.get(top.toString())!);
    }
  }

  for await (const block of hashedAhead(blocks)) {
    yield* replayKept();
    const expected = stack.pop();
    if (expected === undefined) throw new IpfsVerificationError(id, { details: `unexpected extra block ${block.cid}` });
    if (!block.cid.equals(expected)) {
      throw new IpfsVerificationError(id, {
        details: `expected block ${expected} next, the gateway sent ${block.cid}`,
      });
    }
    if (expected.multihash.code !== SHA2_256_CODE || ![RAW_CODE, DAG_PB_CODE].includes(expected.code)) {
      throw new IpfsReadError(id, `block ${expected} uses a codec or hash this reader does not check`);
    }
    if (!equals(block.digest, expected.multihash.digest)) {
      throw new IpfsVerificationError(id, { details: `block ${expected} does not hash to its CID` });
    }
    yield* expand(expected, block.pieces);
  }
  yield* replayKept();
  if (stack.length > 0)
    throw new IpfsReadError(id, `the gateway's CAR for ${root} ended early`, {
      details: `next missing block ${stack.at(-1)}`,
    });
}

function toStream(source: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await source.next();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        controller.error(error);
      }
    },
    cancel: async () => void (await source.return(undefined)),
  });
}

function parseCid(text: string): CID {
  try {
    return CID.parse(text);
  } catch (cause) {
    throw new IpfsInvalidCidError(text, cause);
  }
}
