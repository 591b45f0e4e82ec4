// Verified reads: every byte read from a gateway is checked against its CID by
// @helia/verified-fetch before the caller sees it. Light variant (Helia over HTTP only, no
// libp2p) per STACK-NOTES: the gateways are registered as an ordinary router, in the order
// given (local first), so provider lookup ends; loopback gateways are allowed.
import { fallbackRouter } from "@helia/fallback-router";
import { trustlessGatewayBlockBroker } from "@helia/trustless-gateway-client";
import { createVerifiedFetchWithHelia } from "@helia/verified-fetch";
import { createHeliaLight } from "helia";
import { CID } from "multiformats/cid";
import { BoundedBlockstore } from "./boundedBlockstore.ts";
import { verifiedFileStream, type GatewayLiedListener } from "./carRead.ts";
import {
  IpfsInvalidCidError,
  IpfsNotFoundError,
  IpfsReadError,
  IpfsUnreachableError,
  IpfsVerificationError,
} from "./errors.ts";
import { mismatchWatch } from "./mismatchWatch.ts";

export interface VerifiedReaderOptions {
  /** Trustless gateway base URLs, tried in this order (put the local node first). */
  gateways: readonly string[];
  /** Per-read time limit when the caller passes no signal; default 30 s. */
  timeoutMs?: number;
  /**
   * How long a read waits for any gateway to start answering before it says none did; default
   * 15 s. A large file may then take as long as it takes (up to the read's own limit).
   */
  answerTimeoutMs?: number;
  /** Bytes of verified blocks kept for re-reads; default 64 MiB. */
  cacheBytes?: number;
}

export interface ReadOptions {
  /** A path inside a UnixFS directory, e.g. "config.json". */
  path?: string;
  signal?: AbortSignal;
  /** Told of each gateway caught serving content that does not match its CID; the read goes on with the others. */
  onGatewayLied?: GatewayLiedListener;
}

export interface VerifiedReader {
  /** The verified response; its body streams as blocks are checked. */
  fetch(cid: CID | string, options?: ReadOptions): Promise<Response>;
  bytes(cid: CID | string, options?: ReadOptions): Promise<Uint8Array>;
  json<T = unknown>(cid: CID | string, options?: ReadOptions): Promise<T>;
  stop(): Promise<void>;
}

/**
 * @example
 * const reader = await createVerifiedReader({ gateways: ["http://127.0.0.1:5001"] })
 * const card = await reader.json(cardCid)
 */
export async function createVerifiedReader(options: VerifiedReaderOptions): Promise<VerifiedReader> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const router = fallbackRouter({ gateways: [...options.gateways], shuffle: false });
  // A router that only claims the "fallback" capability is consulted after the others finish;
  // with no others, provider lookup never ends. Present the gateways as an ordinary router.
  router.capabilities = () => [];
  const mismatches = mismatchWatch();
  const helia = createHeliaLight({
    logger: mismatches.logger,
    blockstore: new BoundedBlockstore(options.cacheBytes ?? 64 * 1024 * 1024),
    blockBrokers: [trustlessGatewayBlockBroker({ allowInsecure: true, allowLocal: true })],
    routers: [router],
  });
  await helia.start();
  const verifiedFetch = await createVerifiedFetchWithHelia(helia);

  const read = async (cid: CID | string, readOptions: ReadOptions = {}): Promise<Response> => {
    const root = parseCid(cid);
    const id = root.toString();
    const path = readOptions.path ? `/${readOptions.path.split("/").map(encodeURIComponent).join("/")}` : "";
    // Fail as soon as every gateway has served a block that does not match its CID; name each
    // liar as it is caught (the read goes on with the others).
    const rejected = new AbortController();
    const liars = new Set<string>();
    let lied = false;
    const unwatch = mismatches.watch(id, (gateway) => {
      lied = true;
      // Helia logs a mismatch twice: once with the gateway it evicts, once without.
      if (gateway === undefined || liars.has(gateway)) return;
      liars.add(gateway);
      readOptions.onGatewayLied?.(gateway, `served a block of ${id} that does not match its CID`);
      if (liars.size >= options.gateways.length)
        rejected.abort(
          new IpfsVerificationError(id, {
            details: `every gateway (${options.gateways.join(", ")}) served a block that does not match its CID`,
          }),
        );
    });
    // No answer from any gateway in time ends the read at once: waiting longer would not help.
    const silence = new AbortController();
    const answerTimer = setTimeout(() => silence.abort(), options.answerTimeoutMs ?? 15_000);
    const signal = AbortSignal.any([
      readOptions.signal ?? AbortSignal.timeout(timeoutMs),
      rejected.signal,
      silence.signal,
    ]);
    const fail = (text: string, cause?: unknown): Error => {
      unwatch();
      clearTimeout(answerTimer);
      if (rejected.signal.aborted) return rejected.signal.reason as Error;
      if (silence.signal.aborted)
        return new IpfsUnreachableError(id, `no gateway answered (tried ${options.gateways.join(", ")})`, {
          details: text,
          cause,
        });
      if (lied)
        return new IpfsVerificationError(id, {
          details: `${[...liars].join(", ") || "a gateway"} served a block that does not match its CID; ${text}`,
          cause,
        });
      return classify(id, text, signal, cause);
    };
    let response: Response;
    try {
      response = await verifiedFetch(`ipfs://${id}${path}`, { signal });
    } catch (cause) {
      throw fail(errorText(cause), cause);
    }
    clearTimeout(answerTimer);
    if (!response.ok) {
      const body = await response.text().catch(() => "");
      // verified-fetch answers 404 for a path once it has walked the (verified) folder and not
      // found it: the folder lacks that file, which a reader may expect (an optional file).
      if (response.status === 404 && readOptions.path) {
        unwatch();
        throw new IpfsNotFoundError(id, `${id} has no ${readOptions.path}`, { details: body });
      }
      throw fail(`HTTP ${response.status} ${body}`.trim());
    }
    return guardBody(response, fail, unwatch);
  };

  const bytes = async (cid: CID | string, readOptions?: ReadOptions): Promise<Uint8Array> => {
    const response = await read(cid, readOptions);
    return new Uint8Array(await response.arrayBuffer());
  };
  return {
    fetch: read,
    bytes,
    async json(cid, readOptions) {
      const content = await bytes(cid, readOptions);
      try {
        return JSON.parse(new TextDecoder().decode(content));
      } catch (cause) {
        throw new IpfsReadError(String(cid), "content is not JSON", { cause });
      }
    },
    async stop() {
      await verifiedFetch.stop();
      await helia.stop();
    },
  };
}

function parseCid(cid: CID | string): CID {
  if (typeof cid !== "string") return cid;
  try {
    return CID.parse(cid);
  } catch (cause) {
    throw new IpfsInvalidCidError(cid, cause);
  }
}

/** Turns errors raised while the body streams (a bad block deep in a file) into typed ones. */
function guardBody(response: Response, fail: (text: string, cause?: unknown) => Error, done: () => void): Response {
  if (response.body === null) {
    done();
    return response;
  }
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: end, value } = await reader.read();
        if (end) {
          done();
          controller.close();
        } else controller.enqueue(value);
      } catch (cause) {
        controller.error(fail(errorText(cause), cause));
      }
    },
    cancel: (reason) => {
      done();
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, headers: response.headers });
}

function classify(cid: string, text: string, signal: AbortSignal, cause?: unknown): Error {
  if (/did not match|InvalidMultihash/i.test(text)) return new IpfsVerificationError(cid, { details: text, cause });
  if (signal.aborted) return new IpfsReadError(cid, `no gateway returned ${cid} in time`, { details: text, cause });
  return new IpfsReadError(cid, `could not read ${cid}`, { details: text, cause });
}

function errorText(error: unknown): string {
  const parts: string[] = [];
  for (let current = error; current instanceof Error && parts.length < 6; current = current.cause) {
    parts.push(`${current.name}: ${current.message}`);
    if (current instanceof AggregateError) parts.push(...current.errors.map((inner) => errorText(inner)));
  }
  return parts.join(" <- ") || String(error);
}

const readers = new Map<string, Promise<VerifiedReader>>();

/**
 * Asks each gateway for the root block until one answers at all, so that a read from gateways
 * that all refuse the connection fails at once instead of at the answer deadline.
 * @throws IpfsUnreachableError when none answers
 */
async function requireAnAnswer(cid: CID | string, options: ReadOptions & VerifiedReaderOptions): Promise<void> {
  const root = parseCid(cid).toString();
  const failures: string[] = [];
  for (const gateway of options.gateways) {
    try {
      // Any answer will do, even an error status: the gateway is there to ask.
      await fetch(`${gateway.replace(/\/+$/, "")}/ipfs/${root}?format=raw`, {
        method: "HEAD",
        signal: options.signal ?? null,
      });
      return;
    } catch (cause) {
      if (options.signal?.aborted) return;
      failures.push(`${gateway}: ${errorText(cause)}`);
    }
  }
  throw new IpfsUnreachableError(root, `no gateway answered (tried ${options.gateways.join(", ")})`, {
    details: failures.join("; "),
  });
}

/**
 * Reads and verifies the bytes of `cid` (or of `path` inside it). A file is read as one
 * depth-first CAR (`verifiedFileStream`); paths, directories and gateways without CAR
 * answers go through verified-fetch, with a reader shared by every call with the same gateways.
 * @example const bytes = await verifiedRead(cid, { gateways, signal: AbortSignal.timeout(10_000) })
 */
export async function verifiedRead(
  cid: CID | string,
  options: ReadOptions & VerifiedReaderOptions,
): Promise<Uint8Array> {
  if (options.path === undefined) {
    // A whole file: one verified CAR per file is several times faster than block by block.
    // Anything else (a directory, a gateway without CAR support) goes through verified-fetch.
    try {
      const stream = await verifiedFileStream(cid, options);
      return new Uint8Array(await new Response(stream).arrayBuffer());
    } catch (error) {
      // Lies, absence and silence would be the same through verified-fetch, only slower.
      if (
        error instanceof IpfsVerificationError ||
        error instanceof IpfsNotFoundError ||
        error instanceof IpfsUnreachableError
      )
        throw error;
      if (error instanceof IpfsInvalidCidError || options.signal?.aborted) throw error;
    }
  } else {
    // A path goes through verified-fetch, which would wait out its deadline on silent gateways.
    await requireAnAnswer(cid, options);
  }
  const key = options.gateways.join(" ");
  let reader = readers.get(key);
  if (reader === undefined) {
    reader = createVerifiedReader(options);
    readers.set(key, reader);
    reader.catch(() => readers.delete(key));
  }
  return (await reader).bytes(cid, options);
}
