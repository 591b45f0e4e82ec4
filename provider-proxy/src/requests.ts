// What a client asks the proxy, checked as Console's schemas check it (apps/provider-proxy:
// routes/proxyProviderRequest.ts for HTTP, utils/schema.ts for WebSocket messages), with
// Console's messages, before any provider is contacted.
import { JwtTokenManager } from "@akashnetwork/chain-sdk/web";
import { clientCertificateProblem } from "./certificates.ts";
import type { ProviderAuth, ProviderTarget } from "./connections.ts";
import { isAkashAddress } from "./x509.ts";

export const METHODS = ["GET", "POST", "PUT", "DELETE"];

export interface ProxiedTarget extends ProviderTarget {
  network: string;
}

export interface ProxiedRequest extends ProxiedTarget {
  method: string;
  body?: string;
  timeout: number;
}

/** A request the proxy refuses before contacting the provider, with Console's reason. */
export class ProxyRequestInvalid extends Error {
  override name = "ProxyRequestInvalid";
  readonly tokenExpired: boolean;
  constructor(message: string, tokenExpired = false) {
    super(message);
    this.tokenExpired = tokenExpired;
  }
}

// Only decoding and claim checks are used, so no signer (as in Console's schema.ts).
const tokens = new JwtTokenManager({} as ConstructorParameters<typeof JwtTokenManager>[0]);

export function parseJsonObject(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new ProxyRequestInvalid("Message is not a JSON object");
}

/** POST / bodies. */
export function parseHttpRequest(
  json: Record<string, unknown>,
  networks: string[],
  defaultTimeoutMs: number,
): ProxiedRequest {
  if (!METHODS.includes(String(json.method)))
    throw new ProxyRequestInvalid(`method: expected one of ${METHODS.join(", ")}`);
  if (json.body !== undefined && typeof json.body !== "string")
    throw new ProxyRequestInvalid("body: expected a string");
  const timeout = Number(json.timeout ?? defaultTimeoutMs);
  return {
    ...parseTarget(json, networks),
    method: String(json.method),
    ...(json.body === undefined ? {} : { body: json.body as string }),
    timeout: Number.isFinite(timeout) && timeout > 0 ? timeout : defaultTimeoutMs,
  };
}

/** The fields every proxied request carries, checked as Console's providerRequestSchema does. */
export function parseTarget(json: Record<string, unknown>, networks: string[]): ProxiedTarget {
  const url = String(json.url ?? "");
  if (!URL.canParse(url)) throw new ProxyRequestInvalid("url: Invalid url");
  if (typeof json.network !== "string" || !json.network) throw new ProxyRequestInvalid("network: Required");
  if (!networks.includes(json.network))
    throw new ProxyRequestInvalid(
      `network: Invalid enum value. Expected ${networks.map((n) => `'${n}'`).join(" | ")}, received '${json.network}'`,
    );
  if (!isAkashAddress(String(json.providerAddress)))
    throw new ProxyRequestInvalid("providerAddress: is not bech32 address");
  return { url, network: json.network, providerAddress: String(json.providerAddress), auth: parseAuth(json.auth) };
}

/** Console's discriminated union on `type`, then its claim or attribute checks. */
function parseAuth(value: unknown): ProviderAuth | undefined {
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
