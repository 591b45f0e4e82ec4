// The stand-in provider's JWT check against the real provider's (gateway/utils/utils.go): current
// by its own clock with no skew allowed, signed by the issuer's key, scoped to the action.
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { describe, expect, it } from "vitest";
import { DevCosmosKey, DEV_MNEMONIC, STANDIN_CHAIN_ID } from "../../../src/lib/akash/devKey.ts";
import { providerJwt } from "../../../src/lib/akash/providerAuth.ts";
import { akashChainInfo, connectCosmosWallet } from "../../../src/lib/akash/wallet.ts";
import { JwtRejected, verifyLeaseJwt } from "./jwt.ts";

async function devAccount() {
  const info = akashChainInfo({ chainId: STANDIN_CHAIN_ID, chainName: "t", rpcUrl: "", restUrl: "" });
  const account = await connectCosmosWallet(new DevCosmosKey(), "dev key", info);
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(DEV_MNEMONIC, { prefix: "akash" });
  const [key] = await wallet.getAccounts();
  const pubkey = key!.pubkey;
  return { account, pubkeyOf: (address: string) => (address === account.address ? pubkey : undefined) };
}

describe("the stand-in provider's JWT check", () => {
  it("takes a current token for an action in its scope, from the issuer's key", async () => {
    const { account, pubkeyOf } = await devAccount();
    const signedAt = Math.floor(Date.now() / 1000);
    const token = await providerJwt(account, () => signedAt * 1000).token();
    await expect(verifyLeaseJwt(token, "logs", pubkeyOf, signedAt)).resolves.toBe(account.address);
    await expect(verifyLeaseJwt(token, "status", pubkeyOf, signedAt + 15 * 60 - 1)).resolves.toBe(account.address);
    await expect(verifyLeaseJwt(token, "logs", () => undefined, signedAt)).rejects.toThrow(/no public key on chain/);
  });

  it("refuses a token at its expiry, and one whose start is even a second ahead of its clock", async () => {
    const { account, pubkeyOf } = await devAccount();
    const signedAt = Math.floor(Date.now() / 1000);
    const token = await providerJwt(account, () => signedAt * 1000).token();
    await expect(verifyLeaseJwt(token, "logs", pubkeyOf, signedAt + 15 * 60)).rejects.toThrow(
      new JwtRejected("token expired"),
    );
    await expect(verifyLeaseJwt(token, "logs", pubkeyOf, signedAt - 1)).rejects.toThrow(
      new JwtRejected("token not valid yet"),
    );
  });
});
