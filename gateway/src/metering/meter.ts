// Metering: what each key has reserved, served and not yet settled, rebuilt from the usage log on
// start. A request reserves its most expensive outcome (prompt + max_tokens) before it runs, so
// concurrent requests can never together spend more than the credits and cap allow; it is billed
// the prompt plus the tokens actually delivered, and a request cut off by a crash is billed at
// its last recorded progress, never above its reservation.
import type { Hex } from "viem";
import type { UnsignedReceipt } from "../../../src/lib/inference/receipts.ts";
import type { UsageLog, UsageRecord } from "./usageLog.ts";

/** Receipts `GET /v1/receipts` lists per key; older ones stay readable by id. */
export const RECENT_RECEIPTS = 50;

export interface Reservation {
  id: string;
  key: Hex;
  user: Hex;
  prompt: number;
  max: number;
  weightsCid: string;
  completion: number;
}

/** What a finished request returned, kept so a retry with its `Idempotency-Key` gets it again. */
export interface Outcome {
  prompt: number;
  completion: number;
  units: number;
  finish: string;
  text?: string;
}

export interface SettlementLine {
  key: Hex;
  /** The key's next settlement number (the last one settled on chain + 1). */
  sequence: bigint;
  units: number;
}

/** Limits from the chain at the moment of the request, in credits. */
export interface Limits {
  /** The user's credits on chain (Infinity on a free agent). */
  credits: number;
  /** What the key may still be charged on chain: cap − spent. */
  capLeft: number;
}

interface KeyState {
  user: Hex | undefined;
  reserved: number;
  /** Committed and not yet in a settlement that went through. */
  unsettled: number;
  /** In a settlement sent but not yet confirmed. */
  settling: number;
  /** Receipts issued to the key so far. */
  receipts: number;
}

export class InsufficientCreditsError extends Error {
  override name = "InsufficientCreditsError";
  readonly available: number;
  constructor(available: number, needed: number, what: "credits" | "spend cap") {
    super(
      what === "credits"
        ? `This request may cost up to ${needed} credits and the key's account has ${Math.max(0, available)} available (credits not yet settled or reserved by requests in flight count as spent). Buy credits, or lower max_tokens.`
        : `This request may cost up to ${needed} credits and the key's spend cap leaves ${Math.max(0, available)}. Create a key with a higher cap, or lower max_tokens.`,
    );
    this.available = available;
  }
}

export class Meter {
  readonly #log: UsageLog;
  readonly #keys = new Map<Hex, KeyState>();
  readonly #users = new Map<Hex, { reserved: number; unsettled: number }>();
  /** Units the chain has not charged yet, per user: unsettled plus settling, over all its keys. */
  readonly #open = new Map<string, Reservation>();
  readonly #receipts = new Map<string, UnsignedReceipt>();
  /** Each key's latest receipts, newest last, for `GET /v1/receipts`. */
  readonly #recentByKey = new Map<Hex, string[]>();
  readonly #outcomes = new Map<string, Outcome>();
  readonly #idempotent = new Map<string, string>();
  #batch: { batch: number; lines: SettlementLine[] } | undefined;
  #nextBatch = 1;

  /** Receipts of requests a restart interrupted, made while replaying; the caller signs them. */
  readonly interrupted: Reservation[] = [];

  constructor(log: UsageLog, records: readonly UsageRecord[]) {
    this.#log = log;
    for (const record of records) this.#replay(record);
    // What was in flight when the gateway stopped is billed at its last progress: the caller
    // commits these with receipts before serving anything new.
    this.interrupted.push(...this.#open.values());
  }

  /**
   * Reserves `max` credits for a request of `prompt` tokens, or throws
   * {@link InsufficientCreditsError}. The reservation counts at once; `durable` resolves once it
   * is on disk, and nothing of the request may be delivered before (generation may start).
   */
  reserve(
    request: {
      id: string;
      key: Hex;
      user: Hex;
      prompt: number;
      max: number;
      weightsCid: string;
      idempotencyKey?: string;
    },
    limits: Limits,
  ): { reservation: Reservation; durable: Promise<void> } {
    const key = this.#key(request.key, request.user);
    const user = this.#user(request.user);
    const creditsLeft = limits.credits - user.unsettled - user.reserved;
    const capLeft = limits.capLeft - key.unsettled - key.settling - key.reserved;
    if (creditsLeft < request.max) throw new InsufficientCreditsError(creditsLeft, request.max, "credits");
    if (capLeft < request.max) throw new InsufficientCreditsError(capLeft, request.max, "spend cap");
    key.reserved += request.max;
    user.reserved += request.max;
    const reservation: Reservation = {
      id: request.id,
      key: request.key,
      user: request.user,
      prompt: request.prompt,
      max: request.max,
      weightsCid: request.weightsCid,
      completion: 0,
    };
    this.#open.set(request.id, reservation);
    if (request.idempotencyKey) this.#idempotent.set(idempotencyId(request.key, request.idempotencyKey), request.id);
    const { durable } = this.#log.append({
      t: "reserve",
      id: request.id,
      key: request.key,
      user: request.user,
      max: request.max,
      prompt: request.prompt,
      weightsCid: request.weightsCid,
      at: Date.now(),
      ...(request.idempotencyKey ? { idem: request.idempotencyKey } : {}),
    });
    return { reservation, durable };
  }

  /** Records that `completion` tokens have been delivered (grouped with other writes, not awaited). */
  progress(id: string, completion: number): void {
    const open = this.#open.get(id);
    if (!open || completion <= open.completion) return;
    open.completion = completion;
    void this.#log.append({ t: "progress", id, completion }).durable;
  }

  /**
   * Ends a request: bills `units` (the prompt plus what was delivered; 0 for a failure before
   * the first token), capped by the reservation, and states it in the key's next receipt, all at
   * once so concurrent requests of a key never share a receipt number. `durable` resolves once
   * the commit is on disk; the caller may sign the receipt meanwhile.
   */
  commit(
    id: string,
    outcome: { prompt: number; completion: number; units: number; finish: string; text?: string },
    context: { agent: Hex; chainSpent: bigint; interrupted: boolean },
  ): { receipt: UnsignedReceipt; durable: Promise<void> } {
    const open = this.#open.get(id);
    if (!open) throw new Error(`no request ${id} is in flight`);
    const units = Math.min(outcome.units, open.max);
    this.#release(open, units);
    const key = this.#key(open.key);
    key.receipts += 1;
    const receipt: UnsignedReceipt = {
      requestId: id,
      agent: context.agent,
      weightsCid: open.weightsCid,
      keyId: open.key,
      promptTokens: units === 0 ? 0 : Math.min(outcome.prompt, open.prompt),
      completionTokens: outcome.completion,
      cost: units,
      sequence: key.receipts,
      // Everything the key will have been charged once this is settled.
      runningTotal: Number(context.chainSpent) + key.unsettled + key.settling,
      interrupted: context.interrupted,
    };
    this.#keepReceipt(receipt);
    this.#outcomes.set(id, { ...outcome, prompt: open.prompt, units });
    const { durable } = this.#log.append({
      t: "commit",
      id,
      prompt: open.prompt,
      completion: outcome.completion,
      units,
      finish: outcome.finish,
      ...(outcome.text === undefined ? {} : { text: outcome.text }),
      receipt,
    });
    return { receipt, durable };
  }

  /** The latest receipts of `key` (at most {@link RECENT_RECEIPTS}), newest first, unsigned. */
  recentReceipts(key: Hex): UnsignedReceipt[] {
    return (this.#recentByKey.get(key) ?? []).map((id) => this.#receipts.get(id)!).reverse();
  }

  /** The receipt of a finished request, unsigned. */
  receipt(id: string): UnsignedReceipt | undefined {
    return this.#receipts.get(id);
  }

  /** A finished request's outcome; undefined while it runs or if it never existed. */
  outcome(id: string): Outcome | undefined {
    return this.#outcomes.get(id);
  }

  /** Whether request `id` is running now. */
  isOpen(id: string): boolean {
    return this.#open.has(id);
  }

  /** The request an `Idempotency-Key` was first used for on `key`, if any. */
  idempotentRequest(key: Hex, idempotencyKey: string): string | undefined {
    return this.#idempotent.get(idempotencyId(key, idempotencyKey));
  }

  /** What `key` has reserved, served unsettled and sent for settlement. */
  balances(key: Hex): { reserved: number; unsettled: number; settling: number } {
    const k = this.#key(key);
    return { reserved: k.reserved, unsettled: k.unsettled, settling: k.settling };
  }

  /** Keys with unsettled usage, as settlement lines numbered from `nextSequence(key)`. */
  async beginSettlement(
    nextSequence: (key: Hex) => Promise<bigint>,
    maxLines: number,
  ): Promise<{ batch: number; lines: SettlementLine[] } | undefined> {
    if (this.#batch) return this.#batch;
    const keys = [...this.#keys.entries()].filter(([, k]) => k.unsettled > 0).slice(0, maxLines);
    if (keys.length === 0) return undefined;
    const lines: SettlementLine[] = [];
    for (const [key, state] of keys) lines.push({ key, sequence: await nextSequence(key), units: state.unsettled });
    const batch = { batch: this.#nextBatch++, lines };
    this.#applyBegin(batch);
    await this.#log.append({
      t: "settle-begin",
      batch: batch.batch,
      lines: lines.map((l) => ({ key: l.key, sequence: l.sequence.toString(), units: l.units })),
    }).durable;
    return batch;
  }

  /** The settlement sent but not confirmed (from before a restart too), if any. */
  pendingSettlement(): { batch: number; lines: SettlementLine[] } | undefined {
    return this.#batch;
  }

  /** A settlement went through: `charged` units per key left the unsettled total. */
  async settlementDone(batch: number, tx: Hex, charged: Record<string, number>): Promise<void> {
    this.#applyDone(batch);
    await this.#log.append({ t: "settle-done", batch, tx, charged }).durable;
  }

  #applyBegin(batch: { batch: number; lines: SettlementLine[] }): void {
    this.#batch = batch;
    this.#nextBatch = Math.max(this.#nextBatch, batch.batch + 1);
    for (const line of batch.lines) {
      const key = this.#key(line.key);
      key.unsettled -= line.units;
      key.settling += line.units;
    }
  }

  #applyDone(batch: number): void {
    if (this.#batch?.batch !== batch) return;
    for (const line of this.#batch.lines) {
      const key = this.#key(line.key);
      key.settling -= line.units;
      // From now on the chain's credits show these units as spent.
      if (key.user) this.#user(key.user).unsettled -= line.units;
    }
    this.#batch = undefined;
  }

  #release(open: Reservation, units: number): void {
    const key = this.#key(open.key);
    const user = this.#user(open.user);
    key.reserved -= open.max;
    user.reserved -= open.max;
    key.unsettled += units;
    user.unsettled += units;
    this.#open.delete(open.id);
  }

  #replay(record: UsageRecord): void {
    switch (record.t) {
      case "reserve": {
        const key = this.#key(record.key, record.user);
        const user = this.#user(record.user);
        key.reserved += record.max;
        user.reserved += record.max;
        this.#open.set(record.id, {
          id: record.id,
          key: record.key,
          user: record.user,
          prompt: record.prompt,
          max: record.max,
          weightsCid: record.weightsCid,
          completion: 0,
        });
        if (record.idem) this.#idempotent.set(idempotencyId(record.key, record.idem), record.id);
        return;
      }
      case "progress": {
        const open = this.#open.get(record.id);
        if (open) open.completion = Math.max(open.completion, record.completion);
        return;
      }
      case "commit": {
        const open = this.#open.get(record.id);
        if (open) this.#release(open, Math.min(record.units, open.max));
        this.#keepReceipt(record.receipt);
        this.#outcomes.set(record.id, {
          prompt: record.prompt,
          completion: record.completion,
          units: record.units,
          finish: record.finish,
          ...(record.text === undefined ? {} : { text: record.text }),
        });
        const key = this.#key(record.receipt.keyId);
        key.receipts = Math.max(key.receipts, record.receipt.sequence);
        return;
      }
      case "settle-begin":
        this.#applyBegin({
          batch: record.batch,
          lines: record.lines.map((l) => ({ ...l, sequence: BigInt(l.sequence) })),
        });
        return;
      case "settle-done":
        this.#applyDone(record.batch);
        return;
    }
  }

  #keepReceipt(receipt: UnsignedReceipt): void {
    this.#receipts.set(receipt.requestId, receipt);
    let recent = this.#recentByKey.get(receipt.keyId);
    if (!recent) this.#recentByKey.set(receipt.keyId, (recent = []));
    recent.push(receipt.requestId);
    if (recent.length > RECENT_RECEIPTS) recent.shift();
  }

  #key(key: Hex, user?: Hex): KeyState {
    let state = this.#keys.get(key);
    if (!state) this.#keys.set(key, (state = { user, reserved: 0, unsettled: 0, settling: 0, receipts: 0 }));
    if (user) state.user = user;
    return state;
  }

  #user(user: Hex): { reserved: number; unsettled: number } {
    let state = this.#users.get(user);
    if (!state) this.#users.set(user, (state = { reserved: 0, unsettled: 0 }));
    return state;
  }
}

function idempotencyId(key: Hex, idempotencyKey: string): string {
  return `${key}/${idempotencyKey}`;
}
