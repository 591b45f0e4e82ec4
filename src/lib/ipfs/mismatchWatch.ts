// Helia verifies every block a gateway returns, but when a block's hash does not match it only
// logs the error and keeps asking (it may find an honest provider), so a read from a lying
// gateway ends as a timeout. This logger notices those mismatches, per session root, so a read
// can fail at once with a verification error instead.
import { defaultLogger, type ComponentLogger, type Logger } from "birnam";

const SESSION = /^helia:trustless-gateway:session:([^:]+)/;

export interface MismatchWatch {
  logger: ComponentLogger;
  /** Calls `onMismatch` each time a block fetched for the session of `root` fails its hash. */
  watch(root: string, onMismatch: () => void): () => void;
}

export function mismatchWatch(): MismatchWatch {
  const base = defaultLogger();
  const listeners = new Map<string, Set<() => void>>();
  const notify = (component: string, args: unknown[]) => {
    const root = SESSION.exec(component)?.[1];
    if (root === undefined || !args.some(isHashMismatch)) return;
    for (const listener of listeners.get(root) ?? []) listener();
  };
  const wrap = (component: string, log: Logger): Logger =>
    Object.assign((formatter: unknown, ...args: unknown[]) => log(formatter, ...args), {
      error: (formatter: unknown, ...args: unknown[]) => {
        notify(component, args);
        log.error(formatter, ...args);
      },
      trace: log.trace.bind(log),
      enabled: log.enabled,
      newScope: (name: string) => wrap(`${component}:${name}`, log.newScope(name)),
    });
  return {
    logger: { forComponent: (name) => wrap(name, base.forComponent(name)) },
    watch(root, onMismatch) {
      const set = listeners.get(root) ?? new Set();
      set.add(onMismatch);
      listeners.set(root, set);
      return () => {
        set.delete(onMismatch);
        if (set.size === 0) listeners.delete(root);
      };
    },
  };
}

function isHashMismatch(value: unknown): boolean {
  return (
    value instanceof Error && (value.name === "InvalidMultihashError" || /did not match multihash/.test(value.message))
  );
}
