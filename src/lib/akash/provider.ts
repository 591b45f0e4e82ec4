// The provider's lease API: send the manifest, read the lease status, follow the logs.
//
// Providers authenticate the lease owner either with a JWT they read only from the
// `Authorization: Bearer` header (akash-network/provider, gateway/rest/auth.go), or, the only
// way older providers know, with a client certificate in the TLS handshake (mTLS) that the
// chain holds for the owner. Two ways to reach a provider:
// - direct: `hostUri` as the provider registered it on chain. Works for HTTP calls with a JWT to
//   providers with a certificate the browser trusts and CORS open; never for the logs WebSocket
//   (a browser cannot set headers on one: AkashLogsNeedProxyError) nor for mTLS (a page cannot
//   present a client certificate: AkashMtlsNeedsProxyError).
// - through a provider proxy the user configures, speaking Akash Console's protocol
//   (providerProxy.ts): the credentials travel in the body, the proxy sets the header or
//   presents the certificate, handles self-signed provider certificates and answers with CORS.
//   HEXS runs no proxy in production.
import { AkashLogsNeedProxyError, AkashMtlsNeedsProxyError, AkashProviderError } from "./errors.ts";
import type { LeaseRef } from "./messages.ts";
import type { JwtSource } from "./providerAuth.ts";
import { proxiedRequest, type ProviderProxy, type ProxyAuth } from "./providerProxy.ts";
import {
  followProxiedEvents,
  followProxiedLogs,
  type LeaseEvent,
  type LogLine,
  type LogStream,
} from "./providerLogs.ts";

export type { LeaseEvent, LogLine, LogStream } from "./providerLogs.ts";

/** A client certificate the chain holds for the lease owner, with its private key. */
export interface CertificateCredentials {
  certPem: string;
  keyPem: string;
}

/** How the lease owner proves who they are to a provider: a JWT, or a client certificate (mTLS). */
export type ProviderCredentials = JwtSource | CertificateCredentials;

async function proxyAuth(credentials: ProviderCredentials): Promise<ProxyAuth> {
  if ("certPem" in credentials) return { type: "mtls", certPem: credentials.certPem, keyPem: credentials.keyPem };
  return { type: "jwt", token: await credentials.token() };
}

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
  credentials: ProviderCredentials,
  path: string,
  request: { method: "GET" | "PUT"; body?: string },
): Promise<Response> {
  const url = providerUrl(endpoint, path);
  const auth = await proxyAuth(credentials);
  const { proxy } = endpoint;
  const send = proxy
    ? () => proxiedRequest(proxy, { url, providerAddress: endpoint.providerAddress, auth }, request)
    : directRequest(url, auth, request);
  let response: Response;
  try {
    response = await send();
  } catch (cause) {
    const via = endpoint.proxy ? ` via the provider proxy ${endpoint.proxy.url}` : "";
    throw new AkashProviderError(what, `${url}${via}`, undefined, "", cause);
  }
  if (response.ok) return response;
  const body = readableBody(await response.text().catch(() => ""));
  // A proxy answers 503 when it cannot reach the provider: unreachable, not refused.
  if (endpoint.proxy && response.status === 503) throw new AkashProviderError(what, url, undefined, body);
  throw new AkashProviderError(what, url, response.status, body);
}

/** The request straight to the provider, which only a JWT can authenticate from a page. */
function directRequest(
  url: string,
  auth: ProxyAuth,
  request: { method: "GET" | "PUT"; body?: string },
): () => Promise<Response> {
  if (auth.type === "mtls") throw new AkashMtlsNeedsProxyError();
  const headers = { authorization: `Bearer ${auth.token}`, "content-type": "application/json" };
  return () =>
    fetch(url, { method: request.method, headers, ...(request.body === undefined ? {} : { body: request.body }) });
}

/** Providers answer errors as JSON `{message}`; proxies and gateways in plain text. */
function readableBody(text: string): string {
  try {
    const { message } = JSON.parse(text) as { message?: unknown };
    if (typeof message === "string" && message) return message;
  } catch {
    // not JSON: shown as it is
  }
  return text;
}

/** PUT /deployment/{dseq}/manifest: the provider checks it against the deployment's hash and starts the job. */
/**
 * Waits between tries while the provider answers 404 "no lease for deployment": it learns of a
 * lease from the chain's events, a block or more after the lease exists (akash-network/provider
 * manifest/manager.go ErrNoLeaseForDeployment, a 404 from gateway/rest/router.go). Console waits
 * 6 s and tries three times; this backs off over ~25 s.
 */
export const MANIFEST_RETRY_DELAYS_MS = [1_000, 2_000, 4_000, 6_000, 6_000, 6_000];

/** What a page says while sendManifest waits for the provider to see the lease (its `onWait`). */
export function manifestWaitText(attempt: number, ms: number): string {
  return `The provider has not seen the lease on chain yet; sending the manifest again in ${ms / 1000} s (try ${attempt + 1})`;
}

export async function sendManifest(
  endpoint: ProviderEndpoint,
  credentials: ProviderCredentials,
  dseq: string,
  manifestJson: string,
  options: { retryDelaysMs?: readonly number[]; onWait?: (attempt: number, ms: number) => void } = {},
): Promise<void> {
  const delays = options.retryDelaysMs ?? MANIFEST_RETRY_DELAYS_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      await call("send the manifest", endpoint, credentials, `/deployment/${dseq}/manifest`, {
        method: "PUT",
        body: manifestJson,
      });
      return;
    } catch (error) {
      const wait = delays[attempt];
      if (!(error instanceof AkashProviderError && error.leaseNotSeen) || wait === undefined) throw error;
      options.onWait?.(attempt + 1, wait);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

export async function leaseStatus(
  endpoint: ProviderEndpoint,
  credentials: ProviderCredentials,
  lease: LeaseRef,
): Promise<LeaseStatus> {
  const response = await call("read the lease status", endpoint, credentials, `${leasePath(lease)}/status`, {
    method: "GET",
  });
  return (await response.json()) as LeaseStatus;
}

/**
 * Follows the lease's logs over a WebSocket; `onLine` gets every line from the start. Needs a
 * provider proxy: throws AkashLogsNeedProxyError without one.
 */
export async function followLogs(
  endpoint: ProviderEndpoint,
  credentials: ProviderCredentials,
  lease: LeaseRef,
  onLine: (line: LogLine) => void,
): Promise<LogStream> {
  if (!endpoint.proxy) throw new AkashLogsNeedProxyError();
  const url = providerUrl(endpoint, `${leasePath(lease)}/logs?follow=true&tail=-1`);
  const target = { url, providerAddress: endpoint.providerAddress, auth: await proxyAuth(credentials) };
  return followProxiedLogs(endpoint.proxy, target, onLine);
}

/**
 * Follows the Kubernetes events of the lease's namespace (scheduling, image pull, container
 * start, kill), as Akash Console's Events tab shows them; `onEvent` gets every event from the
 * start. Before the manifest the provider has no namespace and closes with 4001. Needs a proxy.
 */
export async function followLeaseEvents(
  endpoint: ProviderEndpoint,
  credentials: ProviderCredentials,
  lease: LeaseRef,
  onEvent: (event: LeaseEvent) => void,
): Promise<LogStream> {
  if (!endpoint.proxy) throw new AkashLogsNeedProxyError();
  const url = providerUrl(endpoint, `${leasePath(lease)}/kubeevents?follow=true`);
  const target = { url, providerAddress: endpoint.providerAddress, auth: await proxyAuth(credentials) };
  return followProxiedEvents(endpoint.proxy, target, onEvent);
}
