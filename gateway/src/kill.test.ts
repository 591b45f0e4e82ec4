// Crash safety: clients abort at random and the gateway is killed with SIGKILL at random points —
// mid-stream, mid-settlement, with a torn last line in its log — then restarted, again and again.
// Whatever happens, per key: what the chain settled is covered by receipts, covers every response
// a client received in full, never exceeds the credits bought, and settling again changes nothing.
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import type { Address, Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../dev/stack/ports.ts";
import { parseApiKey } from "../../src/lib/apiKey.ts";
import { agentAbi } from "../../src/lib/contracts/abis.ts";
import { devKey, eventually, startTestStack, type TestStack } from "../test/stack.ts";
import { encodeRecord, LOG_FILE, parseLog } from "./metering/usageLog.ts";

const OWNER = 1;
const USERS = [2, 3, 4];
const CREDITS = 400n;
const ROUNDS = 6;

let stack: TestStack;
let agent: Address;
let dataDir: string;
let port: number;
const keys: string[] = [];

/** A small PRNG, so a failing run can be replayed from its seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function startChild(): ChildProcess {
  return spawn(
    process.execPath,
    [
      "gateway/main.ts",
      "--rpc-url",
      stack.rpcUrl,
      "--agent",
      agent,
      "--operator-key",
      devKey(OWNER),
      "--register-receipt-signer",
      "--ipfs-gateways",
      stack.ipfsUrl,
      "--data-dir",
      dataDir,
      "--port",
      String(port),
      "--settle-interval",
      "0.3",
      "--watch-interval",
      "0.2",
      "--max-concurrent-per-key",
      "64",
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
}

async function ready(): Promise<void> {
  await eventually(
    async () => (await fetch(`http://127.0.0.1:${port}/ready`).catch(() => undefined))?.ok === true,
    "the gateway",
    60_000,
  );
}

beforeAll(async () => {
  stack = await startTestStack();
  agent = await stack.createAgent({ owner: OWNER, name: "Kill Test" });
  for (const user of USERS) keys.push(await stack.userKey(agent, user, { credits: CREDITS, cap: 10_000n }));
  dataDir = await mkdtemp(join(tmpdir(), "hexs-gateway-kill-"));
  port = await freePort();
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe("a gateway killed at random", () => {
  it("never settles more than its receipts, less than what clients received, or beyond the credits", async () => {
    const seed = Number(process.env.KILL_SEED ?? 20_261_204);
    const random = prng(seed);
    /** Units of every response a client received in full, by key id. */
    const completed = new Map<Hex, number>();

    for (let round = 0; round < ROUNDS; round++) {
      const child = startChild();
      await ready();
      const clients = keys.map((key) => ({
        key,
        api: new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: key, maxRetries: 0 }),
      }));
      const work = Array.from({ length: 12 }, async (_, i) => {
        const { key, api } = clients[i % clients.length]!;
        const controller = new AbortController();
        if (random() < 0.3) setTimeout(() => controller.abort(), random() * 400);
        try {
          const stream = await api.chat.completions.create(
            {
              model: agent.toLowerCase(),
              messages: [{ role: "user", content: `round ${round} ${i}` }],
              max_tokens: 5 + Math.floor(random() * 25),
              stream: true,
              stream_options: { include_usage: true },
            },
            { signal: controller.signal },
          );
          for await (const chunk of stream) {
            if (chunk.usage) {
              const keyId = parseApiKey(key).keyId;
              completed.set(keyId, (completed.get(keyId) ?? 0) + chunk.usage.total_tokens);
            }
          }
        } catch {
          // aborted, refused (402 once credits run out) or cut off by the kill
        }
      });
      // Kill while requests stream and settlements run.
      await new Promise((resolve) => setTimeout(resolve, 100 + random() * 900));
      child.kill("SIGKILL");
      await Promise.allSettled(work);
      if (child.exitCode === null && child.signalCode === null)
        await new Promise((resolve) => child.once("exit", resolve));
      if (round % 2 === 1) {
        // A write torn by the crash: half a record at the end of the log.
        appendFileSync(
          join(dataDir, LOG_FILE),
          encodeRecord({ t: "progress", id: "torn", completion: 99 }).slice(0, 25),
        );
      }
    }

    // A clean run settles everything left, then stops (settling once more on the way out).
    const last = startChild();
    await ready();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    last.kill("SIGTERM");
    await new Promise((resolve) => last.once("exit", resolve));

    const { records } = parseLog(readFileSync(join(dataDir, LOG_FILE)));
    const receipted = new Map<string, number>();
    for (const record of records)
      if (record.t === "commit")
        receipted.set(record.receipt.keyId, (receipted.get(record.receipt.keyId) ?? 0) + record.receipt.cost);
    const settledNow = async () =>
      Promise.all(
        keys.map(
          async (key) =>
            (
              await stack.publicClient.readContract({
                address: agent,
                abi: agentAbi,
                functionName: "apiKey",
                args: [parseApiKey(key).keyId],
              })
            ).spent,
        ),
      );
    const settled = await settledNow();
    for (const [i, key] of keys.entries()) {
      const keyId = parseApiKey(key).keyId;
      const spent = Number(settled[i]);
      expect(spent, `key ${i} (seed ${seed}): settled ≤ receipts`).toBeLessThanOrEqual(receipted.get(keyId) ?? 0);
      expect(spent, `key ${i} (seed ${seed}): settled ≥ completed responses`).toBeGreaterThanOrEqual(
        completed.get(keyId) ?? 0,
      );
      expect(BigInt(spent), `key ${i}: never beyond the credits`).toBeLessThanOrEqual(CREDITS);
    }
    expect(settled.some((s) => s > 0n)).toBe(true);
    expect(
      [...completed.values()].reduce((a, b) => a + b, 0),
      "some responses finished between the kills",
    ).toBeGreaterThan(0);

    // Replaying the whole log once more changes nothing on chain.
    const replay = startChild();
    await ready();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    replay.kill("SIGTERM");
    await new Promise((resolve) => replay.once("exit", resolve));
    expect(await settledNow()).toEqual(settled);
  }, 300_000);
});
