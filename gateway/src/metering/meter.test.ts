import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { InsufficientCreditsError, Meter } from "./meter.ts";
import { encodeRecord, LOG_FILE, parseLog, UsageLog } from "./usageLog.ts";

const KEY = `0x${"11".repeat(32)}` as const;
const OTHER_KEY = `0x${"22".repeat(32)}` as const;
const USER = `0x${"aa".repeat(20)}` as const;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function open(dir = mkdtempSync(join(tmpdir(), "hexs-meter-"))) {
  if (!dirs.includes(dir)) dirs.push(dir);
  const { log, records, tornBytes } = UsageLog.open(dir);
  return { dir, log, meter: new Meter(log, records), tornBytes };
}

const context = { agent: `0x${"cc".repeat(20)}` as const, chainSpent: 0n, interrupted: false };

const request = (id: string, max: number, key: `0x${string}` = KEY) => ({
  id,
  key,
  user: USER,
  prompt: 4,
  max,
  weightsCid: "bafy",
});
const roomy = { credits: 1_000, capLeft: 1_000 };

describe("the usage log", () => {
  it("reads back every record and cuts off a torn last line", async () => {
    const { dir, log } = open();
    log.append({ t: "progress", id: "a", completion: 1 });
    await log.close();
    const path = join(dir, LOG_FILE);
    appendFileSync(path, encodeRecord({ t: "progress", id: "b", completion: 2 }).slice(0, 20));
    const reopened = open(dir);
    expect(reopened.tornBytes).toBe(20);
    await reopened.log.close();
    expect(parseLog(readFileSync(path)).records).toEqual([{ t: "progress", id: "a", completion: 1 }]);
  });

  it("stops at a line whose checksum does not match", () => {
    const good = encodeRecord({ t: "progress", id: "a", completion: 1 });
    const bad = encodeRecord({ t: "progress", id: "b", completion: 2 }).replace('"b"', '"x"');
    expect(parseLog(Buffer.from(good + bad + good)).records).toHaveLength(1);
  });

  it("makes a group of appends durable with one fsync", async () => {
    const { log } = open();
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => log.append({ t: "progress", id: `r${i}`, completion: i }).durable),
    );
    expect(log.fsyncs).toBe(1);
    await log.close();
  });
});

describe("metering", () => {
  it("reserves the most a request can cost against credits minus unsettled and reserved", async () => {
    const { meter, log } = open();
    const limits = { credits: 10, capLeft: 100 };
    await meter.reserve(request("a", 6), limits).durable;
    expect(() => meter.reserve(request("b", 5), limits)).toThrow(InsufficientCreditsError);
    await meter.commit("a", { prompt: 4, completion: 1, units: 5, finish: "stop" }, context).durable;
    // 5 of the 10 are unsettled now: a request that may cost 5 fits, one of 6 does not.
    expect(() => meter.reserve(request("c", 6), limits)).toThrow("has 5 available");
    await meter.reserve(request("d", 5), limits).durable;
    await log.close();
  });

  it("counts a user's credits across its keys, and a key's cap on its own", async () => {
    const { meter, log } = open();
    await meter.reserve(request("a", 8, KEY), { credits: 10, capLeft: 100 }).durable;
    expect(() => meter.reserve(request("b", 3, OTHER_KEY), { credits: 10, capLeft: 100 })).toThrow("credits");
    expect(() => meter.reserve(request("c", 3, KEY), { credits: 100, capLeft: 10 })).toThrow("spend cap");
    await log.close();
  });

  it("never bills more than the reservation", async () => {
    const { meter, log } = open();
    await meter.reserve(request("a", 5), roomy).durable;
    const { receipt, durable } = meter.commit("a", { prompt: 4, completion: 9, units: 9, finish: "length" }, context);
    await durable;
    expect(receipt).toMatchObject({ cost: 5, sequence: 1, runningTotal: 5, completionTokens: 9 });
    expect(meter.balances(KEY)).toEqual({ reserved: 0, unsettled: 5, settling: 0 });
    await log.close();
  });

  it("after a crash, bills a request cut off mid-way at its last progress and replays everything else", async () => {
    const first = open();
    await first.meter.reserve(request("done", 10), roomy).durable;
    await first.meter.commit("done", { prompt: 4, completion: 3, units: 7, finish: "stop" }, context).durable;
    await first.meter.reserve(request("cut", 20), roomy).durable;
    first.meter.progress("cut", 8);
    await first.meter.reserve({ ...request("idem", 10), idempotencyKey: "k1" }, roomy).durable;
    await new Promise((resolve) => setImmediate(resolve));
    // kill -9: nothing closes the log.
    const second = open(first.dir);
    expect(second.meter.interrupted.map((r) => [r.id, r.completion, r.max])).toEqual([
      ["cut", 8, 20],
      ["idem", 0, 10],
    ]);
    expect(second.meter.balances(KEY)).toEqual({ reserved: 30, unsettled: 7, settling: 0 });
    expect(second.meter.idempotentRequest(KEY, "k1")).toBe("idem");
    // The next receipt continues the key's numbering and its running total.
    const next = second.meter.commit("cut", { prompt: 4, completion: 8, units: 12, finish: "interrupted" }, context);
    expect(next.receipt).toMatchObject({ sequence: 2, cost: 12, runningTotal: 19 });
    await next.durable;
    await second.log.close();
    await first.log.close();
  });

  it("moves unsettled usage into a settlement and out of it once it went through, across a restart", async () => {
    const first = open();
    await first.meter.reserve(request("a", 10), roomy).durable;
    await first.meter.commit("a", { prompt: 4, completion: 2, units: 6, finish: "stop" }, context).durable;
    const batch = await first.meter.beginSettlement(async () => 4n, 10);
    expect(batch?.lines).toEqual([{ key: KEY, sequence: 4n, units: 6 }]);
    expect(first.meter.balances(KEY)).toEqual({ reserved: 0, unsettled: 0, settling: 6 });
    await first.log.close();

    const second = open(first.dir);
    expect(second.meter.pendingSettlement()?.lines).toEqual([{ key: KEY, sequence: 4n, units: 6 }]);
    await second.meter.settlementDone(batch!.batch, "0xabc", { [KEY]: 6 });
    expect(second.meter.balances(KEY)).toEqual({ reserved: 0, unsettled: 0, settling: 0 });
    expect(await second.meter.beginSettlement(async () => 5n, 10)).toBeUndefined();
    await second.log.close();
    const third = open(first.dir);
    expect(third.meter.pendingSettlement()).toBeUndefined();
    await third.log.close();
  });

  it("ignores a log it did not write from a garbled start, keeping nothing past it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hexs-meter-"));
    dirs.push(dir);
    writeFileSync(join(dir, LOG_FILE), "not a record\n");
    const opened = open(dir);
    expect(opened.tornBytes).toBe(13);
    expect(opened.meter.balances(KEY)).toEqual({ reserved: 0, unsettled: 0, settling: 0 });
    await opened.log.close();
  });
});
