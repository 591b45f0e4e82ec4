// Per-key limits: how many requests a key may have running at once, and how many it may start
// per minute (a sliding window). Exceeding either is a 429 with the seconds to wait.

export interface LimitRefusal {
  reason: string;
  retryAfterSeconds: number;
}

export class KeyLimits {
  readonly #maxConcurrent: number;
  readonly #perMinute: number;
  readonly #running = new Map<string, number>();
  readonly #started = new Map<string, number[]>();
  readonly #now: () => number;

  constructor(options: { maxConcurrent: number; perMinute: number; now?: () => number }) {
    this.#maxConcurrent = options.maxConcurrent;
    this.#perMinute = options.perMinute;
    this.#now = options.now ?? Date.now;
  }

  /** Admits a request of `key`, returning its release, or says why not. */
  admit(key: string): { release: () => void } | LimitRefusal {
    const now = this.#now();
    const window = (this.#started.get(key) ?? []).filter((t) => t > now - 60_000);
    if (window.length >= this.#perMinute) {
      return {
        reason: `This key may start ${this.#perMinute} requests per minute.`,
        retryAfterSeconds: Math.max(1, Math.ceil((window[0]! + 60_000 - now) / 1000)),
      };
    }
    const running = this.#running.get(key) ?? 0;
    if (running >= this.#maxConcurrent) {
      return { reason: `This key may have ${this.#maxConcurrent} requests running at once.`, retryAfterSeconds: 1 };
    }
    window.push(now);
    this.#started.set(key, window);
    this.#running.set(key, running + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.#running.set(key, (this.#running.get(key) ?? 1) - 1);
      },
    };
  }
}
