// Akash Console's provider proxy protocol (akash-network/console, apps/provider-proxy), spoken
// from the browser. The proxy exists because a page cannot do what providers ask of a client:
// trust a provider's self-signed certificate, put an `Authorization: Bearer` header on a
// WebSocket, or present a TLS client certificate. The page hands the JWT to the proxy in the
// request body or message (`auth: {type: "jwt"}`), never in a URL; the proxy adds the header.
// Providers that accept nothing but mTLS (older than JWT auth, AEP-64) get Console's
// `auth: {type: "mtls", certPem, keyPem}`: the owner's client certificate, published on chain
// (certificate.ts), which the proxy presents in its TLS handshake with the provider.
//
// HTTP:      POST <proxy>/ {method, url, body?, network, providerAddress, timeout?, auth}
//            → the provider's response; 503 when the provider is unreachable, 495 for a bad certificate.
// WebSocket: send {type:"websocket", url, network, providerAddress, auth}; receive
//            {type:"websocket", message} per provider message, {…, closed:true, code, reason} at the
//            end, {…, error, message} on failures and {…, error:"tokenExpired"}.

import type { ProviderEndpoint } from "./provider.ts";

export interface ProviderProxy {
  /** Base URL of the proxy, e.g. https://proxy.hexs.example.org (provider-proxy/) */
  url: string;
  /** The proxy's name for the chain (Console: "mainnet", "sandbox", "testnet"). */
  network: string;
}

/** The settings that name a provider proxy and the chain it is for. */
export interface ProxySettings {
  akashProviderProxyUrl: string;
  akashChainId: string;
}

/** How the proxy authenticates the lease owner to the provider (Console's `auth` field). */
export type ProxyAuth = { type: "jwt"; token: string } | { type: "mtls"; certPem: string; keyPem: string };

export interface ProxiedTarget {
  /** Full provider URL, path included. */
  url: string;
  /** The provider's bech32 address: the proxy checks the provider's certificate against it. */
  providerAddress: string;
  auth: ProxyAuth;
}

/** Console's network names for the Akash chains it knows; any other chain keeps its id. */
export function consoleNetwork(chainId: string): string {
  if (chainId.startsWith("akashnet-")) return "mainnet";
  if (chainId.startsWith("sandbox-")) return "sandbox";
  if (chainId.startsWith("testnet-")) return "testnet";
  return chainId;
}

/** The request a proxy forwards; its answer is the provider's (or the proxy's own error). */
export function proxiedRequest(
  proxy: ProviderProxy,
  target: ProxiedTarget,
  request: { method: "GET" | "PUT" | "POST"; body?: string },
): Promise<Response> {
  return fetch(`${proxy.url.replace(/\/+$/, "")}/`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      method: request.method,
      url: target.url,
      ...(request.body === undefined ? {} : { body: request.body }),
      network: proxy.network,
      providerAddress: target.providerAddress,
      auth: target.auth,
    }),
  });
}

/** The message that asks the proxy to open the provider's WebSocket at `target.url`. */
export function socketOpenMessage(proxy: ProviderProxy, target: ProxiedTarget): string {
  return JSON.stringify({
    type: "websocket",
    url: target.url,
    network: proxy.network,
    providerAddress: target.providerAddress,
    auth: target.auth,
  });
}

/** The proxy's WebSocket endpoint: the same base URL, ws(s) scheme. */
export function proxySocketUrl(proxy: ProviderProxy): string {
  return `${proxy.url.replace(/\/+$/, "")}/`.replace(/^http/, "ws");
}

export type ProxyEvent =
  | { kind: "message"; text: string }
  | { kind: "closed"; code: number; reason: string }
  | { kind: "tokenExpired" }
  | { kind: "error"; text: string };

/** Reads one message of the proxy; undefined for messages that are not about the provider socket. */
export function readProxyMessage(data: string): ProxyEvent | undefined {
  let parsed: {
    type?: unknown;
    message?: unknown;
    closed?: unknown;
    code?: unknown;
    reason?: unknown;
    error?: unknown;
  };
  try {
    parsed = JSON.parse(data) as typeof parsed;
  } catch {
    return undefined;
  }
  if (parsed.type !== "websocket") return undefined;
  if (parsed.error === "tokenExpired") return { kind: "tokenExpired" };
  if (parsed.error !== undefined) {
    return { kind: "error", text: [parsed.error, parsed.message].filter((s) => typeof s === "string" && s).join(": ") };
  }
  if (parsed.closed === true) {
    return { kind: "closed", code: Number(parsed.code), reason: decodeText(parsed.reason) };
  }
  return { kind: "message", text: decodeText(parsed.message) };
}

/**
 * The proxy relays what its `ws` client received; a Node Buffer serialises as
 * `{type:"Buffer", data:[…bytes]}`, so both that and a plain string are accepted.
 */
function decodeText(value: unknown): string {
  if (typeof value === "string") return value;
  const buffer = value as { type?: unknown; data?: unknown } | null;
  if (buffer?.type === "Buffer" && Array.isArray(buffer.data)) {
    return new TextDecoder().decode(Uint8Array.from(buffer.data as number[]));
  }
  return "";
}

/** A provider's uptime as the HEXS provider proxy relays it from Console's indexer (shares, 0–1). */
export interface ProviderUptime {
  uptime1d: number | null;
  uptime7d: number | null;
  uptime30d: number | null;
  isOnline: boolean;
}

/**
 * The provider's uptime through the proxy's `GET /providers/{address}/uptime` (HEXS's proxy;
 * Console's has no such route), or undefined where the proxy or its indexer has none.
 */
export async function providerUptime(
  proxy: ProviderProxy,
  providerAddress: string,
): Promise<ProviderUptime | undefined> {
  const response = await fetch(`${proxy.url.replace(/\/+$/, "")}/providers/${providerAddress}/uptime`).catch(
    () => undefined,
  );
  if (!response?.ok) return undefined;
  return (await response.json()) as ProviderUptime;
}

/** A lease's provider as the page reaches it: its host from the chain, through the proxy the settings name (if any). */
export function leaseEndpoint(
  lease: { hostUri: string | undefined; provider: string | undefined },
  settings: ProxySettings,
): ProviderEndpoint {
  const proxy = providerProxyOf(settings);
  return { hostUri: lease.hostUri ?? "", providerAddress: lease.provider ?? "", ...(proxy ? { proxy } : {}) };
}

/** The provider proxy the settings name, if any, speaking Console's name for the chain. */
export function providerProxyOf(settings: ProxySettings): ProviderProxy | undefined {
  const url = settings.akashProviderProxyUrl;
  return url ? { url, network: consoleNetwork(settings.akashChainId) } : undefined;
}
