// The provider's lease API: send the manifest, read the lease status, follow the logs.
//
// Two ways to reach a provider from the browser:
// - direct: `hostUri` as the provider registered it on chain, with the JWT as a Bearer token.
//   Works for providers with JWT auth, a certificate the browser trusts and CORS open.
// - through a provider proxy the user configures (as Akash Console does): requests go to
//   `<proxy>/<encoded hostUri><path>`; the proxy terminates TLS toward providers that accept
//   only mTLS or use self-signed certificates, and adds CORS. HEXS runs no proxy itself.
// WebSockets cannot carry an Authorization header from a browser, so the logs socket passes the
// JWT as the `token` query parameter; behind a proxy, the proxy moves it into the header.
import { AkashProviderError } from "./errors.ts";
import type { LeaseRef } from "./messages.ts";
import type { JwtSource } from "./providerAuth.ts";

export interface ProviderEndpoint {
  /** The provider's `hostUri` from the chain, e.g. https://provider.example.com:8443 */
  hostUri: string;
  /** Base URL of a provider proxy, when configured. */
  proxyUrl?: string;
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

export interface LogLine {
  /** Pod name, e.g. "trainer-7d9f…". */
  name: string;
  message: string;
}

export function providerUrl(endpoint: ProviderEndpoint, path: string): string {
  const host = endpoint.hostUri.replace(/\/+$/, "");
  if (!endpoint.proxyUrl) return `${host}${path}`;
  return `${endpoint.proxyUrl.replace(/\/+$/, "")}/${encodeURIComponent(host)}${path}`;
}

function leasePath(lease: LeaseRef): string {
  return `/lease/${lease.dseq}/${lease.gseq}/${lease.oseq}`;
}

async function call(what: string, url: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (cause) {
    throw new AkashProviderError(what, url, undefined, "", cause);
  }
  if (!response.ok) throw new AkashProviderError(what, url, response.status, await response.text().catch(() => ""));
  return response;
}

/** PUT /deployment/{dseq}/manifest: the provider checks it against the deployment's hash and starts the job. */
export async function sendManifest(
  endpoint: ProviderEndpoint,
  jwt: JwtSource,
  dseq: string,
  manifestJson: string,
): Promise<void> {
  const url = providerUrl(endpoint, `/deployment/${dseq}/manifest`);
  await call("send the manifest", url, {
    method: "PUT",
    headers: { authorization: `Bearer ${await jwt.token()}`, "content-type": "application/json" },
    body: manifestJson,
  });
}

export async function leaseStatus(endpoint: ProviderEndpoint, jwt: JwtSource, lease: LeaseRef): Promise<LeaseStatus> {
  const url = providerUrl(endpoint, `${leasePath(lease)}/status`);
  const response = await call("read the lease status", url, {
    headers: { authorization: `Bearer ${await jwt.token()}` },
  });
  return (await response.json()) as LeaseStatus;
}

export interface LogStream {
  close(): void;
  /**
   * Resolves when the socket closes in order (the job's container ended, or `close()`); rejects
   * with AkashProviderError when the connection drops (the provider went away, the job may not have).
   */
  closed: Promise<void>;
}

/** Follows the lease's logs over a WebSocket; `onLine` gets every line from the start. */
export async function followLogs(
  endpoint: ProviderEndpoint,
  jwt: JwtSource,
  lease: LeaseRef,
  onLine: (line: LogLine) => void,
): Promise<LogStream> {
  const http = providerUrl(
    endpoint,
    `${leasePath(lease)}/logs?follow=true&tail=-1&token=${encodeURIComponent(await jwt.token())}`,
  );
  const url = http.replace(/^http/, "ws");
  const socket = new WebSocket(url);
  const shownUrl = url.replace(/token=[^&]+/, "token=…");
  const opened = new Promise<void>((resolve, reject) => {
    socket.onopen = () => resolve();
    socket.onerror = () => reject(new AkashProviderError("follow the logs", shownUrl, undefined, ""));
  });
  const closed = new Promise<void>((resolve, reject) =>
    socket.addEventListener("close", (event) => {
      // 1006: no close frame, the TCP connection just ended. Anything else was a decision.
      if (event.code !== 1006) return resolve();
      reject(new AkashProviderError("follow the logs", shownUrl, undefined, "the log stream was cut"));
    }),
  );
  // A socket that never opened rejects `opened`; nobody waits on `closed` then.
  closed.catch(() => undefined);
  socket.onmessage = (event) => {
    try {
      const line = JSON.parse(String(event.data)) as LogLine;
      if (typeof line.message === "string") onLine(line);
    } catch {
      // A provider sends one JSON object per message; anything else is not a log line.
    }
  };
  await opened;
  return { close: () => socket.close(), closed };
}
