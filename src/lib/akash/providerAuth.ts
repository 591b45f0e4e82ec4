// Provider authentication from a static page: a page cannot present a TLS client certificate,
// so HEXS uses the providers' JWT scheme (AEP-63) by default: a short-lived token signed by the
// lease owner's wallet (ADR-36 `signArbitrary`), scoped to the actions the page needs. Providers
// that accept only certificates get one through a provider proxy (certificate.ts).
import { JwtTokenManager } from "@akashnetwork/chain-sdk/web";
import type { CosmosAccount } from "./wallet.ts";

const LIFETIME_S = 15 * 60;
const SCOPE = ["send-manifest", "status", "logs", "events"] as const;

export interface JwtSource {
  token(): Promise<string>;
}

/**
 * Tokens for `account`, cached until a minute before they expire (one wallet prompt each). Calls
 * made while a token is being signed wait for that one: the lease status poll, the log stream and
 * a manifest retry asking at once after expiry cost one prompt, not three.
 */
export function providerJwt(account: CosmosAccount, now: () => number = () => Date.now()): JwtSource {
  const manager = new JwtTokenManager({
    algorithm: "ES256KADR36",
    signArbitrary: (_signer, data) => account.signArbitrary(data),
  });
  let cached: { token: string; exp: number } | undefined;
  let signing: Promise<string> | undefined;
  const sign = async () => {
    const iat = Math.floor(now() / 1000);
    const exp = iat + LIFETIME_S;
    const token = await manager.generateToken({
      version: "v1",
      iss: account.address,
      iat,
      nbf: iat,
      exp,
      leases: { access: "scoped", scope: [...SCOPE] },
    });
    cached = { token, exp };
    return token;
  };
  return {
    token() {
      if (cached && cached.exp - 60 > Math.floor(now() / 1000)) return Promise.resolve(cached.token);
      // A refused prompt is not remembered: the next call asks again.
      signing ??= sign().finally(() => (signing = undefined));
      return signing;
    },
  };
}
