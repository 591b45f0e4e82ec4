// The gateway: `GET /ipfs/<cid>[/<path>]`, trustless (raw block, CAR) or deserialized (files
// with their content type, `index.html` for directories), from the local store only.
// https://specs.ipfs.tech/http-gateways/trustless-gateway/ and path-gateway/.
import type { IncomingMessage, ServerResponse } from "node:http";
import { unixfs, type UnixFS } from "@helia/unixfs";
import type { Helia } from "helia";
import type { Blockstore } from "interface-blockstore";
import { CarWriter } from "@ipld/car";
import type { CID } from "multiformats/cid";
import { CORS_HEADERS, HttpError, sendText } from "./http.ts";
import {
  byteRange,
  exportCar,
  fileSize,
  parseEntityBytes,
  resolvePathBlocks,
  type CarRequest,
  type DagScope,
} from "./carExport.ts";
import { readFile } from "./dagRead.ts";
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
/** Multihash code of an identity hash: the "digest" is the data itself. */
const IDENTITY = 0x00;
const RAW_CODEC = 0x55;
const MEDIA_TYPES: Record<string, Exclude<Format, "deserialized">> = {
  "application/vnd.ipld.raw": "raw",
  "application/vnd.ipld.car": "car",
};

/** How the request chose its format: `?format=`, the Accept header, or neither. */
interface Negotiated {
  format: Format;
  fromAccept: boolean;
}

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
    const { format, fromAccept } = formatOf(req, url);
    // path-gateway "Content-Location": a format chosen by Accept alone is named in the URL, so
    // caches keep the block, CAR and file answers apart.
    const location = fromAccept ? { "Content-Location": withFormat(url, format) } : {};
    if (root.multihash.code === IDENTITY)
      return await sendIdentity(req, res, url, root, path, format, { ...CORS_HEADERS, ...location }, head);
    if (!(await ctx.blockstore.has(root))) {
      // path-gateway "412 Precondition Failed": only-if-cached asks for what is here, and nothing else.
      if (onlyIfCached(req)) throw new HttpError(412, `${root} is not in this node's store (only-if-cached)`);
      throw new HttpError(404, `block ${root} not found on this node`);
    }
    if (format === "car") return await sendCar(ctx, req, res, url, root, path, { ...CORS_HEADERS, ...location }, head);
    const fs = unixfs(ctx.helia);
    const target = path === "" ? root : await resolve(fs, root, path);
    const common = { ...CORS_HEADERS, ...location, "X-Ipfs-Path": url.pathname, "X-Ipfs-Roots": target.toString() };
    if (format === "raw") return await sendRaw(ctx, req, res, url, target, common, head);
    return await sendDeserialized(ctx, fs, req, res, url, target, path, common, head);
  } catch (error) {
    if (error instanceof HttpError) return sendText(res, error.status, error.message, head);
    console.error("ipfs gateway:", error);
    return sendText(res, 500, `internal error: ${(error as Error).message}`, head);
  }
}

function formatOf(req: IncomingMessage, url: URL): Negotiated {
  const format = url.searchParams.get("format");
  if (format === "raw" || format === "car") return { format, fromAccept: false };
  if (format !== null && format !== "") throw new HttpError(400, `unsupported format "${format}" (raw or car)`);
  const accepted = acceptedFormat(req.headers.accept ?? "");
  return accepted ? { format: accepted, fromAccept: true } : { format: "deserialized", fromAccept: false };
}

/**
 * The verifiable format the Accept header prefers, by quality (RFC 9110 §12.5.1: `q=0` means
 * "not acceptable"), or undefined for a deserialized answer.
 */
function acceptedFormat(accept: string): Exclude<Format, "deserialized"> | undefined {
  const ranked = accept
    .split(",")
    .map((part) => {
      const [type = "", ...params] = part.split(";").map((p) => p.trim().toLowerCase());
      const q = params.find((p) => p.startsWith("q="));
      return { format: MEDIA_TYPES[type], q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((entry) => entry.format !== undefined && entry.q > 0)
    .sort((a, b) => b.q - a.q);
  return ranked[0]?.format;
}

function withFormat(url: URL, format: Format): string {
  const search = new URLSearchParams(url.search);
  search.set("format", format);
  return `${url.pathname}?${search}`;
}

function onlyIfCached(req: IncomingMessage): boolean {
  return (req.headers["cache-control"] ?? "").split(",").some((d) => d.trim().toLowerCase() === "only-if-cached");
}

/** path-gateway "If-None-Match": an Etag the client already holds is answered with 304 and no body. */
function notModified(req: IncomingMessage, res: ServerResponse, etag: string, common: object): boolean {
  const held = (req.headers["if-none-match"] ?? "").split(",").map((t) => t.trim());
  if (!held.includes(etag) && !held.includes("*")) return false;
  res.writeHead(304, { ...common, Etag: etag, "Cache-Control": IMMUTABLE });
  res.end();
  return true;
}

/**
 * path-gateway "Content-Disposition": `attachment` for `download=true` (and for raw blocks and
 * CARs, which a browser must not render), `inline` for a `filename` alone; a non-ASCII name also
 * as RFC 8187 `filename*`.
 */
function contentDisposition(url: URL, defaultName: string, attachment: boolean): string | undefined {
  const requested = url.searchParams.get("filename");
  const download = url.searchParams.get("download");
  if (!attachment && download !== "true" && requested === null) return undefined;
  const kind = attachment || download === "true" ? "attachment" : "inline";
  const name = requested ?? defaultName;
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const utf8 = ascii === name ? "" : `; filename*=UTF-8''${encodeURIComponent(name)}`;
  return `${kind}; filename="${ascii}"${utf8}`;
}

/**
 * An identity CID carries its block in itself (trustless-gateway "Dedicated Probe Paths":
 * `/ipfs/bafkqaaa` answers 200 with no content, the way clients probe a gateway). Raw-codec data
 * is served in any format; anything else only as a raw block or a CAR.
 */
async function sendIdentity(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  cid: CID,
  path: string,
  format: Format,
  common: object,
  head: boolean,
): Promise<void> {
  if (path !== "") throw new HttpError(404, `no "${path}" under ${cid}: an identity CID has no links`);
  const bytes = cid.multihash.digest;
  const headers = { ...common, "X-Ipfs-Path": url.pathname, "X-Ipfs-Roots": cid.toString() };
  if (format === "car") {
    const { writer, out } = CarWriter.create([cid]);
    void writer.put({ cid, bytes }).then(() => writer.close());
    const parts: Uint8Array[] = [];
    for await (const part of out) parts.push(part);
    const car = Buffer.concat(parts);
    const etag = `"${cid}.car.all"`;
    if (notModified(req, res, etag, headers)) return;
    res.writeHead(200, { ...carHeaders(url, cid, etag, headers), "Content-Length": car.length });
    return void res.end(head ? undefined : car);
  }
  if (format === "deserialized" && cid.code !== RAW_CODEC)
    throw new HttpError(
      501,
      `${cid}: an identity CID of codec 0x${cid.code.toString(16)} is served as a raw block or a CAR only`,
    );
  const raw = format === "raw";
  const etag = raw ? `"${cid}.raw"` : `"${cid}"`;
  if (notModified(req, res, etag, headers)) return;
  const disposition = contentDisposition(url, raw ? `${cid}.bin` : cid.toString(), raw);
  res.writeHead(200, {
    ...headers,
    "Content-Type": raw ? "application/vnd.ipld.raw" : contentTypeFor("", bytes),
    "Content-Length": bytes.length,
    ...(disposition ? { "Content-Disposition": disposition } : {}),
    "X-Content-Type-Options": "nosniff",
    Etag: etag,
    "Cache-Control": IMMUTABLE,
  });
  res.end(head ? undefined : bytes);
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
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  cid: CID,
  common: object,
  head: boolean,
): Promise<void> {
  const etag = `"${cid}.raw"`;
  if (notModified(req, res, etag, common)) return;
  const bytes = await readBlock(ctx.blockstore, cid);
  res.writeHead(200, {
    ...common,
    "Content-Type": "application/vnd.ipld.raw",
    "Content-Length": bytes.length,
    "Content-Disposition": contentDisposition(url, `${cid}.bin`, true)!,
    "X-Content-Type-Options": "nosniff",
    Etag: etag,
    "Cache-Control": IMMUTABLE,
  });
  res.end(head ? undefined : bytes);
}

/**
 * trustless-gateway "CAR Responses": the blocks verifying `path` from `root`, then the terminal
 * element as `dag-scope` shapes it, or only the blocks of an `entity-bytes` range of a file.
 */
async function sendCar(
  ctx: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  root: CID,
  path: string,
  common: object,
  head: boolean,
): Promise<void> {
  const requested = url.searchParams.get("dag-scope") ?? "all";
  if (requested !== "all" && requested !== "block" && requested !== "entity")
    throw new HttpError(400, `unsupported dag-scope "${requested}" (block, entity or all)`);
  const bytesParam = url.searchParams.get("entity-bytes");
  const entityBytes = bytesParam === null ? undefined : parseEntityBytes(bytesParam);
  const { traversed, terminal } = await resolvePathBlocks(ctx.blockstore, root, path);
  // "entity-bytes" implies dag-scope=entity, and is ignored for what is not a byte array.
  const scope: DagScope = entityBytes ? "entity" : requested;
  const request: CarRequest = { root, traversed, terminal, scope };
  if (entityBytes) {
    const size = await fileSize(ctx.blockstore, terminal);
    if (size !== undefined) {
      const range = byteRange(entityBytes, size);
      // A range entirely past the end is known wrong before any block is sent.
      if (entityBytes.from >= 0 && entityBytes.from >= size && size > 0)
        throw new HttpError(400, `entity-bytes "${bytesParam}" starts past the end of ${terminal} (${size} bytes)`);
      request.range = range;
    }
  }
  const variant = `${scope}${request.range === undefined ? "" : request.range === "empty" ? ".empty" : `.${request.range.start}-${request.range.end}`}`;
  const etag = `"${root}${path ? `/${encodeURIComponent(path)}` : ""}.car.${variant}"`;
  const headers = { ...common, "X-Ipfs-Path": url.pathname, "X-Ipfs-Roots": terminal.toString() };
  if (notModified(req, res, etag, headers)) return;
  res.writeHead(200, carHeaders(url, terminal, etag, headers));
  if (head) return void res.end();
  await pipeOut(req, res, exportCar(ctx.blockstore, request));
}

/** trustless-gateway "CAR Responses" headers: version and order signalled, an attachment named after `cid`. */
function carHeaders(url: URL, cid: CID, etag: string, common: object): Record<string, string> {
  return {
    ...(common as Record<string, string>),
    "Content-Type": "application/vnd.ipld.car; version=1; order=dfs; dups=n",
    "Content-Disposition": contentDisposition(url, `${cid}.car`, true)!,
    "X-Content-Type-Options": "nosniff",
    Etag: etag,
    "Cache-Control": IMMUTABLE,
  };
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
  const disposition = contentDisposition(url, name || stat.cid.toString(), false);
  const headers: Record<string, string | number> = {
    ...common,
    "Content-Type": contentTypeFor(url.searchParams.get("filename") ?? name, first),
    "Accept-Ranges": "bytes",
    Etag: `"${stat.cid}"`,
    "Cache-Control": IMMUTABLE,
    "Content-Length": range ? range.length : size,
    ...(disposition ? { "Content-Disposition": disposition } : {}),
  };
  if (notModified(req, res, `"${stat.cid}"`, common)) return;
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
