import type { Config } from "@wagmi/core";
import { isAddress, type Address } from "viem";
import { settings } from "./settings.svelte.ts";
import { wallet } from "./wallet.svelte.ts";

export interface AgentReadContext {
  config: Config;
  chainId: number;
  agent: Address;
  /** The connected account, if any. */
  user: Address | undefined;
}

/**
 * The reads of a page about one agent: they run once the wallet is ready, again when the agent
 * or the connected account changes, and after `refresh()` (a confirmed transaction). The last
 * result stays on screen meanwhile, so no form loses what the user typed. Call it while a
 * component initialises: it owns an effect.
 */
export function agentReads<T>(agentOf: () => string, load: (context: AgentReadContext) => Promise<T>) {
  let version = $state(0);
  let data = $state<T>();
  let error = $state<unknown>();

  $effect(() => {
    void version;
    const agent = agentOf();
    const user = wallet.address;
    if (!wallet.started) return;
    if (!isAddress(agent)) {
      error = new Error(`“${agent}” is not an address.`);
      return;
    }
    // Only the latest read may land: a slower answer for an agent the user has left, or for the
    // account the wallet held a moment ago (a reconnect, a switch of accounts), must not overwrite
    // the page with another account's shares and earnings.
    let current = true;
    load({ config: wallet.wagmi.config, chainId: settings.current.chainId, agent, user })
      .then((result) => {
        if (!current) return;
        data = result;
        error = undefined;
      })
      .catch((failure: unknown) => {
        if (current) error = failure;
      });
    return () => {
      current = false;
    };
  });

  return {
    get data() {
      return data;
    },
    get error() {
      return error;
    },
    /** Changes after each refresh, for children that read on their own. */
    get version() {
      return version;
    },
    refresh() {
      version += 1;
    },
  };
}
