import { readContract } from "@wagmi/core";
import type { Address } from "viem";
import { SvelteMap } from "svelte/reactivity";
import { agentAbi } from "#lib/contracts/abis.ts";
import { settings } from "#lib/state/settings.svelte.ts";
import { wallet } from "#lib/state/wallet.svelte.ts";

/**
 * The least royalty each parent agent asks of agents derived from it (`royaltyFloorBps`), read
 * once per parent: the form shows it and refuses less before any transaction, since the chain
 * would revert with `AgentRoyaltyBelowFloor`.
 */
class RoyaltyFloors {
  #floors = new SvelteMap<string, number>();

  get(parent: string): number | undefined {
    return this.#floors.get(parent.toLowerCase());
  }

  request(parent: string): void {
    const key = parent.toLowerCase();
    if (this.#floors.has(key)) return;
    readContract(wallet.wagmi.config, {
      chainId: settings.current.chainId,
      address: parent as Address,
      abi: agentAbi,
      functionName: "royaltyFloorBps",
    })
      .then((floor) => this.#floors.set(key, Number(floor)))
      // The chain will refuse a royalty below the floor anyway; unknown means no early check.
      .catch(() => undefined);
  }
}

export const royaltyFloors = new RoyaltyFloors();

/** The form's royalty check: 0–50 % and at least the parent's floor, as a sentence or undefined. */
export function royaltyProblem(bps: number | undefined, floorBps: number | undefined): string | undefined {
  if (bps === undefined) return "Enter a royalty from 0 to 50 %";
  if (floorBps !== undefined && bps < floorBps) return `The parent asks at least ${floorBps / 100} % of its children`;
  return undefined;
}
