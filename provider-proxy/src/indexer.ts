// Providers' uptime, which the chain does not hold: Akash Console's indexer measures it (its API's
// `GET /v1/providers/{address}`: uptime1d, uptime7d, uptime30d, isOnline, lastCheckDate; Console
// apps/api provider.schema.ts ProviderResponseSchema). Console's API sends CORS headers to its own
// sites only (apps/api/src/rest-app.ts, CORS_WEBSITE_URLS), so the proxy, not the page, asks it,
// and keeps each answer a few minutes.
import { isAkashAddress } from "./x509.ts";

const CACHE_MS = 5 * 60_000;

export interface ProviderUptime {
  /** Share of checks the provider answered, 0–1, over the last day, week and month. */
  uptime1d: number | null;
  uptime7d: number | null;
  uptime30d: number | null;
  isOnline: boolean;
  lastCheckDate: string | null;
}

export type UptimeAnswer = { status: 200; uptime: ProviderUptime } | { status: 400 | 404 | 502; message: string };

export function providerIndexer(indexerUrl: string, now: () => number = Date.now) {
  const base = indexerUrl.replace(/\/+$/, "");
  const cache = new Map<string, { answer: UptimeAnswer; at: number }>();

  async function ask(address: string): Promise<UptimeAnswer> {
    let response: Response;
    try {
      response = await fetch(`${base}/v1/providers/${address}`, { signal: AbortSignal.timeout(10_000) });
    } catch (error) {
      return {
        status: 502,
        message: `the indexer ${base} did not answer: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    if (response.status === 404) return { status: 404, message: `the indexer ${base} knows no provider ${address}` };
    if (!response.ok) return { status: 502, message: `the indexer ${base} answered HTTP ${response.status}` };
    const record = (await response.json()) as Partial<ProviderUptime>;
    const ratio = (value: unknown) => (typeof value === "number" && value >= 0 && value <= 1 ? value : null);
    return {
      status: 200,
      uptime: {
        uptime1d: ratio(record.uptime1d),
        uptime7d: ratio(record.uptime7d),
        uptime30d: ratio(record.uptime30d),
        isOnline: record.isOnline === true,
        lastCheckDate: typeof record.lastCheckDate === "string" ? record.lastCheckDate : null,
      },
    };
  }

  return {
    async uptime(address: string): Promise<UptimeAnswer> {
      if (!isAkashAddress(address)) return { status: 400, message: `${address} is not an Akash address` };
      const cached = cache.get(address);
      if (cached && now() - cached.at < CACHE_MS) return cached.answer;
      const answer = await ask(address);
      // Failures are not kept: the next request asks again.
      if (answer.status === 200 || answer.status === 404) cache.set(address, { answer, at: now() });
      return answer;
    },
  };
}
