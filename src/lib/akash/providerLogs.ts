// A lease's log stream through a provider proxy (Console protocol, see providerProxy.ts): one
// proxy WebSocket, one message asking it to open the provider's logs socket, then every line.
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

export async function followProxiedLogs(
  proxy: ProviderProxy,
  target: ProxiedTarget,
  onLine: (line: LogLine) => void,
  keepAliveMs = KEEP_ALIVE_MS,
): Promise<LogStream> {
  const what = "follow the logs";
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
    if (received.kind === "message") return deliver(received.text, onLine);
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
      return end(new AkashProviderError(what, shownUrl, undefined, "the log stream was cut"));
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
        `the provider closed the log stream (code ${received.code}${received.reason ? `: ${received.reason}` : ""})`,
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

function deliver(text: string, onLine: (line: LogLine) => void): void {
  try {
    const line = JSON.parse(text) as LogLine;
    if (typeof line.message === "string") onLine(line);
  } catch {
    // A provider sends one JSON object per message; anything else is not a log line.
  }
}
