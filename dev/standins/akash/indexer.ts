// A STAND-IN for the one route of Akash Console's indexer API that HEXS's provider proxy reads:
// `GET /v1/providers/{address}` (Console apps/api providers.router.ts, ProviderResponseSchema),
// with the fields the proxy uses (uptime1d, uptime7d, uptime30d, isOnline, lastCheckDate) and
// the provider's identity; 404 for a provider the indexer has not seen, as Console answers.
import { providerAddress, type StandInProvider } from "./providers.ts";
import type { RestReply } from "./rest.ts";

export const INDEXER_PROVIDER_PATH = /^\/v1\/providers\/(akash1[0-9a-z]+)$/;

export function indexerProvider(
  providers: StandInProvider[],
  address: string,
  hostUri: (p: StandInProvider) => string,
): RestReply {
  const provider = providers.find((p) => providerAddress(p.name) === address);
  if (!provider?.uptime) return { status: 404, body: { message: "Provider not found" } };
  return {
    status: 200,
    body: {
      owner: address,
      hostUri: hostUri(provider),
      ...provider.uptime,
      isAudited: (provider.auditedBy ?? []).length > 0,
      lastCheckDate: new Date().toISOString(),
    },
  };
}
