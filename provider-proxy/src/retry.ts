// Retries as Console's provider proxy does them (apps/provider-proxy/src/utils/retry.ts): up to
// three more tries after 200, 400 and 800 ms, for an answer the caller calls retryable or for a
// refused or reset connection; anything else is final at once.
import { setTimeout as sleep } from "node:timers/promises";

const RETRYABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ERR_TLS_SESSION_REJECTED"]);
export const RETRY_DELAYS_MS = [200, 400, 800];

/** Whether `error` (or its cause) is a connection failure another try may not meet. */
export function isRetryableError(error: unknown): boolean {
  const code =
    (error as { code?: unknown } | undefined)?.code ?? (error as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === "string" && RETRYABLE_CODES.has(code);
}

export async function withRetries<T>(attempt: () => Promise<T>, retryIf: (result: T) => boolean): Promise<T> {
  for (let tries = 0; ; tries++) {
    const last = tries === RETRY_DELAYS_MS.length;
    try {
      const result = await attempt();
      if (last || !retryIf(result)) return result;
    } catch (error) {
      if (last || !isRetryableError(error)) throw error;
    }
    await sleep(RETRY_DELAYS_MS[tries]!);
  }
}
