// The gateway's append-only usage log, the one source of truth for what was served and what was
// settled. Every record is one line with its CRC-32, so a line torn by a crash (power loss, kill
// -9 mid-write) is recognised and cut off on the next start instead of corrupting the rest.
// Writes are grouped: appends queue up and one write + fsync makes a whole group durable, so
// many concurrent requests cost one fsync, not one each. The write and fsync run on libuv's
// thread pool: the event loop keeps serving while the disk works.
import { closeSync, existsSync, fdatasync, fsyncSync, ftruncateSync, openSync, readFileSync, write } from "node:fs";
import { crc32 } from "node:zlib";
import { join } from "node:path";
import type { UnsignedReceipt } from "../../../src/lib/inference/receipts.ts";

/** Records, by kind: reserve, progress, commit, settle begin, settle done. */
export type UsageRecord =
  | {
      t: "reserve";
      id: string;
      key: `0x${string}`;
      user: `0x${string}`;
      max: number;
      prompt: number;
      weightsCid: string;
      at: number;
      idem?: string;
    }
  | { t: "progress"; id: string; completion: number }
  | {
      t: "commit";
      id: string;
      prompt: number;
      completion: number;
      units: number;
      finish: string;
      text?: string;
      /** The receipt's facts; its signature is made again on demand (RFC 6979 signatures are deterministic). */
      receipt: UnsignedReceipt;
    }
  | { t: "settle-begin"; batch: number; lines: { key: `0x${string}`; sequence: string; units: number }[] }
  | { t: "settle-done"; batch: number; tx: `0x${string}`; charged: Record<string, number> };

export const LOG_FILE = "usage.log";

export class UsageLog {
  readonly #fd: number;
  #queue: string[] = [];
  #waiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  /** The group being written, if any: one at a time, so groups reach the file in order. */
  #flushing: Promise<void> | undefined;
  #closed = false;
  /** Appends that reached the disk, for the metrics. */
  fsyncs = 0;

  private constructor(fd: number) {
    this.#fd = fd;
  }

  /**
   * Opens the log in `dir`, reads back every intact record and cuts off a torn tail, so the
   * next append starts on a line boundary.
   */
  static open(dir: string): { log: UsageLog; records: UsageRecord[]; tornBytes: number } {
    const path = join(dir, LOG_FILE);
    const bytes = existsSync(path) ? readFileSync(path) : Buffer.alloc(0);
    const { records, validBytes } = parseLog(bytes);
    const fd = openSync(path, "a+");
    if (validBytes < bytes.length) {
      ftruncateSync(fd, validBytes);
      fsyncSync(fd);
    }
    return { log: new UsageLog(fd), records, tornBytes: bytes.length - validBytes };
  }

  /**
   * Queues a record; `durable` resolves once it (and its group) is on disk, and rejects if the
   * disk refused it (then nothing that depends on it may go out).
   */
  append(record: UsageRecord): { durable: Promise<void> } {
    if (this.#closed) throw new Error("the usage log is closed");
    this.#queue.push(encodeRecord(record));
    const durable = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    this.#flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.#flush());
    return { durable };
  }

  /** Writes and fsyncs everything queued, then closes the file. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    while (this.#flushing) await this.#flushing;
    closeSync(this.#fd);
  }

  /** Writes groups until the queue is empty; each group is one write and one fdatasync. */
  async #flush(): Promise<void> {
    while (this.#queue.length > 0) {
      const text = this.#queue.join("");
      const waiters = this.#waiters;
      this.#queue = [];
      this.#waiters = [];
      try {
        await writeAll(this.#fd, Buffer.from(text, "utf8"));
        await new Promise<void>((resolve, reject) =>
          fdatasync(this.#fd, (error) => (error ? reject(error) : resolve())),
        );
        this.fsyncs++;
        for (const waiter of waiters) waiter.resolve();
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        for (const waiter of waiters) waiter.reject(failure);
      }
    }
    this.#flushing = undefined;
  }
}

/** Writes all of `bytes` at the end of the file (a write may take only part of a buffer). */
async function writeAll(fd: number, bytes: Buffer): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    offset += await new Promise<number>((resolve, reject) =>
      write(fd, bytes, offset, bytes.length - offset, null, (error, written) =>
        error ? reject(error) : resolve(written),
      ),
    );
  }
}

export function encodeRecord(record: UsageRecord): string {
  const json = JSON.stringify(record);
  return `${json}\t${crc32(json).toString(16).padStart(8, "0")}\n`;
}

/** Every intact record in order, and how many bytes they span; parsing stops at the first bad line. */
export function parseLog(bytes: Uint8Array): { records: UsageRecord[]; validBytes: number } {
  const records: UsageRecord[] = [];
  let offset = 0;
  const text = Buffer.from(bytes).toString("utf8");
  let position = 0;
  while (position < text.length) {
    const end = text.indexOf("\n", position);
    if (end < 0) break;
    const line = text.slice(position, end);
    const tab = line.lastIndexOf("\t");
    const json = tab < 0 ? "" : line.slice(0, tab);
    if (tab < 0 || crc32(json).toString(16).padStart(8, "0") !== line.slice(tab + 1)) break;
    try {
      records.push(JSON.parse(json) as UsageRecord);
    } catch {
      break;
    }
    position = end + 1;
    offset += Buffer.byteLength(line, "utf8") + 1;
  }
  return { records, validBytes: offset };
}
