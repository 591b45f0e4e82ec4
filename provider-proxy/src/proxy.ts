// The provider proxy: Akash Console's protocol (apps/provider-proxy), for pages on the origins it
// allows.
//   POST /  {method, url, body?, network, providerAddress, timeout?, auth}
//           → the provider's answer; 400 a refused request; 403 an origin not allowed or a URL
//           not on the provider's registered host; 495 "Invalid certificate error: <reason>";
//           503 "Provider <origin> is temporarily unavailable".
//   GET /status → {"status":"ok", networks}
//   GET /providers/{address}/uptime → the provider's uptime from the indexer (indexer.ts), when
//           one is configured; 404 otherwise.
//   WS      {type:"websocket", url, network, providerAddress, auth, data?} opens (or reuses) the
//           provider socket; {type:"ping"} → {type:"pong"}. An upgrade from an origin not
//           allowed is refused with 403: CORS does not cover WebSockets, so the origin is
//           checked here.
// `auth` is Console's: {type:"jwt", token} goes to the provider as `Authorization: Bearer`,
// {type:"mtls", certPem, keyPem} as the TLS client certificate, which a page cannot present.
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import type { ProviderChain } from "./chain.ts";
import type { providerIndexer } from "./indexer.ts";
import { openProviderSocket, requestProvider, type ConnectionContext } from "./connections.ts";
import { providerUrlProblem, type NetworkPolicy } from "./network.ts";
import { parseHttpRequest, parseJsonObject, parseTarget, ProxyRequestInvalid, type ProxiedTarget } from "./requests.ts";

export interface ProviderProxyOptions {
  /** Console's network names ("mainnet", "sandbox", …) and the chain each names. */
  networks: Record<string, ProviderChain>;
  /** Origins whose pages may use the proxy: exact origins, `https://*.example.com`, or `*`. */
  allowedOrigins: readonly string[];
  policy: NetworkPolicy;
  /** Milliseconds a provider has to answer an HTTP request that names no timeout. */
  defaultTimeoutMs: number;
  /** Where providers' uptime comes from (Console's indexer API), if anywhere. */
  indexer?: ReturnType<typeof providerIndexer>;
  /** One structured event per proxied request or socket (never a credential). */
  log?: (event: Record<string, unknown>) => void;
}

const MAX_BODY_BYTES = 1 << 20;

/** Whether a page from `origin` may use the proxy; a request without one is not from a page. */
export function originAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  return allowed.some((entry) => {
    if (entry === "*" || entry === origin) return true;
    const wildcard = /^(https?:\/\/)\*\.(.+)$/.exec(entry);
    return !!wildcard && origin.startsWith(wildcard[1]!) && origin.endsWith(`.${wildcard[2]}`);
  });
}

export function createProviderProxy(options: ProviderProxyOptions) {
  const networks = Object.keys(options.networks);
  const log = options.log ?? (() => {});
  const sockets = new WebSocketServer({ noServer: true });
  const providerSockets = new Set<WebSocket>();

  const corsHeaders = (origin: string | undefined): Record<string, string> =>
    origin === undefined
      ? {}
      : {
          "access-control-allow-origin": origin,
          "access-control-allow-methods": "GET, POST, OPTIONS",
          "access-control-allow-headers": "content-type",
          "access-control-max-age": "60",
          vary: "origin",
        };

  function contextFor(network: string): ConnectionContext {
    return { published: options.networks[network]!.publishedCertificate, policy: options.policy };
  }

  /** Why the proxy will not go to the target, as [status, message], or undefined. */
  async function targetRefusal(target: ProxiedTarget): Promise<[number, string] | undefined> {
    const problem = providerUrlProblem(new URL(target.url), options.policy);
    if (problem) return [400, problem];
    const host = await options.networks[target.network]!.isRegisteredHost(target.url, target.providerAddress);
    if (!host.ok)
      return [
        403,
        `url: ${new URL(target.url).origin} is not the host ${target.providerAddress} registered on chain (${host.registered})`,
      ];
    return undefined;
  }

  async function proxyRequest(body: string): Promise<{ status: number; body: string; contentType: string }> {
    const text = (status: number, message: string) => ({
      status,
      body: message,
      contentType: "text/plain; charset=utf-8",
    });
    let request;
    try {
      request = parseHttpRequest(parseJsonObject(body), networks, options.defaultTimeoutMs);
    } catch (error) {
      if (error instanceof ProxyRequestInvalid) return text(400, error.message);
      throw error;
    }
    const refusal = await targetRefusal(request);
    if (refusal) return text(...refusal);
    const started = performance.now();
    const answer = await requestProvider(request, contextFor(request.network));
    log({
      event: "proxied",
      method: request.method,
      host: new URL(request.url).host,
      provider: request.providerAddress,
      status: answer.ok ? answer.status : answer.code,
      ms: Math.round(performance.now() - started),
    });
    if (!answer.ok && answer.code === "invalidCertificate")
      return text(495, `Invalid certificate error: ${answer.reason}`);
    if (!answer.ok && answer.code === "chainUnavailable")
      return text(503, `Cannot check the provider's certificate: the chain did not answer (${answer.message})`);
    // Console hides a provider's internal errors behind the same answer as an unreachable one.
    if (!answer.ok || answer.status === 500)
      return text(503, `Provider ${new URL(request.url).origin} is temporarily unavailable`);
    return { status: answer.status, body: answer.body, contentType: answer.contentType ?? "application/json" };
  }

  function connect(client: WebSocket): void {
    let provider: WebSocket | undefined;
    let providerUrl: string | undefined;
    const send = (message: object): void => {
      if (client.readyState === WebSocket.OPEN) client.send(JSON.stringify(message));
    };
    const invalid = (message: string) => send({ type: "websocket", message, error: "Invalid message format" });
    // One message at a time, in order: a socket's opening message must be handled before its data.
    let queue = Promise.resolve();
    client.on("message", (data: RawData) => {
      const text = data.toString();
      queue = queue.then(() => onMessage(text)).catch((error: unknown) => invalid(String(error)));
    });
    async function onMessage(text: string): Promise<void> {
      let message: Record<string, unknown>;
      let target: ProxiedTarget;
      try {
        message = parseJsonObject(text);
        if (message.type === "ping") return void send({ type: "pong" });
        if (message.type !== "websocket") throw new ProxyRequestInvalid('type: expected "ping" or "websocket"');
        target = parseTarget(message, networks);
      } catch (error) {
        if (!(error instanceof ProxyRequestInvalid)) throw error;
        if (error.tokenExpired) return void send({ type: "websocket", error: "tokenExpired" });
        return invalid(error.message);
      }
      const refusal = await targetRefusal(target);
      if (refusal) return invalid(refusal[1]);
      const url = target.url.replace(/^http/, "ws");
      if (!provider || providerUrl !== url || provider.readyState >= WebSocket.CLOSING) {
        provider?.terminate();
        const opened = openProviderSocket(target, send, contextFor(target.network));
        [provider, providerUrl] = [opened, url];
        providerSockets.add(opened);
        log({ event: "socket", host: new URL(url).host, provider: target.providerAddress });
        opened.on("close", () => providerSockets.delete(opened));
      }
      if (typeof message.data === "string" && message.data) {
        const bytes = Buffer.from(message.data.split(",").map(Number));
        const opened = provider;
        if (opened.readyState === WebSocket.OPEN) opened.send(bytes);
        else opened.once("open", () => opened.send(bytes));
      }
    }
    client.on("close", () => provider?.terminate());
  }

  return {
    /** An HTTP request whose path (below wherever the proxy is mounted) is `path`. */
    async handleRequest(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
      const origin = req.headers.origin;
      const answer = (status: number, body: string, contentType = "text/plain; charset=utf-8") =>
        void res.writeHead(status, { ...corsHeaders(origin), "content-type": contentType }).end(body);
      if (!originAllowed(origin, options.allowedOrigins)) {
        // No CORS headers: the page cannot read this, but a person reading the network tab can.
        res.writeHead(403, { "content-type": "text/plain; charset=utf-8" });
        return void res.end(`origin ${origin} is not allowed by this provider proxy (see its --allowed-origins)`);
      }
      if (req.method === "OPTIONS") return void res.writeHead(204, corsHeaders(origin)).end();
      if (req.method === "GET" && path === "/status")
        return answer(200, JSON.stringify({ status: "ok", networks }), "application/json");
      const uptime = /^\/providers\/([^/]+)\/uptime$/.exec(path);
      if (req.method === "GET" && uptime) {
        if (!options.indexer) return answer(404, "this provider proxy has no indexer to read uptime from");
        const found = await options.indexer.uptime(uptime[1]!);
        return found.status === 200
          ? answer(200, JSON.stringify(found.uptime), "application/json")
          : answer(found.status, found.message);
      }
      if (req.method !== "POST" || (path !== "/" && path !== ""))
        return answer(404, "the provider proxy answers POST /, GET /status and GET /providers/{address}/uptime");
      let body: string;
      try {
        body = await readBody(req);
      } catch (error) {
        return answer(413, error instanceof Error ? error.message : String(error));
      }
      const result = await proxyRequest(body);
      answer(result.status, result.body, result.contentType);
    },

    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      const origin = req.headers.origin;
      if (!originAllowed(origin, options.allowedOrigins)) {
        const body = `origin ${origin} is not allowed by this provider proxy`;
        return void socket.end(
          `HTTP/1.1 403 ${STATUS_CODES[403]}\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
        );
      }
      sockets.handleUpgrade(req, socket, head, connect);
    },

    close(): void {
      for (const socket of providerSockets) socket.terminate();
      for (const client of sockets.clients) client.terminate();
    },
  };
}

export type ProviderProxy = ReturnType<typeof createProviderProxy>;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () =>
      size > MAX_BODY_BYTES
        ? reject(new Error(`request body over ${MAX_BODY_BYTES} bytes`))
        : resolve(Buffer.concat(chunks).toString("utf8")),
    );
    req.on("error", reject);
  });
}
