// Helia verifies every block a gateway returns, but when a block's hash does not match it only
// logs the error and keeps asking (it may find an honest provider), so a read from a lying
// gateway ends as a timeout. This logger notices those mismatches, per session root, so a read
// can fail at once with a verification error instead.
import { defaultLogger, type ComponentLogger, type Logger } from "birnam";

const SESSION = /^helia:trustless-gateway:session:([^:]+)/;

export interface MismatchWatch {
  logger: ComponentLogger;
  /**
   * Calls `onMismatch` each time a block fetched for the session of `root` fails its hash, with
   * the gateway that served it when the log names one.
   */
  watch(root: string, onMismatch: (gateway: string | undefined) => void): () => void;
}

export function mismatchWatch(): MismatchWatch {
  const base = defaultLogger();
  const listeners = new Map<string, Set<(gateway: string | undefined) => void>>();
  const notify = (component: string, args: unknown[]) => {
    const root = SESSION.exec(component)?.[1];
    if (root === undefined || !args.some(isHashMismatch)) return;
    const gateway = args.map(gatewayOf).find((url) => url !== undefined);
    for (const listener of listeners.get(root) ?? []) listener(gateway);
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

/** The session logs the provider it evicts: a trustless gateway, whose `url` names it. */
function gatewayOf(value: unknown): string | undefined {
  if (value === null || typeof value !== "object" || !("url" in value)) return undefined;
  const url = (value as { url: unknown }).url;
  return url instanceof URL || typeof url === "string" ? String(url).replace(/\/+$/, "") : undefined;
}
