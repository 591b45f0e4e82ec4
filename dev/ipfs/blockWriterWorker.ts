// The thread behind blockWriter.ts: hashes a block in its shared slot and, if it matches the
// CID's digest, writes it to a temporary file, with blocking calls, which here stall no event
// loop. blockWriter.ts then flushes the file and renames it into place off this thread, so the
// next block is hashed while the disk takes this one.
import { createHash } from "node:crypto";
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import type { WriteJob, WriteResult } from "./blockWriter.ts";

const memory = new Uint8Array((workerData as { memory: SharedArrayBuffer }).memory);
const madeDirs = new Set<string>();

parentPort!.on("message", (job: WriteJob) => {
  const bytes = memory.subarray(job.offset, job.offset + job.length);
  const result: WriteResult = { id: job.id };
  try {
    const digest = createHash("sha256").update(bytes).digest();
    if (Buffer.compare(digest, Buffer.from(job.digest)) !== 0) result.mismatch = true;
    else {
      if (!madeDirs.has(job.dir)) {
        mkdirSync(job.dir, { recursive: true });
        madeDirs.add(job.dir);
      }
      try {
        const fd = openSync(job.temp, "w");
        try {
          for (let written = 0; written < bytes.length;)
            written += writeSync(fd, bytes, written, bytes.length - written);
        } finally {
          closeSync(fd);
        }
      } catch (error) {
        rmSync(job.temp, { force: true });
        throw error;
      }
    }
  } catch (error) {
    result.error = (error as Error).message;
  }
  parentPort!.postMessage(result);
});

// Tells startBlockWriter the thread is loaded, so the node is ready before it serves uploads.
parentPort!.postMessage("ready");
