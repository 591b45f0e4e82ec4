import { SvelteMap } from "svelte/reactivity";
import type { ApiKey } from "../apiKey.ts";

/**
 * API keys whose secret this page holds: the ones created here (shown once) and the ones their
 * holder pasted to see pending usage and receipts. In memory only: a reload forgets them, as
 * OpenAI's dashboard forgets a key once its dialog is closed.
 */
class SessionKeys {
  #byId = new SvelteMap<string, ApiKey>();
  /**
   * The key whose secret is on screen now: just created, until its holder says it is saved. Only
   * then do the API snippets carry it; afterwards the secret appears nowhere on the page.
   */
  revealed = $state<{ agent: string; key: ApiKey }>();

  /** The revealed key, if it is a key of `agent`. */
  revealedFor(agent: string): ApiKey | undefined {
    return this.revealed?.agent.toLowerCase() === agent.toLowerCase() ? this.revealed.key : undefined;
  }

  add(key: ApiKey): void {
    this.#byId.set(key.keyId.toLowerCase(), key);
  }

  get(keyId: string): ApiKey | undefined {
    return this.#byId.get(keyId.toLowerCase());
  }
}

export const sessionKeys = new SessionKeys();
