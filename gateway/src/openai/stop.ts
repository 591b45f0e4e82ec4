// Stop sequences over streamed text: generation ends before the first stop sequence, which is
// not returned. Text that could still turn out to be the start of one is held back until the
// next token settles it, so a client never receives half a stop sequence.

export interface StopResult {
  /** Text safe to send now. */
  emit: string;
  /** A stop sequence was completed: generation ends after `emit`. */
  stopped: boolean;
}

export class StopMatcher {
  readonly #stops: readonly string[];
  #held = "";

  constructor(stops: readonly string[]) {
    this.#stops = stops;
  }

  push(text: string): StopResult {
    const buffer = this.#held + text;
    let cut = -1;
    for (const stop of this.#stops) {
      const at = buffer.indexOf(stop);
      if (at >= 0 && (cut < 0 || at < cut)) cut = at;
    }
    if (cut >= 0) {
      this.#held = "";
      return { emit: buffer.slice(0, cut), stopped: true };
    }
    const keep = this.#longestPrefixSuffix(buffer);
    this.#held = buffer.slice(buffer.length - keep);
    return { emit: buffer.slice(0, buffer.length - keep), stopped: false };
  }

  /** What was held back when generation ended without a stop sequence. */
  flush(): string {
    const rest = this.#held;
    this.#held = "";
    return rest;
  }

  /** Length of the longest end of `buffer` that begins some stop sequence. */
  #longestPrefixSuffix(buffer: string): number {
    let best = 0;
    for (const stop of this.#stops) {
      for (let n = Math.min(stop.length - 1, buffer.length); n > best; n--) {
        if (buffer.endsWith(stop.slice(0, n))) {
          best = n;
          break;
        }
      }
    }
    return best;
  }
}
