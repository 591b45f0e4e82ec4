// UnixFS DAG building with the IPIP-499 "unixfs-v1-2025" profile: CIDv1, raw leaves of 1 MiB,
// balanced layout with at most 1 024 links per node, flat directories. The same bytes give the
// same CID as Kubo and `ipfs-unixfs-importer` with that profile (car.test.ts checks it).
import { encode, prepare, type PBLink } from "@ipld/dag-pb";
import { UnixFS } from "ipfs-unixfs";
import type { CID } from "multiformats/cid";
import { IpfsPackError } from "./errors.ts";
import { DAG_PB_CODE, cidOf } from "./hash.ts";

export const CHUNK_SIZE = 1024 * 1024;
export const MAX_LINKS = 1024;
/** Directory blocks above this size would need HAMT sharding, which HEXS does not write. */
export const MAX_DIRECTORY_BLOCK = 256 * 1024;

/** A block of the DAG. Raw leaves keep a reference to their bytes, never a copy of a Blob. */
export interface DagNode {
  cid: CID;
  /** The block's bytes: a dag-pb node, or the leaf's data (a Blob slice for Blob sources). */
  bytes: Uint8Array | Blob;
  /** Cumulative size (the dag-pb `Tsize`): this block plus all blocks below it. */
  size: number;
  /** Bytes of file content below this node. */
  fileSize: number;
  children: DagNode[];
}

/** Reduces hashed leaves into a balanced file DAG and returns its root. */
export async function buildFile(leaves: DagNode[]): Promise<DagNode> {
  if (leaves.length === 0) throw new IpfsPackError("a file needs at least one leaf");
  let level = leaves;
  // A single leaf is its own root, as with `reduceSingleLeafToSelf`.
  while (level.length > 1) {
    const next: DagNode[] = [];
    for (let i = 0; i < level.length; i += MAX_LINKS) next.push(await fileNode(level.slice(i, i + MAX_LINKS)));
    level = next;
  }
  return level[0]!;
}

async function fileNode(children: DagNode[]): Promise<DagNode> {
  const unixfs = new UnixFS({ type: "file" });
  for (const child of children) unixfs.addBlockSize(BigInt(child.fileSize));
  const links = children.map((child): PBLink => ({ Name: "", Tsize: child.size, Hash: child.cid }));
  return pbNode(unixfs, links, children);
}

/** A flat UnixFS directory over named children. */
export async function buildDirectory(entries: Map<string, DagNode>): Promise<DagNode> {
  const links: PBLink[] = [];
  for (const [name, child] of entries) links.push({ Name: name, Tsize: child.size, Hash: child.cid });
  const node = await pbNode(new UnixFS({ type: "directory" }), links, [...entries.values()]);
  if (node.bytes instanceof Uint8Array && node.bytes.length > MAX_DIRECTORY_BLOCK) {
    throw new IpfsPackError("directory has too many entries", {
      details: `${entries.size} entries make a ${node.bytes.length}-byte block; the limit without HAMT sharding is ${MAX_DIRECTORY_BLOCK}`,
    });
  }
  return node;
}

async function pbNode(unixfs: UnixFS, links: PBLink[], children: DagNode[]): Promise<DagNode> {
  const prepared = prepare({ Data: unixfs.marshal(), Links: links });
  const bytes = encode(prepared);
  // `prepare` sorts links by name; keep `children` in the same order so a pre-order walk of
  // the tree is the order a gateway streams the CAR in.
  const byCid = new Map(children.map((child) => [child.cid.toString(), child]));
  const ordered = prepared.Links.map((link) => byCid.get(link.Hash.toString())!);
  return {
    cid: await cidOf(DAG_PB_CODE, bytes),
    bytes,
    size: bytes.length + links.reduce((sum, link) => sum + (link.Tsize ?? 0), 0),
    fileSize: children.reduce((sum, child) => sum + child.fileSize, 0),
    children: ordered,
  };
}

/** Pre-order walk (root first), skipping repeated blocks (identical files or chunks). */
export function* walk(root: DagNode): Generator<DagNode> {
  const seen = new Set<string>();
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const key = node.cid.toString();
    if (seen.has(key)) continue;
    seen.add(key);
    yield node;
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
}
