// `npm run publish:ipfs`: builds the site, packs `build/` as a UnixFS directory, uploads it
// through the Kubo RPC at HEXS_IPFS_API (default: the local node), checks the node stored the
// CID computed here, and prints the CID and the gateway URL of the site.
//   --no-build          publish the existing build/ as is
//   --dir <folder>      publish another folder
// Env: HEXS_IPFS_API (default http://127.0.0.1:5001), HEXS_IPFS_GATEWAY (default: the API URL).
import { spawn } from "node:child_process";
import { openAsBlob } from "node:fs";
import { readdir } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { parseArgs } from "node:util";
import { packFiles, type FolderEntry } from "../../src/lib/ipfs/car.ts";
import { kuboAdapter } from "../../src/lib/ipfs/kubo.ts";
import { uploadCar } from "../../src/lib/ipfs/upload.ts";

export interface PublishOptions {
  api: string;
  gateway?: string;
  onProgress?: (message: string) => void;
}

export interface Published {
  cid: string;
  url: string;
  files: number;
  bytes: number;
}

/** Packs every file under `dir` and uploads the directory; rejects if the node's CID differs. */
export async function publishDirectory(dir: string, options: PublishOptions): Promise<Published> {
  const entries = await filesUnder(dir);
  if (!entries.some((entry) => entry.path === "index.html"))
    throw new Error(`${dir} has no index.html: not a built site`);
  const car = await packFiles(entries);
  options.onProgress?.(`packed ${entries.length} files, root ${car.root}, CAR ${car.size} bytes`);
  let shown = -1;
  await uploadCar(kuboAdapter({ url: options.api }), car, {
    onProgress: ({ loaded, total }) => {
      const percent = Math.floor((10 * loaded) / total) * 10;
      if (percent > shown) options.onProgress?.(`uploading ${(shown = percent)}%`);
    },
  });
  const gateway = (options.gateway ?? options.api).replace(/\/+$/, "");
  const url = `${gateway}/ipfs/${car.root}/`;
  const check = await fetch(url);
  if (!check.ok) throw new Error(`uploaded, but ${url} answers HTTP ${check.status}`);
  await check.body?.cancel();
  return { cid: car.root.toString(), url, files: entries.length, bytes: car.size };
}

async function filesUnder(dir: string): Promise<FolderEntry[]> {
  const root = resolve(dir);
  const entries: FolderEntry[] = [];
  for (const dirent of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!dirent.isFile()) continue;
    const full = join(dirent.parentPath, dirent.name);
    entries.push({ path: relative(root, full).split(sep).join("/"), content: await openAsBlob(full) });
  }
  return entries.sort((a, b) => (a.path < b.path ? -1 : 1));
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: "inherit" });
    child.once("exit", (code) =>
      code === 0 ? done() : fail(new Error(`${command} ${args.join(" ")} exited with ${code}`)),
    );
  });
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { "no-build": { type: "boolean" }, dir: { type: "string", default: "build" } },
  });
  if (!values["no-build"]) await run("npm", ["run", "build"]);
  const api = process.env.HEXS_IPFS_API ?? "http://127.0.0.1:5001";
  const published = await publishDirectory(values.dir, {
    api,
    gateway: process.env.HEXS_IPFS_GATEWAY ?? api,
    onProgress: (message) => console.log(`publish:ipfs: ${message}`),
  });
  console.log(`publish:ipfs: ${published.files} files, CID ${published.cid}`);
  console.log(published.cid);
  console.log(published.url);
}
