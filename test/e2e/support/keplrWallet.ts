// The Keplr test wallet: what Keplr's background does, in the test process. It holds a fresh
// secp256k1 key the page never sees, knows no chain until one is suggested (and passes Keplr's
// checks), asks "the user" (`approve`) where Keplr would open a prompt, sets the fee as Keplr's
// sign page does, and signs with CosmJS. The page half is keplrPage.ts.
import type { Page } from "@playwright/test";
import { encodeSecp256k1Pubkey, pubkeyToAddress, Secp256k1Wallet, type StdSignDoc } from "@cosmjs/amino";
import { Random, Secp256k1, sha256 } from "@cosmjs/crypto";
import { fromBase64, fromBech32, toBase64 } from "@cosmjs/encoding";
import { DirectSecp256k1Wallet, makeSignDoc } from "@cosmjs/proto-signing";
import { AuthInfo, TxBody } from "@akashnetwork/chain-sdk/private-types/cosmos.v1beta1";
import { adr36SignBytes } from "../../../src/lib/akash/devKey.ts";
import { keplrChainInfoError, type KeplrChainInfo } from "./keplrChainInfo.ts";
import { injectKeplr, type KeplrReply } from "./keplrPage.ts";

/** A request Keplr shows the user a prompt for. */
export type KeplrPrompt =
  | { kind: "suggestChain"; chainInfo: KeplrChainInfo }
  | { kind: "enable"; chainIds: string[] }
  | { kind: "signDirect"; chainId: string; typeUrls: string[] }
  | { kind: "signAmino"; chainId: string }
  | { kind: "signArbitrary"; chainId: string; data: string };

/** A transaction the wallet signed: its messages and the fee it set. */
export interface SignedTx {
  typeUrls: string[];
  fee: bigint;
}

/** Keplr's messages, word for word: dApps (and HEXS) read them. */
const REJECTED = "Request rejected";
const unknownChain = (chainId: string) => `There is no chain info for ${chainId}`;

class KeplrFailure extends Error {}

export class KeplrTestWallet {
  #privkey: Uint8Array;
  #pubkey: Uint8Array;
  #page: Page | undefined;
  readonly #chains = new Map<string, KeplrChainInfo>();
  readonly #enabled = new Set<string>();
  /** Every call the page made on `window.keplr` that reached the wallet, by method, in order. */
  readonly requests: string[] = [];
  /** Every prompt Keplr would have shown, in order, with the user's answer. */
  readonly prompts: (KeplrPrompt & { approved: boolean })[] = [];
  readonly signedTxs: SignedTx[] = [];
  /** The user's answer to a prompt; approves everything unless a test says otherwise. */
  approve: (prompt: KeplrPrompt) => boolean = () => true;
  /** The key lives on a Ledger: Keplr's sign page then cannot approve a direct-mode transaction. */
  ledger = false;
  /** The fee the user leaves selected on Keplr's sign page. */
  feeTier: "low" | "average" | "high" = "average";
  /** How long the user takes to answer a sign prompt (a real one takes seconds; 0: at once). */
  answerDelayMs = 0;

  private constructor(privkey: Uint8Array, pubkey: Uint8Array) {
    this.#privkey = privkey;
    this.#pubkey = pubkey;
  }

  static async create(): Promise<KeplrTestWallet> {
    return new KeplrTestWallet(...(await freshKey()));
  }

  /** The user selects another key in Keplr: Keplr tells the page with a `keplr_keystorechange` event. */
  async switchKey(): Promise<void> {
    [this.#privkey, this.#pubkey] = await freshKey();
    await this.#page?.evaluate(() => window.dispatchEvent(new Event("keplr_keystorechange")));
  }

  /** The account's address with `prefix` (Keplr derives it with the chain's bech32 prefix). */
  address(prefix = "akash"): string {
    return pubkeyToAddress(encodeSecp256k1Pubkey(this.#pubkey), prefix);
  }

  /** Chains added to this wallet, as a user's Keplr would list them. */
  knows(chainId: string): boolean {
    return this.#chains.has(chainId);
  }

  /**
   * Puts `window.keplr` in every page `page` opens: before the page's scripts run (Keplr on
   * Chromium), or with `late`, only as the document completes (the latest Keplr's docs allow,
   * as it can on Firefox).
   */
  async install(page: Page, { late = false } = {}): Promise<void> {
    this.#page = page;
    await page.exposeFunction("__hexsKeplrRequest", (method: string, args: unknown[]) => this.#reply(method, args));
    if (late) {
      await page.addInitScript(
        `document.addEventListener("readystatechange", () => document.readyState === "complete" && (${injectKeplr.toString()})());`,
      );
    } else {
      await page.addInitScript(injectKeplr);
    }
  }

  async #reply(method: string, args: unknown[]): Promise<KeplrReply> {
    this.requests.push(method);
    try {
      return { result: await this.#handle(method, args) };
    } catch (error) {
      if (!(error instanceof KeplrFailure)) console.error("Keplr test wallet:", error);
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }

  async #handle(method: string, args: unknown[]): Promise<unknown> {
    switch (method) {
      case "enable":
        return this.#enable(args[0] as string[]);
      case "experimentalSuggestChain":
        return this.#suggest(args[0] as KeplrChainInfo);
      case "getKey":
        return this.#key(args[0] as string);
      case "signDirect":
        return this.#signDirect(...(args as [string, string, WireSignDoc]));
      case "signAmino":
        return this.#signAmino(...(args as [string, string, StdSignDoc]));
      case "signArbitrary":
        return this.#signArbitrary(...(args as [string, string, { text: string } | { base64: string }]));
      default:
        throw new KeplrFailure(`Unknown msg type: ${method}`);
    }
  }

  #ask(prompt: KeplrPrompt): void {
    const approved = this.approve(prompt);
    this.prompts.push({ ...prompt, approved });
    if (!approved) throw new KeplrFailure(REJECTED);
  }

  #chain(chainId: string): KeplrChainInfo {
    const info = this.#chains.get(chainId);
    if (!info) throw new KeplrFailure(unknownChain(chainId));
    return info;
  }

  /** Every chain must be known; the user approves those this page has no access to yet, in one prompt. */
  async #enable(chainIds: string[]): Promise<void> {
    for (const chainId of chainIds) this.#chain(chainId);
    const asked = chainIds.filter((chainId) => !this.#enabled.has(chainId));
    if (asked.length === 0) return;
    this.#ask({ kind: "enable", chainIds: asked });
    for (const chainId of asked) this.#enabled.add(chainId);
  }

  /** Validated before the prompt; an added chain is also enabled for the page, as Keplr grants it. */
  async #suggest(chainInfo: KeplrChainInfo): Promise<void> {
    if (this.#chains.has(chainInfo.chainId)) return;
    const problem = keplrChainInfoError(chainInfo);
    if (problem) throw new KeplrFailure(problem);
    this.#ask({ kind: "suggestChain", chainInfo });
    this.#chains.set(chainInfo.chainId, chainInfo);
    this.#enabled.add(chainInfo.chainId);
  }

  async #key(chainId: string) {
    await this.#enable([chainId]);
    const bech32Address = this.address(this.#chain(chainId).bech32Config.bech32PrefixAccAddr);
    return {
      name: "HEXS Keplr test key",
      algo: "secp256k1",
      pubKey: toBase64(this.#pubkey),
      address: toBase64(fromBech32(bech32Address).data),
      bech32Address,
      isNanoLedger: this.ledger,
      isKeystone: false,
    };
  }

  async #signer(chainId: string, signer: string): Promise<string> {
    const { bech32Address } = await this.#key(chainId);
    if (signer !== bech32Address) throw new KeplrFailure("Signer mismatched");
    return this.#chain(chainId).bech32Config.bech32PrefixAccAddr;
  }

  async #signDirect(chainId: string, signer: string, doc: WireSignDoc) {
    const prefix = await this.#signer(chainId, signer);
    if (doc.chainId !== chainId) throw new KeplrFailure("Chain id unmatched");
    const bodyBytes = fromBase64(doc.bodyBytes);
    const typeUrls = TxBody.decode(bodyBytes).messages.map((message) => message.typeUrl);
    // For a Ledger key Keplr greys out Approve on a direct-mode request: the user can only reject.
    if (this.ledger) {
      this.prompts.push({ kind: "signDirect", chainId, typeUrls, approved: false });
      throw new KeplrFailure(REJECTED);
    }
    this.#ask({ kind: "signDirect", chainId, typeUrls });
    const { authInfoBytes, fee } = this.#withFee(chainId, fromBase64(doc.authInfoBytes));
    const wallet = await DirectSecp256k1Wallet.fromKey(this.#privkey, prefix);
    const { signed, signature } = await wallet.signDirect(
      signer,
      makeSignDoc(bodyBytes, authInfoBytes, chainId, Number(doc.accountNumber)),
    );
    this.signedTxs.push({ typeUrls, fee });
    return {
      signed: {
        bodyBytes: toBase64(signed.bodyBytes),
        authInfoBytes: toBase64(signed.authInfoBytes),
        chainId: signed.chainId,
        accountNumber: signed.accountNumber.toString(),
      },
      signature,
    };
  }

  /**
   * Keplr's sign page replaces the fee with gas × the chosen gas price step of the chain's fee
   * currency (rounded up), unless the page asked for `preferNoSetFee`, which HEXS does not.
   */
  #withFee(chainId: string, authInfoBytes: Uint8Array): { authInfoBytes: Uint8Array; fee: bigint } {
    const authInfo = AuthInfo.decode(authInfoBytes);
    const feeCurrency = this.#chain(chainId).feeCurrencies[0]!;
    const step = feeCurrency.gasPriceStep ?? { low: 0.01, average: 0.025, high: 0.04 };
    const gas = BigInt(String(authInfo.fee?.gasLimit ?? 0));
    // Gas prices have at most a few decimals: scale to integers so the rounding is exact.
    const scale = 1_000_000n;
    const price = BigInt(Math.round(step[this.feeTier] * Number(scale)));
    const fee = (gas * price + scale - 1n) / scale;
    const next = AuthInfo.fromPartial({
      ...authInfo,
      fee: { ...authInfo.fee, amount: [{ denom: feeCurrency.coinMinimalDenom, amount: fee.toString() }] },
    });
    return { authInfoBytes: AuthInfo.encode(next).finish(), fee };
  }

  async #signAmino(chainId: string, signer: string, doc: StdSignDoc) {
    const prefix = await this.#signer(chainId, signer);
    if (doc.chain_id !== chainId) throw new KeplrFailure("Chain id unmatched");
    this.#ask({ kind: "signAmino", chainId });
    return (await Secp256k1Wallet.fromKey(this.#privkey, prefix)).signAmino(signer, doc);
  }

  /** ADR-36: an amino sign doc of one MsgSignData, as `signArbitrary` signs it (string data as UTF-8). */
  async #signArbitrary(chainId: string, signer: string, data: { text: string } | { base64: string }) {
    await this.#signer(chainId, signer);
    const payload = "text" in data ? data.text : fromBase64(data.base64);
    this.#ask({ kind: "signArbitrary", chainId, data: "text" in data ? data.text : data.base64 });
    await new Promise((resolve) => setTimeout(resolve, this.answerDelayMs));
    const signature = await Secp256k1.createSignature(sha256(adr36SignBytes(signer, payload)), this.#privkey);
    return {
      pub_key: { type: "tendermint/PubKeySecp256k1", value: toBase64(this.#pubkey) },
      signature: toBase64(new Uint8Array([...signature.r(32), ...signature.s(32)])),
    };
  }
}

async function freshKey(): Promise<[privkey: Uint8Array, pubkey: Uint8Array]> {
  const privkey = Random.getBytes(32);
  const { pubkey } = await Secp256k1.makeKeypair(privkey);
  return [privkey, Secp256k1.compressPubkey(pubkey)];
}

interface WireSignDoc {
  bodyBytes: string;
  authInfoBytes: string;
  chainId: string;
  accountNumber: string;
}
