// The block writer when its thread goes away: every write settles, none waits forever.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { CID } from "multiformats/cid";
import { sha256 } from "multiformats/hashes/sha2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BLOCK_WRITER_SLOTS, startBlockWriter } from "./blockWriter.ts";
import { tempDir } from "./testing.ts";

let dir: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  dir = await tempDir();
});
afterAll(async () => {
  await dir?.remove();
});

describe("block writer", () => {
  it("fails the writes in flight and those waiting for a slot once its thread has exited", async () => {
    const writer = await startBlockWriter();
    const writes = await Promise.all(
      Array.from({ length: BLOCK_WRITER_SLOTS + 4 }, async (_, i) => {
        const bytes = randomBytes(256 * 1024);
        const cid = CID.createV1(0x55, await sha256.digest(bytes));
        return { cid, bytes, file: { dir: dir.path, path: join(dir.path, `block-${i}`) } };
      }),
    );
    const settled = Promise.allSettled(writes.map(({ cid, bytes, file }) => writer.write(cid, [bytes], file)));
    await writer.stop();
    const results = await Promise.race([
      settled,
      new Promise<"hung">((resolve) => setTimeout(() => resolve("hung"), 5_000)),
    ]);
    expect(results).not.toBe("hung");
    const outcomes = results as PromiseSettledResult<void>[];
    // At least the four that waited for a slot never reached the thread.
    const failed = outcomes.filter((outcome) => outcome.status === "rejected");
    expect(failed.length).toBeGreaterThanOrEqual(4);
    for (const outcome of failed) expect(String(outcome.reason)).toMatch(/block writer thread exited/);
    await expect(writer.write(writes[0]!.cid, [writes[0]!.bytes], writes[0]!.file)).rejects.toThrow(
      /block writer thread exited/,
    );
  });
});
