// The gateway: `GET /ipfs/<cid>[/<path>]`, trustless (raw block, CAR) or deserialized (files
// with their content type, `index.html` for directories), from the local store only.
// https://specs.ipfs.tech/http-gateways/trustless-gateway/ and path-gateway/.
import type { IncomingMessage, ServerResponse } from "node:http";
import { unixfs, type UnixFS } from "@helia/unixfs";
import type { Helia } from "helia";
import type { Blockstore } from "interface-blockstore";
import type { CID } from "multiformats/cid";
import { CORS_HEADERS, HttpError, sendText } from "./http.ts";
import { exportCar, readFile } from "./dagRead.ts";
import { readBlock } from "./blockFiles.ts";
import { giveBackSendBuffer } from "./sendBuffers.ts";
import { contentTypeFor } from "./mime.ts";
import { parseCid } from "./rpc.ts";

export interface GatewayContext {
  helia: Helia;
  blockstore: Blockstore;
}

const IMMUTABLE = "public, max-age=29030400, immutable";
type Format = "raw" | "car" | "deserialized";

export async function handleGateway(
  ctx: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const head = req.method === "HEAD";
  try {
    if (req.method !== "GET" && !head) throw new HttpError(405, `${req.method} not allowed on the gateway`);
    const [cidText = "", ...segments] = url.pathname.slice("/ipfs/".length).split("/");
    const root = parseCid(decodeURIComponent(cidText));
    const path = segments
      .map(decodeURIComponent)
      .filter((segment) => segment !== "")
      .join("/");
    if (!(await ctx.blockstore.has(root))) throw new HttpError(404, `block ${root} not found on this node`);
    const fs = unixfs(ctx.helia);
    const target = path === "" ? root : await resolve(fs, root, path);
    const format = formatOf(req, url);
    const common = { ...CORS_HEADERS, "X-Ipfs-Path": url.pathname, "X-Ipfs-Roots": target.toString() };
    if (format === "raw") return await sendRaw(ctx, res, target, common, head);
    if (format === "car") return await sendCar(ctx, req, res, url, target, common, head);
    return await sendDeserialized(ctx, fs, req, res, url, target, path, common, head);
  } catch (error) {
    if (error instanceof HttpError) return sendText(res, error.status, error.message, head);
    console.error("ipfs gateway:", error);
    return sendText(res, 500, `internal error: ${(error as Error).message}`, head);
  }
}

function formatOf(req: IncomingMessage, url: URL): Format {
  const format = url.searchParams.get("format");
  if (format === "raw" || format === "car") return format;
  if (format !== null && format !== "") throw new HttpError(400, `unsupported format "${format}" (raw or car)`);
  const accept = req.headers.accept ?? "";
  if (accept.includes("application/vnd.ipld.raw")) return "raw";
  if (accept.includes("application/vnd.ipld.car")) return "car";
  return "deserialized";
}

async function resolve(fs: UnixFS, root: CID, path: string): Promise<CID> {
  try {
    return (await fs.stat(root, { path, offline: true })).cid;
  } catch (cause) {
    throw notFound(cause, `no "${path}" under ${root}`);
  }
}

function notFound(cause: unknown, message: string): HttpError {
  const name = (cause as Error).name;
  if (name === "NotUnixFSError")
    return new HttpError(406, `${message}: not UnixFS data; ask for ?format=raw or ?format=car`);
  return new HttpError(404, `${message} (${(cause as Error).message})`, { cause });
}

async function sendRaw(
  ctx: GatewayContext,
  res: ServerResponse,
  cid: CID,
  common: object,
  head: boolean,
): Promise<void> {
  const bytes = await readBlock(ctx.blockstore, cid);
  res.writeHead(200, {
    ...common,
    "Content-Type": "application/vnd.ipld.raw",
    "Content-Length": bytes.length,
    "Content-Disposition": `attachment; filename="${cid}.bin"`,
    "X-Content-Type-Options": "nosniff",
    Etag: `"${cid}.raw"`,
    "Cache-Control": IMMUTABLE,
  });
  res.end(head ? undefined : bytes);
}

async function sendCar(
  ctx: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  cid: CID,
  common: object,
  head: boolean,
): Promise<void> {
  const scope = url.searchParams.get("dag-scope") ?? "all";
  if (scope !== "all" && scope !== "block") throw new HttpError(400, `unsupported dag-scope "${scope}" (all or block)`);
  res.writeHead(200, {
    ...common,
    "Content-Type": "application/vnd.ipld.car; version=1; order=dfs; dups=n",
    "Content-Disposition": `attachment; filename="${cid}.car"`,
    "X-Content-Type-Options": "nosniff",
    Etag: `"${cid}.car.${scope}"`,
    "Cache-Control": IMMUTABLE,
  });
  if (head) return void res.end();
  await pipeOut(req, res, exportCar(ctx.blockstore, cid, scope));
}

async function sendDeserialized(
  ctx: GatewayContext,
  fs: UnixFS,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  cid: CID,
  path: string,
  common: object,
  head: boolean,
): Promise<void> {
  let stat = await fs.stat(cid, { offline: true }).catch((cause) => {
    throw notFound(cause, `cannot read ${cid}`);
  });
  let name = path.split("/").pop() ?? "";
  if (stat.type === "directory") {
    if (!url.pathname.endsWith("/")) {
      // Relative links inside a site only resolve against a directory URL that ends in "/".
      res.writeHead(301, { ...common, Location: `${url.pathname}/${url.search}` });
      return void res.end();
    }
    const index = await fs.stat(cid, { path: "index.html", offline: true }).catch(() => undefined);
    if (index === undefined) return sendListing(fs, res, cid, url, common, head);
    stat = index;
    name = "index.html";
  }
  const size = Number(stat.size);
  const range = parseRange(req.headers.range, size);
  const first = await firstBytes(ctx, stat.cid);
  const headers: Record<string, string | number> = {
    ...common,
    "Content-Type": contentTypeFor(name, first),
    "Accept-Ranges": "bytes",
    Etag: `"${stat.cid}"`,
    "Cache-Control": IMMUTABLE,
    "Content-Length": range ? range.length : size,
  };
  if (req.headers["if-none-match"] === headers.Etag) {
    res.writeHead(304, { ...common });
    return void res.end();
  }
  if (range) headers["Content-Range"] = `bytes ${range.offset}-${range.offset + range.length - 1}/${size}`;
  res.writeHead(range ? 206 : 200, headers);
  if (head || size === 0) return void res.end();
  await pipeOut(req, res, readFile(ctx.blockstore, stat.cid, range?.offset, range?.length));
}

async function firstBytes(ctx: GatewayContext, cid: CID): Promise<Uint8Array> {
  for await (const chunk of readFile(ctx.blockstore, cid, 0, 512)) {
    const copy = chunk.slice();
    giveBackSendBuffer(chunk);
    return copy;
  }
  return new Uint8Array(0);
}

/**
 * Writes `chunks` to the client, waiting for the socket to drain; stops if the client goes.
 * Each chunk's send buffer is handed back once the socket has taken its bytes.
 */
async function pipeOut(req: IncomingMessage, res: ServerResponse, chunks: AsyncGenerator<Uint8Array>): Promise<void> {
  let closed = false;
  const onClose = () => (closed = true);
  req.socket.once("close", onClose);
  try {
    for await (const chunk of chunks) {
      if (closed) return;
      if (!res.write(chunk, () => giveBackSendBuffer(chunk))) await drained(res);
    }
    res.end();
  } catch (error) {
    // Headers are out: the only honest signal left is a broken connection.
    console.error("ipfs gateway: stream failed:", (error as Error).message);
    res.destroy();
  } finally {
    // A keep-alive socket serves many requests; each must not leave a listener behind.
    req.socket.off("close", onClose);
  }
}

async function sendListing(
  fs: UnixFS,
  res: ServerResponse,
  cid: CID,
  url: URL,
  common: object,
  head: boolean,
): Promise<void> {
  const rows: string[] = [];
  for await (const entry of fs.ls(cid, { offline: true })) {
    const name = escapeHtml(entry.name);
    rows.push(`<li><a href="./${encodeURIComponent(entry.name)}">${name}</a></li>`);
  }
  const body = `<!doctype html><meta charset="utf-8"><title>${escapeHtml(url.pathname)}</title><h1>Index of ${escapeHtml(url.pathname)}</h1><ul>${rows.join("")}</ul>\n`;
  res.writeHead(200, { ...common, "Content-Type": "text/html; charset=utf-8", Etag: `"${cid}.listing"` });
  res.end(head ? undefined : body);
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done).off("close", done);
      resolve();
    };
    res.on("drain", done).on("close", done);
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One `bytes=a-b` range, or undefined for a full response; an unsatisfiable range is a 416. */
function parseRange(header: string | undefined, size: number): { offset: number; length: number } | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === ""))
    throw new HttpError(416, `unsupported Range "${header}" (one bytes=a-b range)`);
  let start: number;
  let end: number;
  if (match[1] === "") {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start > end || start >= size) throw new HttpError(416, `Range "${header}" is outside 0-${size - 1}`);
  return { offset: start, length: end - start + 1 };
}
