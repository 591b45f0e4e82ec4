import { describe, expect, it } from "vitest";
import { Secp256k1, Secp256k1Signature, sha256 } from "@cosmjs/crypto";
import { fromBase64 } from "@cosmjs/encoding";
import { adr36SignBytes, DevCosmosKey, STANDIN_CHAIN_ID } from "./devKey.ts";
import { CosmosWalletRejectedError } from "./errors.ts";
import { akashChainInfo, connectCosmosWallet, type AkashChainInfo, type KeplrLike } from "./wallet.ts";

const info = (chainId: string, chainName = "test") =>
  akashChainInfo({ chainId, chainName, rpcUrl: "http://127.0.0.1:1", restUrl: "http://127.0.0.1:1" });

/**
 * The dev key behind Keplr's answers: "There is no chain info for …" until the chain is suggested,
 * and "Request rejected" for whatever the user declines. Records the requests in order.
 */
class ScriptedKeplr implements KeplrLike {
  readonly calls: string[] = [];
  readonly #key = new DevCosmosKey();
  readonly declines: ReadonlySet<"enable" | "suggest" | "sign">;
  #known = false;
  constructor(declines: ReadonlySet<"enable" | "suggest" | "sign">) {
    this.declines = declines;
  }

  async enable(chainId: string) {
    this.calls.push("enable");
    if (!this.#known) throw new Error(`There is no chain info for ${chainId}`);
    if (this.declines.has("enable")) throw new Error("Request rejected");
  }
  async experimentalSuggestChain(chainInfo: AkashChainInfo) {
    this.calls.push(`suggest ${chainInfo.chainId}`);
    if (this.declines.has("suggest")) throw new Error("Request rejected");
    this.#known = true;
  }
  ledger = false;
  async getKey(chainId: string) {
    return { ...(await this.#key.getKey(chainId)), isNanoLedger: this.ledger };
  }
  getOfflineSigner(chainId: string) {
    const signer = this.#key.getOfflineSigner(chainId);
    return {
      getAccounts: () => signer.getAccounts(),
      signDirect: async (...args: Parameters<typeof signer.signDirect>) => {
        if (this.declines.has("sign")) throw new Error("Request rejected");
        return signer.signDirect(...args);
      },
    };
  }
  signArbitrary(chainId: string, signer: string, data: string | Uint8Array) {
    return this.#key.signArbitrary(chainId, signer, data);
  }
  know(): this {
    this.#known = true;
    return this;
  }
}

describe("connecting a Keplr-like wallet", () => {
  it("suggests the chain the wallet does not know, then enables it", async () => {
    const keplr = new ScriptedKeplr(new Set());
    const account = await connectCosmosWallet(keplr, "Keplr", info(STANDIN_CHAIN_ID));
    expect(keplr.calls).toEqual(["enable", `suggest ${STANDIN_CHAIN_ID}`, "enable"]);
    expect(account).toMatchObject({ chainId: STANDIN_CHAIN_ID, walletName: "Keplr" });
  });

  it("names the wallet and the chain when the user declines adding it", async () => {
    const connecting = connectCosmosWallet(
      new ScriptedKeplr(new Set(["suggest"])),
      "Keplr",
      info(STANDIN_CHAIN_ID, "Akash"),
    );
    await expect(connecting).rejects.toBeInstanceOf(CosmosWalletRejectedError);
    await expect(connecting).rejects.toMatchObject({
      shortMessage: `Adding the chain ${STANDIN_CHAIN_ID} was rejected in Keplr`,
    });
  });

  it("does not suggest a known chain again when the user declines connecting", async () => {
    const keplr = new ScriptedKeplr(new Set(["enable"])).know();
    await expect(connectCosmosWallet(keplr, "Keplr", info(STANDIN_CHAIN_ID))).rejects.toMatchObject({
      shortMessage: `Connecting to chain ${STANDIN_CHAIN_ID} was rejected in Keplr`,
    });
    expect(keplr.calls).toEqual(["enable"]);
  });

  it("refuses a Ledger key, which Keplr cannot let sign in direct mode, before any transaction", async () => {
    const keplr = new ScriptedKeplr(new Set()).know();
    keplr.ledger = true;
    await expect(connectCosmosWallet(keplr, "Keplr", info(STANDIN_CHAIN_ID))).rejects.toMatchObject({
      name: "CosmosWalletError",
      shortMessage: 'The Keplr account "HEXS dev key" is a Ledger key',
    });
  });

  it("turns a declined signature into a CosmosWalletRejectedError naming the wallet", async () => {
    const account = await connectCosmosWallet(
      new ScriptedKeplr(new Set(["sign"])).know(),
      "Keplr",
      info(STANDIN_CHAIN_ID),
    );
    const signing = account.signer.signDirect(account.address, {
      bodyBytes: new Uint8Array(),
      authInfoBytes: new Uint8Array(),
      chainId: STANDIN_CHAIN_ID,
      accountNumber: 0n,
    });
    await expect(signing).rejects.toMatchObject({ shortMessage: "The transaction was rejected in Keplr" });
  });
});

describe("the chain description Keplr is given", () => {
  it("keeps a chain name within Keplr's 30 characters, falling back to the chain id", () => {
    expect(info("akashnet-2", "Akash (akashnet-2)").chainName).toBe("Akash (akashnet-2)");
    const long = "a-chain-id-of-twenty-eight-c";
    expect(info(long, `Akash (${long})`).chainName).toBe(long);
  });
});

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
    await expect(connectCosmosWallet(new DevCosmosKey(), "dev key", info("akashnet-2"))).rejects.toMatchObject({
      name: "CosmosWalletError",
      shortMessage: "The dev key works only on the local stand-in chain, not akashnet-2",
    });
  });
});
