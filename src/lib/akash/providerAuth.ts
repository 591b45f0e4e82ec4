// Provider authentication from a static page: a page cannot present a TLS client certificate,
// so HEXS uses the providers' JWT scheme (AEP-63) by default: a short-lived token signed by the
// lease owner's wallet (ADR-36 `signArbitrary`), scoped to the actions the page needs. Providers
// that accept only certificates get one through a provider proxy (certificate.ts).
import { JwtTokenManager } from "@akashnetwork/chain-sdk/web";
import type { CosmosAccount } from "./wallet.ts";

const LIFETIME_S = 15 * 60;
const SCOPE = ["send-manifest", "status", "logs"] as const;

export interface JwtSource {
  token(): Promise<string>;
}

/** Tokens for `account`, cached until a minute before they expire (one wallet prompt each). */
export function providerJwt(account: CosmosAccount): JwtSource {
  const manager = new JwtTokenManager({
    algorithm: "ES256KADR36",
    signArbitrary: (_signer, data) => account.signArbitrary(data),
  });
  let cached: { token: string; exp: number } | undefined;
  return {
    async token() {
      const now = Math.floor(Date.now() / 1000);
      if (cached && cached.exp - 60 > now) return cached.token;
      const exp = now + LIFETIME_S;
      const token = await manager.generateToken({
        version: "v1",
        iss: account.address,
        iat: now,
        nbf: now,
        exp,
        leases: { access: "scoped", scope: [...SCOPE] },
      });
      cached = { token, exp };
      return token;
    },
  };
}
