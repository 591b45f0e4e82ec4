import { SvelteMap } from "svelte/reactivity";

/** Cards read at once; the rest wait, so a search over many agents never floods the gateway. */
const CONCURRENCY = 6;

/**
 * Model card tags by card CID, read lazily from IPFS (verified) and kept for the page's life:
 * a CID names immutable content, so a tag list never goes stale. The reader loads on first use,
 * after the marketplace's first paint.
 */
class CardTags {
  #tags = new SvelteMap<string, readonly string[]>();
  #requested = new Set<string>();
  #queue: string[] = [];
  #active = 0;

  get(cid: string): readonly string[] | undefined {
    return this.#tags.get(cid);
  }

  request(cid: string, gateways: readonly string[]): void {
    if (!cid || this.#requested.has(cid)) return;
    this.#requested.add(cid);
    this.#queue.push(cid);
    this.#pump(gateways);
  }

  #pump(gateways: readonly string[]): void {
    while (this.#active < CONCURRENCY && this.#queue.length > 0) {
      const cid = this.#queue.shift()!;
      this.#active += 1;
      import("./readModelCardLight.ts")
        .then(({ readModelCardLight }) => readModelCardLight(cid, gateways))
        .then((card) => this.#tags.set(cid, card.metadata.tags ?? []))
        // A card that cannot be read or is malformed has no tags to search; its page says why.
        .catch(() => this.#tags.set(cid, []))
        .finally(() => {
          this.#active -= 1;
          this.#pump(gateways);
        });
    }
  }
}

export const cardTags = new CardTags();
