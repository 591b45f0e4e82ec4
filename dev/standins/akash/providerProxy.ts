// A STAND-IN for Akash Console's provider proxy (akash-network/console, apps/provider-proxy),
// served by the Akash stand-in under /provider-proxy. It speaks the same protocol as the real
// one so the dApp's proxy client is the one it would use against
// https://console-provider-proxy.akash.network:
//   POST /  {method, url, body?, network, providerAddress, timeout?, auth:{type:"jwt", token}}
//           → the provider's answer; 503 "Provider <origin> is temporarily unavailable".
//   WS      {type:"websocket", url, network, providerAddress, auth} opens the provider socket
//           with `Authorization: Bearer`; {type:"ping"} → {type:"pong"}.
// Like the real proxy it checks the token's claims (expiry included) but not its signature:
// that is the provider's job. It does not do what only matters on a real network: mTLS client
// certificates, provider certificate checks against the chain, retries, telemetry.
import { JwtTokenManager } from "@akashnetwork/chain-sdk/web";
import { WebSocket, type RawData } from "ws";
import type { RestReply } from "./rest.ts";

export const PROVIDER_PROXY_PATH = "/provider-proxy";

const DEFAULT_TIMEOUT_MS = 10_000;
const METHODS = ["GET", "POST", "PUT", "DELETE"];

interface ProxiedRequest {
  url: string;
  network: string;
  providerAddress: string;
  token: string | undefined;
}

/** A request the proxy refuses before contacting the provider, with Console's reason. */
class ProxyRequestInvalid extends Error {
  readonly tokenExpired: boolean;
  constructor(message: string, tokenExpired = false) {
    super(message);
    this.tokenExpired = tokenExpired;
  }
}

// Only decoding and claim checks are used, so no signer (as in Console's schema.ts).
const tokens = new JwtTokenManager({} as ConstructorParameters<typeof JwtTokenManager>[0]);

export function providerProxyStandIn() {
  const providerSockets = new Set<WebSocket>();

  return {
    /** POST /: forwards one HTTP request to the provider with the owner's JWT as a Bearer header. */
    async handle(method: string, body: string): Promise<RestReply> {
      if (method !== "POST") return { status: 404, body: { message: "the provider proxy answers POST / only" } };
      let request: ProxiedRequest & { method: string; body?: string; timeout: number };
      try {
        const json = parseJson(body);
        if (!METHODS.includes(String(json.method)))
          throw new ProxyRequestInvalid(`method: expected one of ${METHODS.join(", ")}`);
        if (json.body !== undefined && typeof json.body !== "string")
          throw new ProxyRequestInvalid("body: expected a string");
        request = {
          ...checkTarget(json),
          method: String(json.method),
          ...(json.body === undefined ? {} : { body: json.body as string }),
          timeout: Number(json.timeout ?? DEFAULT_TIMEOUT_MS) || DEFAULT_TIMEOUT_MS,
        };
      } catch (error) {
        if (error instanceof ProxyRequestInvalid) return { status: 400, body: { message: error.message } };
        throw error;
      }
      let response: Response;
      try {
        response = await fetch(request.url, {
          method: request.method,
          headers: {
            "content-type": "application/json",
            ...(request.token ? { authorization: `Bearer ${request.token}` } : {}),
          },
          ...(request.body !== undefined && request.method !== "GET" ? { body: request.body } : {}),
          signal: AbortSignal.timeout(request.timeout),
        });
      } catch {
        return unavailable(request.url);
      }
      // Console hides a provider's internal errors behind the same answer as an unreachable one.
      if (response.status === 500) return unavailable(request.url);
      return { status: response.status, body: await response.text() };
    },

    /** A client WebSocket: each "websocket" message opens (or reuses) its provider socket. */
    connect(client: WebSocket): void {
      let provider: WebSocket | undefined;
      const send = (message: object) => client.readyState === WebSocket.OPEN && client.send(JSON.stringify(message));
      client.on("message", (data: RawData) => {
        let message: Record<string, unknown>;
        let target: ProxiedRequest;
        try {
          message = parseJson(data.toString());
          if (message.type === "ping") return send({ type: "pong" });
          if (message.type !== "websocket") throw new ProxyRequestInvalid('type: expected "ping" or "websocket"');
          target = checkTarget(message);
        } catch (error) {
          if (!(error instanceof ProxyRequestInvalid)) throw error;
          if (error.tokenExpired) return send({ type: "websocket", error: "tokenExpired" });
          return send({ type: "websocket", message: error.message, error: "Invalid message format" });
        }
        const url = target.url.replace(/^http/, "ws");
        if (!provider || provider.url !== url || provider.readyState >= WebSocket.CLOSING) {
          provider?.terminate();
          provider = openProviderSocket(url, target.token, send);
          providerSockets.add(provider);
          provider.on("close", () => providerSockets.delete(provider!));
        }
        if (typeof message.data === "string" && message.data) {
          const bytes = Buffer.from(message.data.split(",").map(Number));
          const opened = provider;
          if (opened.readyState === WebSocket.OPEN) opened.send(bytes);
          else opened.once("open", () => opened.send(bytes));
        }
      });
      client.on("close", () => provider?.terminate());
    },

    closeAll(): void {
      for (const socket of providerSockets) socket.terminate();
    },
  };
}

function openProviderSocket(url: string, token: string | undefined, send: (message: object) => void): WebSocket {
  const provider = new WebSocket(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  // Relayed as received: a Buffer, which JSON turns into {type:"Buffer", data:[…]}, as Console does.
  provider.on("message", (data: RawData) => {
    if ((data as Buffer).length === 0) return;
    send({ type: "websocket", message: data });
  });
  provider.on("error", (error) =>
    send({ type: "websocket", message: error.message, error: "Received error from provider websocket" }),
  );
  provider.on("close", (code, reason) => send({ type: "websocket", message: "", closed: true, code, reason }));
  return provider;
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === "object") return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new ProxyRequestInvalid("Message is not a JSON object");
}

/** The fields every proxied request carries, checked as Console's providerRequestSchema does. */
function checkTarget(json: Record<string, unknown>): ProxiedRequest {
  const url = String(json.url ?? "");
  if (!URL.canParse(url)) throw new ProxyRequestInvalid("url: Invalid url");
  if (typeof json.network !== "string" || !json.network) throw new ProxyRequestInvalid("network: Required");
  if (!/^akash1[02-9ac-hj-np-z]{38}$/.test(String(json.providerAddress)))
    throw new ProxyRequestInvalid("providerAddress: is not bech32 address");
  const auth = json.auth as { type?: unknown; token?: unknown } | undefined;
  if (auth !== undefined && (auth.type !== "jwt" || typeof auth.token !== "string"))
    throw new ProxyRequestInvalid('auth: this stand-in accepts only {type:"jwt", token} (no mTLS)');
  if (auth) checkToken(auth.token as string);
  return {
    url,
    network: json.network,
    providerAddress: String(json.providerAddress),
    token: auth?.token as string | undefined,
  };
}

function checkToken(token: string): void {
  let errors: string[] | undefined;
  try {
    errors = tokens.validatePayload(tokens.decodeToken(token)).errors;
  } catch {
    errors = ["Invalid token"];
  }
  if (!errors?.length) return;
  throw new ProxyRequestInvalid(
    `auth.token: is not a valid JWT token (${errors.join(", ")})`,
    errors.includes("Token has expired"),
  );
}

function unavailable(url: string): RestReply {
  return { status: 503, body: `Provider ${new URL(url).origin} is temporarily unavailable` };
}
