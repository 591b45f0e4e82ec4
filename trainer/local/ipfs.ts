// Verified reads of UnixFS content for the trainer: the whole DAG is fetched as a CAR from a
// trustless gateway, every block is re-hashed against its CID, and files are read from those
// verified blocks only. A gateway that lies fails the job instead of poisoning it.
import { createHash } from "node:crypto";
import { CarBlockIterator } from "@ipld/car";
import { exporter } from "ipfs-unixfs-exporter";
import { CID } from "multiformats/cid";

const SHA2_256 = 0x12;

/** Files of the UnixFS DAG at `cid` (a file gives one entry named ""), keyed by path. */
export async function readUnixfs(
  gatewayUrl: string,
  cid: string,
  timeoutMs = 60_000,
): Promise<Map<string, Uint8Array>> {
  const root = CID.parse(cid);
  const url = `${gatewayUrl.replace(/\/+$/, "")}/ipfs/${root}?format=car`;
  const response = await fetch(url, {
    headers: { accept: "application/vnd.ipld.car" },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok || !response.body) throw new Error(`IPFS gateway answered HTTP ${response.status} for ${url}`);
  const blocks = new Map<string, Uint8Array>();
  const iterator = await CarBlockIterator.fromIterable(response.body as AsyncIterable<Uint8Array>);
  for await (const { cid: blockCid, bytes } of iterator) {
    if (blockCid.multihash.code !== SHA2_256) throw new Error(`block ${blockCid}: unsupported hash`);
    const digest = createHash("sha256").update(bytes).digest();
    if (!digest.equals(Buffer.from(blockCid.multihash.digest)))
      throw new Error(`block ${blockCid}: bytes do not match the CID`);
    blocks.set(blockCid.toString(), bytes);
  }
  // The exporter reads a block as a stream of chunks (interface-blockstore's `get`).
  const blockstore = {
    async *get(wanted: CID) {
      const bytes = blocks.get(wanted.toString());
      if (!bytes) throw new Error(`block ${wanted} missing from the gateway's CAR`);
      yield bytes;
    },
  };
  const files = new Map<string, Uint8Array>();
  const walk = async (target: CID, path: string): Promise<void> => {
    const entry = await exporter(target, blockstore as never);
    if (entry.type === "directory") {
      for await (const child of entry.entries()) await walk(child.cid, path ? `${path}/${child.name}` : child.name);
    } else if (entry.type === "file" || entry.type === "raw" || entry.type === "identity") {
      const chunks: Uint8Array[] = [];
      for await (const chunk of entry.content()) chunks.push(chunk as Uint8Array);
      files.set(path, Buffer.concat(chunks));
    } else {
      throw new Error(`${target} is not UnixFS (${entry.type})`);
    }
  };
  await walk(root, "");
  return files;
}
