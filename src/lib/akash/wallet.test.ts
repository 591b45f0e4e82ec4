import { describe, expect, it } from "vitest";
import { Secp256k1, Secp256k1Signature, sha256 } from "@cosmjs/crypto";
import { fromBase64 } from "@cosmjs/encoding";
import { adr36SignBytes, DevCosmosKey, STANDIN_CHAIN_ID } from "./devKey.ts";
import { CosmosWalletError } from "./errors.ts";
import { akashChainInfo, connectCosmosWallet } from "./wallet.ts";

const info = (chainId: string) =>
  akashChainInfo({ chainId, chainName: "test", rpcUrl: "http://127.0.0.1:1", restUrl: "http://127.0.0.1:1" });

describe("the dev Cosmos key", () => {
  it("connects on the stand-in chain and signs ADR-36 data verifiably, as Keplr's signArbitrary does", async () => {
    const account = await connectCosmosWallet(new DevCosmosKey(), "dev key", info(STANDIN_CHAIN_ID));
    expect(account.address).toMatch(/^akash1[0-9a-z]{38}$/);
    const { pub_key, signature } = await account.signArbitrary("header.payload");
    const valid = await Secp256k1.verifySignature(
      Secp256k1Signature.fromFixedLength(fromBase64(signature)),
      sha256(adr36SignBytes(account.address, "header.payload")),
      fromBase64(pub_key.value),
    );
    expect(valid).toBe(true);
  });

  it("refuses any other chain, even when the chain is suggested", async () => {
    await expect(connectCosmosWallet(new DevCosmosKey(), "dev key", info("akashnet-2"))).rejects.toBeInstanceOf(
      CosmosWalletError,
    );
  });
});
