// Packing content into a UnixFS CARv1 in the browser, root CID first.
//
// How it stays at one hash pass without holding big files: pass 1 (`hashLeaves`) reads each
// 1 MiB chunk, hashes it once and keeps only its CID and a reference to its bytes (a Blob
// slice, or a subarray); the DAG nodes above the leaves are built from those CIDs. The root
// is then known, so the CAR header can come first, and the CAR itself is a list of parts —
// small block prefixes interleaved with references to the source — read again only when the
// CAR is streamed or uploaded (pass 2 reads, it does not hash).
//
// WARNING: a Blob source must not change between packing and upload; the node re-hashes
// every block, so a changed file is rejected rather than stored under a wrong CID.
import { encode as encodeCbor } from "@ipld/dag-cbor";
import { varint } from "multiformats";
import type { CID } from "multiformats/cid";
import { buildDirectory, buildFile, walk, type DagNode } from "./dag.ts";
import { IpfsPackError } from "./errors.ts";
import { hashLeaves, sizeOf, type FileSource, type HashProgress } from "./leaves.ts";

export type { FileSource, HashProgress } from "./leaves.ts";

/** A CAR ready to upload: its root CID and exact size are known before any byte is sent. */
export interface PackedCar {
  readonly root: CID;
  /** Byte length of the whole CAR. */
  readonly size: number;
  /** The CAR as one Blob made of references to the sources (no copy of Blob sources). */
  blob(): Blob;
  /** The CAR as a byte stream, reading Blob sources 1 MiB at a time. */
  stream(): ReadableStream<Uint8Array>;
}

export interface PackOptions {
  onProgress?: (progress: HashProgress) => void;
  signal?: AbortSignal;
}

/** One file of a folder. `path` is relative, `/`-separated, without `.` or `..` segments. */
export interface FolderEntry {
  path: string;
  content: FileSource;
}

/**
 * Packs one file as a UnixFS file (a single chunk becomes a raw block).
 * @example const car = await packFile(input.files[0], { onProgress: ({ bytes, total }) => … })
 */
export async function packFile(content: FileSource, options: PackOptions = {}): Promise<PackedCar> {
  const total = sizeOf(content);
  const leaves = await hashLeaves(content, {
    signal: options.signal,
    onChunk: (bytes) => options.onProgress?.({ bytes, total }),
  });
  return carOf(await buildFile(leaves));
}

/** Packs a JSON value as a UnixFS file holding its UTF-8 text. */
export async function packJson(value: unknown, options: PackOptions = {}): Promise<PackedCar> {
  const text = JSON.stringify(value);
  if (text === undefined) throw new IpfsPackError("value is not JSON-serialisable", { details: String(value) });
  return packFile(text, options);
}

/**
 * Packs files into a UnixFS directory tree; the root CID is the top directory's.
 * @example const car = await packFiles([{ path: "index.html", content: html }, { path: "_app/a.js", content: js }])
 */
export async function packFiles(entries: readonly FolderEntry[], options: PackOptions = {}): Promise<PackedCar> {
  const sizes = entries.map((entry) => sizeOf(entry.content));
  const total = sizes.every((size) => size !== undefined) ? sizes.reduce((a, b) => a + b, 0) : undefined;
  const root: Tree = new Map();
  let done = 0;
  for (const entry of entries) {
    const segments = splitPath(entry.path);
    const leaves = await hashLeaves(entry.content, {
      signal: options.signal,
      onChunk: (bytes) => options.onProgress?.({ bytes: done + bytes, total }),
    });
    const file = await buildFile(leaves);
    done += file.fileSize;
    insert(root, segments, file, entry.path);
  }
  return carOf(await buildTree(root));
}

type Tree = Map<string, Tree | DagNode>;

function splitPath(path: string): string[] {
  const segments = path.split("/");
  for (const segment of segments) {
    if (segment === "" || segment === "." || segment === "..") {
      throw new IpfsPackError("invalid path in folder", {
        details: `"${path}": use relative paths with non-empty segments and no "." or ".."`,
      });
    }
  }
  return segments;
}

function insert(tree: Tree, segments: string[], file: DagNode, path: string): void {
  const [name, ...rest] = segments as [string, ...string[]];
  const existing = tree.get(name);
  if (rest.length === 0) {
    if (existing !== undefined) throw new IpfsPackError("duplicate path in folder", { details: path });
    tree.set(name, file);
    return;
  }
  if (existing !== undefined && !(existing instanceof Map)) {
    throw new IpfsPackError("a path is both a file and a folder", { details: path });
  }
  const child: Tree = existing ?? new Map();
  tree.set(name, child);
  insert(child, rest, file, path);
}

async function buildTree(tree: Tree): Promise<DagNode> {
  const children = new Map<string, DagNode>();
  for (const [name, child] of tree) children.set(name, child instanceof Map ? await buildTree(child) : child);
  return buildDirectory(children);
}

/** Lays out the CARv1: header with the root, then every block once, root first. */
function carOf(root: DagNode): PackedCar {
  const header = encodeCbor({ version: 1, roots: [root.cid] });
  const first = withLength(header);
  const parts: (Uint8Array | Blob)[] = [first];
  let size = first.length;
  for (const node of walk(root)) {
    const dataLength = node.bytes instanceof Blob ? node.bytes.size : node.bytes.length;
    const cidBytes = node.cid.bytes;
    const prefixLength = varint.encodingLength(cidBytes.length + dataLength);
    const prefix = new Uint8Array(prefixLength + cidBytes.length);
    varint.encodeTo(cidBytes.length + dataLength, prefix, 0);
    prefix.set(cidBytes, prefixLength);
    parts.push(prefix, node.bytes);
    size += prefix.length + dataLength;
  }
  const blob = () => new Blob(parts as BlobPart[], { type: "application/vnd.ipld.car" });
  // A Blob composed of slices streams sequentially without copying the sources first.
  const fromBlobs = parts.some((part) => part instanceof Blob);
  return { root: root.cid, size, blob, stream: () => (fromBlobs ? blob().stream() : streamParts(parts)) };
}

function withLength(bytes: Uint8Array): Uint8Array {
  const length = varint.encodingLength(bytes.length);
  const out = new Uint8Array(length + bytes.length);
  varint.encodeTo(bytes.length, out, 0);
  out.set(bytes, length);
  return out;
}

function streamParts(parts: (Uint8Array | Blob)[]): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const part = parts[index++];
      if (part === undefined) controller.close();
      else controller.enqueue(part as Uint8Array);
    },
  });
}
