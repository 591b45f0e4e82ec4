// `node dev/benchmarks/pinBenchmarkSet.ts [--api http://127.0.0.1:5001] [set.json]`: pins a
// benchmark set (by default the shipped tiny-char-v1) on a Kubo RPC node and prints its CID —
// the name results and ledger records use for it.
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { kuboAdapter } from "../../src/lib/ipfs/kubo.ts";
import { parseBenchmarkSet } from "../../src/lib/onnx/benchmark.ts";
import { pinDocument } from "../../src/lib/onnx/documents.ts";
import { TINY_CHAR_SET_PATH } from "./buildTinyCharSet.ts";

/** Validates and pins the set at `path`; returns its CID. */
export async function pinBenchmarkSet(ipfsApiUrl: string, path: URL | string = TINY_CHAR_SET_PATH): Promise<string> {
  const set = parseBenchmarkSet(JSON.parse(await readFile(path, "utf8")));
  return pinDocument(set, kuboAdapter({ url: ipfsApiUrl }));
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { api: { type: "string", default: process.env.HEXS_IPFS_API_URL ?? "http://127.0.0.1:5001" } },
  });
  console.log(await pinBenchmarkSet(values.api, positionals[0] ?? TINY_CHAR_SET_PATH));
}
