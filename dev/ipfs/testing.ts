// Test helpers for the IPFS node: a fresh data folder per node, and pseudo-random files on disk.
import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdtemp, open, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startIpfsNode, type IpfsNode } from "./node.ts";

export async function tempDir(prefix = "hexs-ipfs-"): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Runs `work` on a node of its own in `dataDir` that takes uploads of up to 1 MiB; stops it after. */
export async function withSmallNode<T>(dataDir: string, work: (node: IpfsNode) => Promise<T>): Promise<T> {
  const small = await startIpfsNode({ dataDir, port: 0, host: "127.0.0.1", maxUploadBytes: 1024 * 1024 });
  try {
    return await work(small);
  } finally {
    await small.stop();
  }
}

/** Writes `size` random bytes to `path` 1 MiB at a time; returns their SHA-256 (hex). */
export async function writeRandomFile(path: string, size: number): Promise<string> {
  const hash = createHash("sha256");
  const file = await open(path, "w");
  try {
    for (let left = size; left > 0;) {
      const chunk = randomBytes(Math.min(left, 1024 * 1024));
      hash.update(chunk);
      await file.write(chunk);
      left -= chunk.length;
    }
  } finally {
    await file.close();
  }
  return hash.digest("hex");
}

export async function sha256OfStream(stream: AsyncIterable<Uint8Array>): Promise<{ hex: string; bytes: number }> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { hex: hash.digest("hex"), bytes };
}

export function sha256OfFile(path: string): Promise<{ hex: string; bytes: number }> {
  return sha256OfStream(createReadStream(path));
}

/** Runs `dev/ipfs/main.ts` as a child process so its memory can be measured on its own. */
export async function spawnNode(dataDir: string): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const { spawn } = await import("node:child_process");
  const child = spawn(
    process.execPath,
    [new URL("./main.ts", import.meta.url).pathname, "--port", "0", "--data", dataDir],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Kubo RPC (http:\/\/\S+)\/api\/v0/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`ipfs node exited early (${code}): ${out}`)));
  });
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Resident and peak-resident memory of a process, from /proc (Linux). */
export async function memoryOf(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]) * 1024;
  return { rss: kib("VmRSS"), peak: kib("VmHWM") };
}
