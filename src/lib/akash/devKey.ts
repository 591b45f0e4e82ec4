// The dev Cosmos key: a local, in-page key that behaves like Keplr through the same interface.
// It exists only for the local Akash stand-in chain; its mnemonic is public, so never fund it
// anywhere else. Loaded on demand, so production bundles that use Keplr never evaluate it.
import { makeSignDoc as makeAminoSignDoc, serializeSignDoc, type StdSignature } from "@cosmjs/amino";
import { Bip39, EnglishMnemonic, Secp256k1, Slip10, Slip10Curve, sha256 } from "@cosmjs/crypto";
import { toBase64 } from "@cosmjs/encoding";
import { DirectSecp256k1Wallet, makeCosmoshubPath, type OfflineDirectSigner } from "@cosmjs/proto-signing";
import { CosmosWalletError } from "./errors.ts";
import type { AkashChainInfo, KeplrLike } from "./wallet.ts";

/** The chain id of the local Akash stand-in: the only chain the dev key works on. */
export const STANDIN_CHAIN_ID = "hexs-akash-standin-1";

/** Public test mnemonic of the dev key (the same words Hardhat's accounts come from). */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

export function isStandInChain(chainId: string): boolean {
  return chainId === STANDIN_CHAIN_ID;
}

/** ADR-36 sign bytes of arbitrary data: what Keplr's `signArbitrary` signs. */
export function adr36SignBytes(signer: string, data: string | Uint8Array): Uint8Array {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const doc = makeAminoSignDoc(
    [{ type: "sign/MsgSignData", value: { signer, data: toBase64(bytes) } }],
    { gas: "0", amount: [] },
    "",
    "",
    0,
    0,
  );
  return serializeSignDoc(doc);
}

interface DevKeyMaterial {
  privkey: Uint8Array;
  pubkey: Uint8Array;
  wallet: DirectSecp256k1Wallet;
}

/** Derives the key at m/44'/118'/0'/0/0, Keplr's default path for Cosmos chains. */
async function deriveKey(mnemonic: string): Promise<DevKeyMaterial> {
  const seed = await Bip39.mnemonicToSeed(new EnglishMnemonic(mnemonic));
  const { privkey } = Slip10.derivePath(Slip10Curve.Secp256k1, seed, makeCosmoshubPath(0));
  const { pubkey } = await Secp256k1.makeKeypair(privkey);
  return {
    privkey,
    pubkey: Secp256k1.compressPubkey(pubkey),
    wallet: await DirectSecp256k1Wallet.fromKey(privkey, "akash"),
  };
}

export class DevCosmosKey implements KeplrLike {
  readonly #key: Promise<DevKeyMaterial>;

  constructor(mnemonic = DEV_MNEMONIC) {
    this.#key = deriveKey(mnemonic);
  }

  async enable(chainId: string): Promise<void> {
    // Keplr's words for a chain it has no description of, so callers treat both alike.
    if (!isStandInChain(chainId))
      throw new CosmosWalletError(`There is no chain info for ${chainId}`, {
        details: "the dev key knows only the local stand-in chain",
      });
  }

  async experimentalSuggestChain(info: AkashChainInfo): Promise<void> {
    if (!isStandInChain(info.chainId))
      throw new CosmosWalletError(`The dev key works only on the local stand-in chain, not ${info.chainId}`);
  }

  async getKey(chainId: string) {
    await this.enable(chainId);
    const [account] = await (await this.#key).wallet.getAccounts();
    if (!account) throw new CosmosWalletError("The dev key has no account");
    return { name: "HEXS dev key", bech32Address: account.address };
  }

  getOfflineSigner(chainId: string): OfflineDirectSigner {
    const key = this.#key;
    return {
      getAccounts: async () => {
        await this.enable(chainId);
        return (await key).wallet.getAccounts();
      },
      signDirect: async (address, doc) => (await key).wallet.signDirect(address, doc),
    };
  }

  async signArbitrary(chainId: string, signer: string, data: string | Uint8Array): Promise<StdSignature> {
    await this.enable(chainId);
    const key = await this.#key;
    const [account] = await key.wallet.getAccounts();
    if (!account || account.address !== signer) throw new CosmosWalletError(`The dev key does not hold ${signer}`);
    const signature = await Secp256k1.createSignature(sha256(adr36SignBytes(signer, data)), key.privkey);
    const compact = new Uint8Array([...signature.r(32), ...signature.s(32)]);
    return {
      pub_key: { type: "tendermint/PubKeySecp256k1", value: toBase64(key.pubkey) },
      signature: toBase64(compact),
    };
  }
}
