import { SvelteMap } from "svelte/reactivity";

/** Cards read at once; the rest wait, so a search over many agents never floods the gateway. */
const CONCURRENCY = 6;
/**
 * Results are handed to the page in batches: each one re-runs the search over every agent, and
 * thousands of cards answering one by one would keep the page busy re-sorting.
 */
const PUBLISH_EVERY_MS = 250;
/** Card reads start this long after they are asked for, so the cards that ask paint first. */
const DEFER_MS = 150;

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
  #arrived = new Map<string, readonly string[]>();
  #publishing: ReturnType<typeof setTimeout> | undefined;

  get(cid: string): readonly string[] | undefined {
    return this.#tags.get(cid);
  }

  request(cid: string, gateways: readonly string[]): void {
    if (!cid || this.#requested.has(cid)) return;
    this.#requested.add(cid);
    this.#queue.push(cid);
    // After the page has painted: loading the card reader must not hold up the first cards.
    setTimeout(() => this.#pump(gateways), DEFER_MS);
  }

  #pump(gateways: readonly string[]): void {
    while (this.#active < CONCURRENCY && this.#queue.length > 0) {
      const cid = this.#queue.shift()!;
      this.#active += 1;
      import("./readModelCardLight.ts")
        .then(({ readModelCardLight }) => readModelCardLight(cid, gateways))
        .then((card) => this.#arrive(cid, card.metadata.tags ?? []))
        // A card that cannot be read or is malformed has no tags to search; its page says why.
        .catch(() => this.#arrive(cid, []))
        .finally(() => {
          this.#active -= 1;
          this.#pump(gateways);
        });
    }
  }

  #arrive(cid: string, tags: readonly string[]): void {
    this.#arrived.set(cid, tags);
    if (this.#publishing !== undefined) return;
    this.#publishing = setTimeout(() => {
      this.#publishing = undefined;
      for (const [arrivedCid, arrivedTags] of this.#arrived) this.#tags.set(arrivedCid, arrivedTags);
      this.#arrived.clear();
    }, PUBLISH_EVERY_MS);
  }
}

export const cardTags = new CardTags();
