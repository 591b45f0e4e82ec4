import type { Config } from "@wagmi/core";
import type { AgentCard, readAgentCount, streamAgentCards } from "../chain/readAgentSummaries.ts";

export interface AgentIndexView {
  /** Every agent read so far, by registry index; complete once each registered one is in. */
  agents: AgentCard[];
  registered: number;
  /** Agents read by the read in progress (or the last one). */
  read: number;
  /** Every registered agent is in `agents` (from this read or, while re-reading, the last). */
  complete: boolean;
  error: unknown;
}

/**
 * How long a finished read answers searches before the next visit reads the registry again;
 * within it, a visit still reads the count, so a new agent (one the user just published) shows.
 */
export const FRESH_FOR_MS = 15_000;

/**
 * The registry as the marketplace searches and sorts it, kept for the whole session so leaving
 * the marketplace and coming back answers at once. A read streams: the view fills chunk by
 * chunk, and a re-read updates agents in place, so results never disappear while it runs.
 */
export class AgentIndexReader {
  #view: AgentIndexView | undefined;
  #chainId: number | undefined;
  #generation = 0;
  #reading = false;
  #finishedAt = -Infinity;
  readonly #publish: (view: AgentIndexView | undefined) => void;
  readonly #stream: typeof streamAgentCards;
  readonly #count: typeof readAgentCount;

  constructor(
    publish: (view: AgentIndexView | undefined) => void,
    stream: typeof streamAgentCards,
    count: typeof readAgentCount,
  ) {
    this.#publish = publish;
    this.#stream = stream;
    this.#count = count;
  }

  /**
   * Starts a read unless one is running, or the last finished moments ago on this chain and the
   * registry has not grown since.
   */
  async ensureFresh(config: Config, chainId: number, now = Date.now()): Promise<void> {
    if (chainId !== this.#chainId) {
      this.#chainId = chainId;
      this.#reading = false;
      this.#finishedAt = -Infinity;
      this.#set(undefined);
    } else if (this.#reading) {
      return;
    } else if (now - this.#finishedAt < FRESH_FOR_MS && !this.#view?.error) {
      const registered = this.#view?.registered;
      // A count that cannot be read leaves the fresh index as it is; the next full read will say why.
      const count = await this.#count(config, chainId).catch(() => registered);
      if (count === registered || this.#reading || chainId !== this.#chainId) return;
    }
    return this.#read(config, chainId);
  }

  async #read(config: Config, chainId: number): Promise<void> {
    const generation = ++this.#generation;
    const isCurrent = () => generation === this.#generation;
    this.#reading = true;
    try {
      await this.#stream(config, chainId, {
        isCurrent,
        onTotal: (registered) => {
          const agents = this.#view?.agents.slice(0, registered) ?? [];
          this.#set({ agents, registered, read: 0, complete: agents.length === registered, error: undefined });
        },
        onChunk: (chunk, read) => {
          const view = this.#view;
          if (!view) return;
          const agents = view.agents.slice();
          for (const agent of chunk) agents[agent.index] = agent;
          this.#set({ ...view, agents, read, complete: agents.length === view.registered });
        },
      });
      if (isCurrent()) this.#finishedAt = Date.now();
    } catch (error) {
      if (isCurrent()) this.#set({ ...(this.#view ?? { agents: [], registered: 0, read: 0, complete: false }), error });
    } finally {
      if (isCurrent()) this.#reading = false;
    }
  }

  #set(view: AgentIndexView | undefined): void {
    this.#view = view;
    this.#publish(view);
  }
}
