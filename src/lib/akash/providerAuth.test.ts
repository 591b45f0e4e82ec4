import { describe, expect, it } from "vitest";
import { DevCosmosKey, STANDIN_CHAIN_ID } from "./devKey.ts";
import { providerJwt } from "./providerAuth.ts";
import { akashChainInfo, connectCosmosWallet } from "./wallet.ts";

/** The dev key as a connected account whose every ADR-36 signature (a wallet prompt) is counted. */
async function countingAccount() {
  const key = new DevCosmosKey();
  const info = akashChainInfo({ chainId: STANDIN_CHAIN_ID, chainName: "t", rpcUrl: "", restUrl: "" });
  const account = await connectCosmosWallet(key, "dev key", info);
  let prompts = 0;
  let refuse = false;
  return {
    account: {
      ...account,
      async signArbitrary(data: string | Uint8Array) {
        prompts++;
        if (refuse) throw new Error("Request rejected");
        return account.signArbitrary(data);
      },
    },
    prompts: () => prompts,
    refuseNext: (value: boolean) => (refuse = value),
  };
}

describe("provider JWTs", () => {
  it("asks the wallet once for concurrent calls, again only once the token nears its expiry", async () => {
    const wallet = await countingAccount();
    // The clock starts 14.5 minutes back, so that both tokens are valid by the signer's real clock.
    let now = Date.now() - 870_000;
    const jwt = providerJwt(wallet.account, () => now);
    const [a, b, c] = await Promise.all([jwt.token(), jwt.token(), jwt.token()]);
    expect(new Set([a, b, c]).size).toBe(1);
    expect(wallet.prompts()).toBe(1);
    now += 13 * 60_000;
    expect(await jwt.token()).toBe(a);
    // 15 minutes' lifetime, renewed in its last minute: three polls after that, one prompt.
    now += 85_000;
    const renewed = await Promise.all([jwt.token(), jwt.token(), jwt.token()]);
    expect(new Set(renewed).size).toBe(1);
    expect(renewed[0]).not.toBe(a);
    expect(wallet.prompts()).toBe(2);
  });

  it("does not remember a refused prompt: the next call asks again", async () => {
    const wallet = await countingAccount();
    const jwt = providerJwt(wallet.account);
    wallet.refuseNext(true);
    await expect(Promise.all([jwt.token(), jwt.token()])).rejects.toThrow("Request rejected");
    expect(wallet.prompts()).toBe(1);
    wallet.refuseNext(false);
    await expect(jwt.token()).resolves.toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(wallet.prompts()).toBe(2);
  });
});
