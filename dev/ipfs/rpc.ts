// The Kubo RPC subset the dApp uses, shaped like Kubo's answers so a real Kubo node can take
// the local node's place: `dag/import`, `id`, `pin/ls`, and `repo/gc` for the operator.
import type { IncomingMessage, ServerResponse } from "node:http";
import busboy from "busboy";
import type { Blockstore } from "interface-blockstore";
import { CID } from "multiformats/cid";
import { HttpError, discardBody, sendJson, sendRpcError, CORS_HEADERS } from "./http.ts";
import { syncBlockFolders } from "./blockFiles.ts";
import { assertComplete, importCar, type CarImport } from "./importCar.ts";
import { collectGarbage } from "./repoGc.ts";
import type { RepoLock } from "./repoLock.ts";
import type { BlockWriter } from "./blockWriter.ts";
import type { NodeIdentity } from "./identity.ts";
import type { PinStore } from "./pins.ts";

export interface RpcContext {
  pins: PinStore;
  /** The node's own filesystem blockstore, written to directly (no network announcements). */
  blockstore: Blockstore;
  /** Hashes and writes uploaded blocks off the event loop. */
  writer: BlockWriter;
  identity: NodeIdentity;
  /** Largest accepted upload, in bytes (the multipart body). */
  maxUploadBytes: number;
  /** The blockstore's folder, walked by garbage collection. */
  blocksRoot: string;
  /** Imports hold it shared, garbage collection alone. */
  lock: RepoLock;
}

export async function handleRpc(ctx: RpcContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (req.method !== "POST") {
    discardBody(req);
    return sendRpcError(res, 405, `${req.method} not allowed: the RPC API takes POST only`);
  }
  const command = url.pathname.slice("/api/v0/".length);
  try {
    if (command === "dag/import") return await ctx.lock.shared(() => dagImport(ctx, req, res, url));
    discardBody(req);
    if (command === "id") return sendJson(res, 200, identityAnswer(ctx.identity));
    if (command === "pin/ls") return await pinLs(ctx, res, url);
    if (command === "repo/gc") return await ctx.lock.exclusive(() => repoGc(ctx, res));
    return sendRpcError(res, 404, `unknown command "${command}"; this node serves dag/import, id, pin/ls, repo/gc`);
  } catch (error) {
    if (error instanceof HttpError) return sendRpcError(res, error.status, error.message);
    console.error("ipfs rpc:", error);
    return sendRpcError(res, 500, `internal error: ${(error as Error).message}`);
  }
}

function identityAnswer(identity: NodeIdentity) {
  return {
    ID: identity.peerId,
    PublicKey: identity.publicKey,
    Addresses: [],
    AgentVersion: "hexs-ipfs/0.1.0 (helia, local stand-in for Kubo)",
    Protocols: [],
  };
}

/**
 * Kubo's `pin/ls` with its `type` filter (direct, indirect, recursive, all). Every pin here is
 * recursive: `type=direct` lists none; `type=indirect` (the blocks under recursive pins) would
 * walk every pinned DAG, so this node refuses it rather than answer wrongly.
 */
async function pinLs(ctx: RpcContext, res: ServerResponse, url: URL): Promise<void> {
  const type = url.searchParams.get("type") ?? "all";
  if (!["direct", "indirect", "recursive", "all"].includes(type))
    throw new HttpError(400, `invalid type '${type}', must be one of {direct, indirect, recursive, all}`);
  if (type === "indirect")
    throw new HttpError(400, "type=indirect is not supported by this node (it pins recursively only)");
  const listsRecursive = type !== "direct";
  const keys: Record<string, { Type: string; Name: string }> = {};
  const args = url.searchParams.getAll("arg");
  if (args.length === 0) {
    if (listsRecursive) for await (const cid of ctx.pins.list()) keys[cid.toString()] = { Type: "recursive", Name: "" };
    return sendJson(res, 200, { Keys: keys });
  }
  for (const arg of args) {
    const cid = parseCid(arg.replace(/^\/ipfs\//, ""));
    if (!listsRecursive || !(await ctx.pins.has(cid))) throw new HttpError(404, `path '${arg}' is not pinned`);
    keys[cid.toString()] = { Type: "recursive", Name: "" };
  }
  sendJson(res, 200, { Keys: keys });
}

export function parseCid(text: string): CID {
  try {
    return CID.parse(text);
  } catch (cause) {
    throw new HttpError(400, `invalid CID "${text.slice(0, 100)}": ${(cause as Error).message}`, { cause });
  }
}

/** Streams every multipart file through `importCar`, then pins all roots (Kubo's `pin-roots`). */
async function dagImport(ctx: RpcContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > ctx.maxUploadBytes) {
    discardBody(req);
    throw new HttpError(413, `upload of ${declared} bytes is over this node's ${ctx.maxUploadBytes}-byte limit`);
  }
  let imports: CarImport[];
  try {
    imports = await readParts(ctx, req);
  } catch (error) {
    req.unpipe();
    discardBody(req);
    throw error;
  }
  if (imports.length === 0)
    throw new HttpError(400, "no CAR file in the request (send multipart/form-data with a file part)");
  const pinRoots = url.searchParams.get("pin-roots") !== "false";
  const roots = imports.flatMap((one) => one.roots);
  const stored = new Set(imports.flatMap((one) => [...one.stored]));
  const lines: unknown[] = [];
  // Every block of the upload reaches the disk before any root is pinned (each file was flushed
  // before its rename; the folders hold the renames).
  await syncBlockFolders(
    ctx.blockstore,
    [...stored].map((key) => CID.parse(key)),
  );
  for (const root of roots) {
    await assertComplete(ctx.blockstore, root, stored);
    if (pinRoots) await ctx.pins.add(root);
    lines.push({ Root: { Cid: { "/": root.toString() }, PinErrorMsg: "" } });
  }
  if (url.searchParams.get("stats") === "true") {
    lines.push({
      Stats: {
        BlockCount: imports.reduce((sum, one) => sum + one.blockCount, 0),
        BlockBytesCount: imports.reduce((sum, one) => sum + one.blockBytes, 0),
      },
    });
  }
  res.writeHead(200, { ...CORS_HEADERS, "Content-Type": "application/json", "X-Chunked-Output": "1" });
  res.end(lines.map((line) => JSON.stringify(line) + "\n").join(""));
}

/**
 * Kubo's `repo/gc`: one line `{"Key":{"/":<cid>}}` per block removed, streamed as they go. The
 * blocks of uploads that were rejected or imported with `pin-roots=false` go; pinned DAGs stay.
 */
async function repoGc(ctx: RpcContext, res: ServerResponse): Promise<void> {
  res.writeHead(200, { ...CORS_HEADERS, "Content-Type": "application/json", "X-Chunked-Output": "1" });
  try {
    for await (const cid of collectGarbage(ctx.blockstore, ctx.pins, ctx.blocksRoot))
      res.write(JSON.stringify({ Key: { "/": cid.toString() } }) + "\n");
  } catch (error) {
    // The status is sent: Kubo reports a failure mid-stream as a line with an Error.
    res.write(JSON.stringify({ Error: (error as Error).message }) + "\n");
  }
  res.end();
}

function readParts(ctx: RpcContext, req: IncomingMessage): Promise<CarImport[]> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: ctx.maxUploadBytes, files: 64 } });
    } catch (cause) {
      return reject(new HttpError(400, `expected a multipart/form-data body: ${(cause as Error).message}`, { cause }));
    }
    const imports: CarImport[] = [];
    let chain = Promise.resolve();
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      reject(error);
    };
    parser.on("file", (_field, stream) => {
      stream.on("limit", () => {
        stream.destroy(new HttpError(413, `CAR is over this node's ${ctx.maxUploadBytes}-byte limit`));
      });
      chain = chain.then(async () => {
        if (failed) return void stream.resume();
        imports.push(await importCar(ctx.blockstore, stream, ctx.writer));
      });
      chain.catch((error) => {
        stream.resume();
        fail(error instanceof HttpError ? error : new HttpError(400, (error as Error).message, { cause: error }));
      });
    });
    parser.on("error", (cause) =>
      fail(new HttpError(400, `malformed multipart body: ${(cause as Error).message}`, { cause })),
    );
    parser.on("close", () =>
      chain.then(
        () => !failed && resolve(imports),
        () => undefined,
      ),
    );
    req.pipe(parser);
  });
}
