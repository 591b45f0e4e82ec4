// Settles metered usage on chain in batches: every interval, as soon as enough lines wait, and on
// shutdown. Each line carries its key's next settlement number, so sending a batch again (after a
// crash between the transaction and its record in the log) changes nothing on chain: the Agent
// treats a line at or below a key's last number as a replay.
import {
  parseEventLogs,
  type Account,
  type Chain,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import { agentAbi } from "../../../src/lib/contracts/abis.ts";
import type { AgentView } from "../chain/agentView.ts";
import type { Meter } from "../metering/meter.ts";

export interface SettlerOptions {
  meter: Meter;
  view: AgentView;
  publicClient: PublicClient;
  /** The operator's settle key (a low-privilege key: it can only settle and register the receipt signer). */
  wallet: WalletClient<Transport, Chain, Account>;
  intervalMs: number;
  /** Lines per batch, at most. */
  maxLines: number;
  log: (event: string, fields: Record<string, unknown>) => void;
}

export interface SettlementReport {
  batch: number;
  tx: Hex;
  lines: number;
  gasUsed: bigint;
}

export class Settler {
  readonly #options: SettlerOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<SettlementReport | undefined> | undefined;
  /** The last batch that went through, for `/v1/key` and the metrics. */
  last: (SettlementReport & { at: number }) | undefined;
  failures = 0;

  constructor(options: SettlerOptions) {
    this.#options = options;
  }

  start(): void {
    this.#timer = setInterval(() => void this.settle().catch(() => undefined), this.#options.intervalMs);
    this.#timer.unref();
  }

  /** Stops the timer and settles what is left. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running?.catch(() => undefined);
    await this.settle().catch(() => undefined);
  }

  /** Sends one batch (the pending one first, if a previous attempt did not finish). One at a time. */
  settle(): Promise<SettlementReport | undefined> {
    this.#running ??= this.#settleOnce().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #settleOnce(): Promise<SettlementReport | undefined> {
    const { meter, view, wallet, publicClient, log } = this.#options;
    const batch =
      meter.pendingSettlement() ??
      (await meter.beginSettlement(async (key) => (await view.chainSequence(key)) + 1n, this.#options.maxLines));
    if (!batch) return undefined;
    try {
      const hash = await wallet.writeContract({
        address: view.agent,
        abi: agentAbi,
        functionName: "settle",
        args: [batch.lines.map((line) => ({ keyId: line.key, sequence: line.sequence, units: BigInt(line.units) }))],
      });
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") throw new Error(`settlement ${hash} reverted`);
      const charged: Record<string, number> = {};
      for (const event of parseEventLogs({ abi: agentAbi, logs: receipt.logs, eventName: "UsageSettled" })) {
        charged[event.args.keyId] = Number(event.args.charged);
        view.applyCharged(event.args.keyId, event.args.charged, event.args.sequence);
      }
      for (const event of parseEventLogs({ abi: agentAbi, logs: receipt.logs, eventName: "UsageReplayed" })) {
        // Expected once after a crash between a transaction and its record; otherwise another
        // gateway is settling this agent's keys, and whichever settles second is not paid.
        log("settle-replayed", {
          key: event.args.keyId,
          sequence: event.args.sequence.toString(),
          message:
            "the chain already held this line's number: if this gateway did not just restart, another one settles this agent",
        });
      }
      for (const event of parseEventLogs({ abi: agentAbi, logs: receipt.logs, eventName: "UsageLimited" })) {
        log("settle-limited", {
          key: event.args.keyId,
          requested: event.args.requested.toString(),
          limit: event.args.limit,
        });
      }
      await meter.settlementDone(batch.batch, hash, charged);
      const report = { batch: batch.batch, tx: hash, lines: batch.lines.length, gasUsed: receipt.gasUsed };
      this.last = { ...report, at: Date.now() };
      log("settled", { batch: batch.batch, tx: hash, lines: batch.lines.length, gasUsed: receipt.gasUsed.toString() });
      return report;
    } catch (error) {
      // The batch stays pending with its numbers; the next attempt sends it again, and lines the
      // chain already holds are replays it ignores.
      this.failures++;
      log("settle-failed", { batch: batch.batch, error: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  }
}
