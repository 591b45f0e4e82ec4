// Kubo's GC lock: imports hold it shared from their first block to their pin, garbage collection
// holds it alone. Without it a collection running during an import would see that import's
// blocks unpinned (the pin comes last) and remove them under it.
export interface RepoLock {
  /** Runs `work` alongside other shared holders; waits while a collection runs. */
  shared<T>(work: () => Promise<T>): Promise<T>;
  /** Runs `work` alone: waits for the shared holders to finish, and holds new ones off meanwhile. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
}

export function repoLock(): RepoLock {
  let holders = 0;
  let exclusive: Promise<unknown> | undefined;
  let drained: (() => void) | undefined;
  return {
    async shared(work) {
      while (exclusive) await exclusive.catch(() => undefined);
      holders++;
      try {
        return await work();
      } finally {
        holders--;
        if (holders === 0) drained?.();
      }
    },
    async exclusive(work) {
      while (exclusive) await exclusive.catch(() => undefined);
      const run = (async () => {
        if (holders > 0) await new Promise<void>((resolve) => (drained = resolve));
        drained = undefined;
        return work();
      })();
      exclusive = run;
      try {
        return await run;
      } finally {
        exclusive = undefined;
      }
    },
  };
}
