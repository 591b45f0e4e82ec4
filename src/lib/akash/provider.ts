// The provider's lease API: send the manifest, read the lease status, follow the logs.
//
// Providers authenticate the lease owner with a JWT they read only from the `Authorization:
// Bearer` header (akash-network/provider, gateway/rest/auth.go). Two ways to get it there:
// - direct: `hostUri` as the provider registered it on chain. Works for HTTP calls to providers
//   with JWT auth, a certificate the browser trusts and CORS open; never for the logs WebSocket,
//   since a browser cannot set headers on one (AkashLogsNeedProxyError).
// - through a provider proxy the user configures, speaking Akash Console's protocol
//   (providerProxy.ts): the token travels in the body, the proxy sets the header, handles
//   self-signed certificates and answers with CORS. HEXS runs no proxy in production.
import { AkashLogsNeedProxyError, AkashProviderError } from "./errors.ts";
import type { LeaseRef } from "./messages.ts";
import type { JwtSource } from "./providerAuth.ts";
import { proxiedRequest, type ProviderProxy } from "./providerProxy.ts";
import { followProxiedLogs, type LogLine, type LogStream } from "./providerLogs.ts";

export type { LogLine, LogStream } from "./providerLogs.ts";

export interface ProviderEndpoint {
  /** The provider's `hostUri` from the chain, e.g. https://provider.example.com:8443 */
  hostUri: string;
  /** The provider's bech32 address (the lease's `provider`). */
  providerAddress: string;
  /** A provider proxy, when configured. */
  proxy?: ProviderProxy;
}

export interface ServiceStatus {
  name: string;
  available: number;
  total: number;
  uris: string[] | null;
  ready_replicas: number;
}

export interface LeaseStatus {
  services: Record<string, ServiceStatus>;
}

export function providerUrl(endpoint: ProviderEndpoint, path: string): string {
  return `${endpoint.hostUri.replace(/\/+$/, "")}${path}`;
}

function leasePath(lease: LeaseRef): string {
  return `/lease/${lease.dseq}/${lease.gseq}/${lease.oseq}`;
}

async function call(
  what: string,
  endpoint: ProviderEndpoint,
  jwt: JwtSource,
  path: string,
  request: { method: "GET" | "PUT"; body?: string },
): Promise<Response> {
  const url = providerUrl(endpoint, path);
  const token = await jwt.token();
  let response: Response;
  try {
    response = endpoint.proxy
      ? await proxiedRequest(endpoint.proxy, { url, providerAddress: endpoint.providerAddress, token }, request)
      : await fetch(url, {
          method: request.method,
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          ...(request.body === undefined ? {} : { body: request.body }),
        });
  } catch (cause) {
    const via = endpoint.proxy ? ` via the provider proxy ${endpoint.proxy.url}` : "";
    throw new AkashProviderError(what, `${url}${via}`, undefined, "", cause);
  }
  if (response.ok) return response;
  const body = await response.text().catch(() => "");
  // A proxy answers 503 when it cannot reach the provider: unreachable, not refused.
  if (endpoint.proxy && response.status === 503) throw new AkashProviderError(what, url, undefined, body);
  throw new AkashProviderError(what, url, response.status, body);
}

/** PUT /deployment/{dseq}/manifest: the provider checks it against the deployment's hash and starts the job. */
export async function sendManifest(
  endpoint: ProviderEndpoint,
  jwt: JwtSource,
  dseq: string,
  manifestJson: string,
): Promise<void> {
  await call("send the manifest", endpoint, jwt, `/deployment/${dseq}/manifest`, {
    method: "PUT",
    body: manifestJson,
  });
}

export async function leaseStatus(endpoint: ProviderEndpoint, jwt: JwtSource, lease: LeaseRef): Promise<LeaseStatus> {
  const response = await call("read the lease status", endpoint, jwt, `${leasePath(lease)}/status`, { method: "GET" });
  return (await response.json()) as LeaseStatus;
}

/**
 * Follows the lease's logs over a WebSocket; `onLine` gets every line from the start. Needs a
 * provider proxy: throws AkashLogsNeedProxyError without one.
 */
export async function followLogs(
  endpoint: ProviderEndpoint,
  jwt: JwtSource,
  lease: LeaseRef,
  onLine: (line: LogLine) => void,
): Promise<LogStream> {
  if (!endpoint.proxy) throw new AkashLogsNeedProxyError();
  const url = providerUrl(endpoint, `${leasePath(lease)}/logs?follow=true&tail=-1`);
  const target = { url, providerAddress: endpoint.providerAddress, token: await jwt.token() };
  return followProxiedLogs(endpoint.proxy, target, onLine);
}
