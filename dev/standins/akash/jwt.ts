// Provider-side check of a lease owner's JWT (ES256KADR36): the signature must be the owner's
// ADR-36 signature of "<header>.<payload>" with the public key the chain knows for `iss`, the
// token must be current, and its scope must cover the action.
import { JwtValidator } from "@akashnetwork/chain-sdk/web";
import { Secp256k1, Secp256k1Signature, sha256 } from "@cosmjs/crypto";
import { fromBase64 } from "@cosmjs/encoding";
import { adr36SignBytes } from "../../../src/lib/akash/devKey.ts";

export type ProviderAction = "send-manifest" | "status" | "logs" | "events";

export class JwtRejected extends Error {}

const validator = new JwtValidator();

/** Returns the owner the token speaks for, or throws JwtRejected with the reason. */
export async function verifyLeaseJwt(
  token: string,
  action: ProviderAction,
  pubkeyOf: (address: string) => Uint8Array | undefined,
  now = Math.floor(Date.now() / 1000),
): Promise<string> {
  const parts = token.split(".");
  if (parts.length !== 3) throw new JwtRejected("malformed token");
  const [header, payload, signature] = parts as [string, string, string];
  const decode = (segment: string) =>
    JSON.parse(Buffer.from(segment, "base64url").toString("utf8")) as Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    if (decode(header).alg !== "ES256KADR36") throw new JwtRejected("unsupported alg");
    claims = decode(payload);
  } catch (error) {
    throw error instanceof JwtRejected ? error : new JwtRejected("malformed token");
  }
  const checked = validator.validateToken(claims as never);
  if (!checked.isValid) throw new JwtRejected(`invalid claims: ${checked.errors.join(", ")}`);
  const iss = String(claims.iss);
  if (Number(claims.exp) <= now) throw new JwtRejected("token expired");
  // No leeway, as the provider parses tokens (gateway/utils/utils.go passes only
  // jwt.WithValidMethods, and golang-jwt v5 allows no clock skew unless told to).
  if (Number(claims.nbf) > now) throw new JwtRejected("token not valid yet");
  const pubkey = pubkeyOf(iss);
  if (!pubkey) throw new JwtRejected(`no public key on chain for ${iss}`);
  const bytes = fromBase64(
    signature
      .replace(/-/g, "+")
      .replace(/_/g, "/")
      .padEnd(Math.ceil(signature.length / 4) * 4, "="),
  );
  if (bytes.length !== 64) throw new JwtRejected("malformed signature");
  const ok = await Secp256k1.verifySignature(
    Secp256k1Signature.fromFixedLength(bytes),
    sha256(adr36SignBytes(iss, `${header}.${payload}`)),
    pubkey,
  );
  if (!ok) throw new JwtRejected("signature does not match the issuer's key");
  const leases = claims.leases as { access?: string; scope?: string[] };
  if (leases.access !== "full" && !(leases.access === "scoped" && leases.scope?.includes(action))) {
    throw new JwtRejected(`token does not grant "${action}"`);
  }
  return iss;
}
