// A STAND-IN for Akash Console's provider proxy (akash-network/console, apps/provider-proxy),
// served by the Akash stand-in under /provider-proxy. It speaks the same protocol as the real
// one so the dApp's proxy client is the one it would use against
// https://console-provider-proxy.akash.network:
//   POST /  {method, url, body?, network, providerAddress, timeout?, auth}
//           → the provider's answer; 503 "Provider <origin> is temporarily unavailable";
//           495 "Invalid certificate error: <reason>" for a provider certificate not on chain.
//   WS      {type:"websocket", url, network, providerAddress, auth} opens the provider socket;
//           {type:"ping"} → {type:"pong"}; a bad provider certificate closes it with 1008.
// `auth` is Console's: {type:"jwt", token} goes to the provider as `Authorization: Bearer`,
// {type:"mtls", certPem, keyPem} as the TLS client certificate, which a page cannot present
// itself. Like the real proxy it checks a token's claims (expiry included) and a certificate's
// attributes, but not the signature or whether the certificate is on chain: that is the
// provider's job. Over HTTPS it checks the provider's own certificate against the chain
// (proxyConnections.ts). It leaves out what only matters on a real network: retries, telemetry.
import { JwtTokenManager } from "@akashnetwork/chain-sdk/web";
import { WebSocket, type RawData } from "ws";
import { clientCertificateProblem } from "./proxyCertificates.ts";
import {
  openProviderSocket,
  requestProvider,
  type CertificateLookup,
  type ProviderAuth,
  type ProviderTarget,
} from "./proxyConnections.ts";
import type { RestReply } from "./rest.ts";

export const PROVIDER_PROXY_PATH = "/provider-proxy";

const DEFAULT_TIMEOUT_MS = 10_000;
const METHODS = ["GET", "POST", "PUT", "DELETE"];

interface ProxiedRequest extends ProviderTarget {
  network: string;
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

/** `certificate` looks a certificate up on chain (the proxy runs in the stand-in's process). */
export function providerProxyStandIn(chain: { certificate: CertificateLookup }) {
  const providerSockets = new Set<WebSocket>();

  return {
    /** POST /: forwards one HTTP request to the provider with the owner's credentials. */
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
      const answer = await requestProvider(request, chain.certificate);
      if (!answer.ok && answer.code === "invalidCertificate")
        return { status: 495, body: `Invalid certificate error: ${answer.reason}` };
      // Console hides a provider's internal errors behind the same answer as an unreachable one.
      if (!answer.ok || answer.status === 500) return unavailable(request.url);
      return { status: answer.status, body: answer.body };
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
          provider = openProviderSocket(target, send, chain.certificate);
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
  return { url, network: json.network, providerAddress: String(json.providerAddress), auth: checkAuth(json.auth) };
}

/** Console's discriminated union on `type`, then its claim or attribute checks. */
function checkAuth(value: unknown): ProviderAuth | undefined {
  if (value === undefined) return undefined;
  const auth = (value ?? {}) as Record<string, unknown>;
  if (auth.type === "jwt") {
    if (typeof auth.token !== "string") throw new ProxyRequestInvalid("auth.token: Required");
    checkToken(auth.token);
    return { type: "jwt", token: auth.token };
  }
  if (auth.type === "mtls") {
    if (typeof auth.certPem !== "string") throw new ProxyRequestInvalid("auth.certPem: Required");
    if (typeof auth.keyPem !== "string") throw new ProxyRequestInvalid("auth.keyPem: Required");
    const problem = clientCertificateProblem(auth.certPem);
    if (problem) throw new ProxyRequestInvalid(`auth.certPem: is not a valid certificate (${problem})`);
    return { type: "mtls", certPem: auth.certPem, keyPem: auth.keyPem };
  }
  throw new ProxyRequestInvalid("auth.type: Invalid discriminator value. Expected 'mtls' | 'jwt'");
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
