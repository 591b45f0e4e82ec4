// A lease's log and event streams through a provider proxy (Console protocol, see
// providerProxy.ts): one proxy WebSocket, one message asking it to open the provider's socket,
// then every message (a log line, or a Kubernetes event of the lease's namespace).
import { AkashProviderError } from "./errors.ts";
import {
  proxySocketUrl,
  readProxyMessage,
  socketOpenMessage,
  type ProviderProxy,
  type ProxiedTarget,
} from "./providerProxy.ts";

export interface LogLine {
  /** Pod name, e.g. "trainer-7d9f…". */
  name: string;
  message: string;
}

/**
 * A Kubernetes event about the lease's objects (image pulls, scheduling, container starts and
 * kills), as a provider relays them (akash-network/provider cluster/types LeaseEvent).
 */
export interface LeaseEvent {
  type: string;
  reportingController?: string;
  reportingInstance?: string;
  reason: string;
  note: string;
  object: { kind: string; namespace: string; name: string };
}

export interface LogStream {
  close(): void;
  /**
   * Resolves when the provider closed the stream in order (the job's container ended) or on
   * `close()`; rejects with AkashProviderError when the connection dropped (the provider or the
   * proxy went away, the job may not have) or the proxy or provider refused it.
   */
  closed: Promise<void>;
}

/** The provider ended the stream in order: the job's container is gone (RFC 6455 §7.4.1). */
const NORMAL_CLOSURE = 1000;
/** A close frame without a code. */
const NO_STATUS = 1005;
/** No close frame: the TCP connection just ended (RFC 6455 §7.1.5). */
const ABNORMAL_CLOSURE = 1006;
/** Console's proxy closes with this when the provider's certificate is not the one the chain holds. */
const POLICY_VIOLATION = 1008;
/** A provider's code for a lease it has no namespace for (no manifest yet): websocketLeaseNotFound. */
export const LEASE_NOT_FOUND = 4001;
/**
 * How long a proxy error is given to be followed by its close. Console's proxy reports a refused
 * upgrade (a provider answering 401/404 instead of switching protocols) with an error message and
 * no close, so without this the page would wait forever.
 */
export const PROXY_ERROR_GRACE_MS = 2_000;
/**
 * A ping to the proxy this often keeps an idle log stream open through load balancers and NATs
 * that drop quiet connections (a training step can log nothing for minutes); Console's proxy
 * answers {type:"ping"} with {type:"pong"}.
 */
export const KEEP_ALIVE_MS = 25_000;

export function followProxiedLogs(
  proxy: ProviderProxy,
  target: ProxiedTarget,
  onLine: (line: LogLine) => void,
  keepAliveMs = KEEP_ALIVE_MS,
): Promise<LogStream> {
  const isLine = (value: unknown): value is LogLine => typeof (value as LogLine).message === "string";
  return followProxiedStream(
    proxy,
    target,
    "follow the logs",
    "log stream",
    (json) => isLine(json) && onLine(json),
    keepAliveMs,
  );
}

export function followProxiedEvents(
  proxy: ProviderProxy,
  target: ProxiedTarget,
  onEvent: (event: LeaseEvent) => void,
  keepAliveMs = KEEP_ALIVE_MS,
): Promise<LogStream> {
  const isEvent = (value: unknown): value is LeaseEvent =>
    typeof (value as LeaseEvent).reason === "string" && typeof (value as LeaseEvent).object === "object";
  return followProxiedStream(
    proxy,
    target,
    "follow the lease's events",
    "event stream",
    (json) => isEvent(json) && onEvent(json),
    keepAliveMs,
  );
}

async function followProxiedStream(
  proxy: ProviderProxy,
  target: ProxiedTarget,
  what: string,
  streamName: string,
  onJson: (json: unknown) => void,
  keepAliveMs: number,
): Promise<LogStream> {
  const shownUrl = `${target.url} via the provider proxy ${proxy.url}`;
  const socket = new WebSocket(proxySocketUrl(proxy));
  let closedByUs = false;
  let proxyError: string | undefined;

  let keepAlive: ReturnType<typeof setInterval> | undefined;
  const opened = new Promise<void>((resolve, reject) => {
    socket.onopen = () => {
      socket.send(socketOpenMessage(proxy, target));
      keepAlive = setInterval(() => {
        if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "ping" }));
      }, keepAliveMs);
      resolve();
    };
    socket.onerror = () =>
      reject(new AkashProviderError(what, shownUrl, undefined, "the provider proxy could not be reached"));
  });

  let settle!: { resolve: () => void; reject: (error: AkashProviderError) => void };
  const closed = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  // A socket that never opened rejects `opened`; nobody waits on `closed` then.
  closed.catch(() => undefined);
  let ended = false;
  const end = (error?: AkashProviderError) => {
    if (ended) return;
    ended = true;
    clearInterval(keepAlive);
    if (error) settle.reject(error);
    else settle.resolve();
    closedByUs = true;
    socket.close();
  };

  socket.onmessage = (event) => {
    const received = readProxyMessage(String(event.data));
    if (!received) return;
    if (received.kind === "message") return deliver(received.text, onJson);
    if (received.kind === "tokenExpired")
      return end(new AkashProviderError(what, shownUrl, 401, "the provider proxy refused the JWT: it has expired"));
    if (received.kind === "error") {
      // The proxy reports a failed provider socket, then (usually) its close: keep the reason for then.
      proxyError = received.text;
      const reason = received.text;
      setTimeout(() => end(new AkashProviderError(what, shownUrl, undefined, reason)), PROXY_ERROR_GRACE_MS);
      return;
    }
    if (proxyError) return end(new AkashProviderError(what, shownUrl, undefined, proxyError));
    if (received.code === NORMAL_CLOSURE || received.code === NO_STATUS) return end();
    if (received.code === ABNORMAL_CLOSURE)
      return end(new AkashProviderError(what, shownUrl, undefined, `the ${streamName} was cut`));
    if (received.code === POLICY_VIOLATION)
      return end(
        new AkashProviderError(
          what,
          shownUrl,
          495,
          `the provider proxy refused the provider's certificate (${received.reason || "invalidCertificate"}): it is not the one the chain holds for ${target.providerAddress}`,
        ),
      );
    // Any other code is the provider ending the stream on an error; the job may still run.
    end(
      new AkashProviderError(
        what,
        shownUrl,
        undefined,
        `the provider closed the ${streamName} (code ${received.code}${received.reason ? `: ${received.reason}` : ""})`,
      ),
    );
  };
  socket.addEventListener("close", () => {
    clearInterval(keepAlive);
    if (closedByUs) return settle.resolve();
    settle.reject(
      new AkashProviderError(what, shownUrl, undefined, proxyError ?? "the connection to the provider proxy was cut"),
    );
  });

  await opened;
  return {
    close: () => end(),
    closed,
  };
}

function deliver(text: string, onJson: (json: unknown) => void): void {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // A provider sends one JSON object per message; anything else is not one of its messages.
    return;
  }
  if (json && typeof json === "object") onJson(json);
}
