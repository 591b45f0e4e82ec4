// The open bids on a deployment while the owner chooses one, as /train and the serve page show
// them: polled until they settle or none came, each bidder's 7-day uptime looked up once.
import { AkashNoBidsError } from "./errors.ts";
import type { AkashContext, BidView } from "./lease.ts";
import { akash } from "./modules.ts";
import { providerUptime, type ProviderProxy } from "./providerProxy.ts";

export class BidWatch {
  bids = $state.raw<BidView[]>([]);
  /** Bidders' uptime over 7 days (0–1), by provider address, where the proxy's indexer knows it. */
  uptime = $state.raw<Record<string, number | null>>({});
  /** No provider bid within the waiting time: the deployment only holds the deposit, close it. */
  noBids = $state(false);
  #wait: AbortController | undefined;

  /**
   * Waits for bids on `dseq`, keeping them current; resolves when they settle, when none came
   * (then `noBids`, and the error is returned for the page to show), or when stopped.
   */
  async wait(
    ctx: Omit<AkashContext, "tx">,
    deployment: { owner: string; dseq: string },
    proxy: ProviderProxy | undefined,
  ): Promise<AkashNoBidsError | undefined> {
    const a = await akash();
    this.noBids = false;
    this.#wait = new AbortController();
    const signal = this.#wait.signal;
    try {
      await a.waitForBids(ctx, deployment.owner, deployment.dseq, {
        settleMs: 2000,
        timeoutMs: 60_000,
        onBids: (bids) => {
          this.bids = bids;
          if (proxy) void this.#readUptime(proxy, bids);
        },
        signal,
      });
      return undefined;
    } catch (error) {
      // Closing the deployment stops the wait; that is not a failure.
      if (signal.aborted) return undefined;
      if (!(error instanceof AkashNoBidsError)) throw error;
      this.noBids = true;
      return error;
    }
  }

  stop(): void {
    this.#wait?.abort();
  }

  clear(): void {
    this.stop();
    this.bids = [];
    this.noBids = false;
  }

  /** Looks up each new bidder's uptime once; a proxy without an indexer leaves it unknown. */
  async #readUptime(proxy: ProviderProxy, bids: BidView[]): Promise<void> {
    for (const provider of bids.map((b) => b.ref.provider)) {
      if (provider in this.uptime) continue;
      this.uptime = { ...this.uptime, [provider]: null };
      const found = await providerUptime(proxy, provider);
      if (found) this.uptime = { ...this.uptime, [provider]: found.uptime7d };
    }
  }
}
