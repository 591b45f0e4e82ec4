// The files of a UnixFS folder with their sizes, as a Files view lists them: each directory
// block and each file's root block is fetched raw (`?format=raw`) from the first gateway that has
// it and checked against its CID before its links or size are believed. A file's size is its
// UnixFS `fileSize`, not the link's cumulative `Tsize` (which counts block overhead).
import * as dagPb from "@ipld/dag-pb";
import { UnixFS } from "ipfs-unixfs";
import { equals } from "multiformats/bytes";
import { CID } from "multiformats/cid";
import { IpfsInvalidCidError, IpfsNotFoundError, IpfsReadError, IpfsVerificationError } from "./errors.ts";
import { DAG_PB_CODE, RAW_CODE, SHA2_256_CODE, sha256 } from "./hash.ts";

export interface FolderEntry {
  /** Path inside the folder, `/`-separated. */
  path: string;
  cid: string;
  /** Bytes of the file. */
  size: number;
}

export interface FolderListingOptions {
  gateways: readonly string[];
  signal?: AbortSignal;
}

/** Every file under the folder `cid`, depth first, in each directory's link order. */
export async function listFolder(cid: string, options: FolderListingOptions): Promise<FolderEntry[]> {
  let root: CID;
  try {
    root = CID.parse(cid);
  } catch (cause) {
    throw new IpfsInvalidCidError(cid, cause);
  }
  const entries: FolderEntry[] = [];
  const walk = async (at: CID, prefix: string): Promise<void> => {
    const node = await readNode(at, options);
    if (node.kind === "file") {
      if (prefix === "") throw new IpfsReadError(cid, `${cid} is a file, not a folder`);
      entries.push({ path: prefix, cid: at.toString(), size: node.size });
      return;
    }
    for (const link of node.links) {
      if (!link.Name) throw new IpfsReadError(cid, `a link under ${prefix || cid} has no name`);
      await walk(link.Hash, prefix ? `${prefix}/${link.Name}` : link.Name);
    }
  };
  await walk(root, "");
  return entries;
}

type Node = { kind: "file"; size: number } | { kind: "directory"; links: dagPb.PBLink[] };

async function readNode(cid: CID, options: FolderListingOptions): Promise<Node> {
  const bytes = await readBlock(cid, options);
  if (cid.code === RAW_CODE) return { kind: "file", size: bytes.length };
  if (cid.code !== DAG_PB_CODE) throw new IpfsReadError(cid.toString(), `${cid} is neither dag-pb nor raw`);
  const node = dagPb.decode(bytes);
  const unixfs = node.Data ? UnixFS.unmarshal(node.Data) : undefined;
  if (unixfs?.type === "directory") return { kind: "directory", links: node.Links };
  if (unixfs?.type === "file" || unixfs?.type === "raw") return { kind: "file", size: Number(unixfs.fileSize()) };
  throw new IpfsReadError(
    cid.toString(),
    `${cid} is a UnixFS ${unixfs?.type ?? "node without data"}, not a file or folder`,
  );
}

/** One block, verified: from the first gateway that answers with it. */
async function readBlock(cid: CID, options: FolderListingOptions): Promise<Uint8Array> {
  if (cid.multihash.code !== SHA2_256_CODE)
    throw new IpfsReadError(cid.toString(), `${cid} is not hashed with SHA-256`);
  const failures: string[] = [];
  let absent = 0;
  let lied = 0;
  for (const gateway of options.gateways) {
    let response: Response;
    try {
      response = await fetch(`${gateway.replace(/\/+$/, "")}/ipfs/${cid}?format=raw`, {
        headers: { Accept: "application/vnd.ipld.raw" },
        signal: options.signal ?? null,
      });
    } catch (cause) {
      if (options.signal?.aborted) throw new IpfsReadError(cid.toString(), `reading ${cid} was aborted`, { cause });
      failures.push(`${gateway}: ${(cause as Error).message}`);
      continue;
    }
    if (!response.ok) {
      if (response.status === 404) absent++;
      failures.push(`${gateway}: HTTP ${response.status}`);
      continue;
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (!equals(await sha256(bytes), cid.multihash.digest)) {
      lied++;
      failures.push(`${gateway}: sent a block that does not match ${cid}`);
      continue;
    }
    return bytes;
  }
  if (lied > 0 && lied + absent === options.gateways.length)
    throw new IpfsVerificationError(cid.toString(), { details: failures.join("; ") });
  if (absent === options.gateways.length)
    throw new IpfsNotFoundError(cid.toString(), `no gateway has ${cid}`, { details: failures.join("; ") });
  throw new IpfsReadError(cid.toString(), `could not read ${cid}`, { details: failures.join("; ") });
}
