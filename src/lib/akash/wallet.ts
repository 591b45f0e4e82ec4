// The Cosmos wallet behind every Akash action: Keplr in production, or the dev key on the local
// stand-in chain — both through the same Keplr-shaped interface, so the code paths are one.
import type { StdSignature } from "@cosmjs/amino";
import type { OfflineDirectSigner } from "@cosmjs/proto-signing";
import { CosmosWalletError } from "./errors.ts";
import { walletFailure, walletRequest, isUnknownChain } from "./walletErrors.ts";

/** The part of Keplr's `window.keplr` API HEXS uses. */
export interface KeplrLike {
  enable(chainId: string): Promise<void>;
  getKey(chainId: string): Promise<{ name: string; bech32Address: string; isNanoLedger?: boolean }>;
  getOfflineSigner(chainId: string): OfflineDirectSigner;
  signArbitrary(chainId: string, signer: string, data: string | Uint8Array): Promise<StdSignature>;
  experimentalSuggestChain(chainInfo: AkashChainInfo): Promise<void>;
}

/** Keplr's chain description (the fields Keplr requires), for chains it does not know. */
export interface AkashChainInfo {
  chainId: string;
  chainName: string;
  rpc: string;
  rest: string;
  bip44: { coinType: number };
  bech32Config: Record<
    | "bech32PrefixAccAddr"
    | "bech32PrefixAccPub"
    | "bech32PrefixValAddr"
    | "bech32PrefixValPub"
    | "bech32PrefixConsAddr"
    | "bech32PrefixConsPub",
    string
  >;
  currencies: Currency[];
  feeCurrencies: (Currency & { gasPriceStep: { low: number; average: number; high: number } })[];
  stakeCurrency: Currency;
}

interface Currency {
  coinDenom: string;
  coinMinimalDenom: string;
  coinDecimals: number;
}

/** Keplr refuses a suggested chain whose name is longer than this (its chain-validator schema). */
const KEPLR_MAX_CHAIN_NAME = 30;

/** The chain as Keplr is told about it; `chainName` falls back to the chain id where it is too long for Keplr. */
export function akashChainInfo(p: {
  chainId: string;
  chainName: string;
  rpcUrl: string;
  restUrl: string;
}): AkashChainInfo {
  const akt = { coinDenom: "AKT", coinMinimalDenom: "uakt", coinDecimals: 6 };
  // Deployments are priced and funded in ACT since the BME upgrade; fees and staking stay AKT.
  const act = { coinDenom: "ACT", coinMinimalDenom: "uact", coinDecimals: 6 };
  return {
    chainId: p.chainId,
    chainName: p.chainName.length <= KEPLR_MAX_CHAIN_NAME ? p.chainName : p.chainId,
    rpc: p.rpcUrl,
    rest: p.restUrl,
    bip44: { coinType: 118 },
    bech32Config: {
      bech32PrefixAccAddr: "akash",
      bech32PrefixAccPub: "akashpub",
      bech32PrefixValAddr: "akashvaloper",
      bech32PrefixValPub: "akashvaloperpub",
      bech32PrefixConsAddr: "akashvalcons",
      bech32PrefixConsPub: "akashvalconspub",
    },
    currencies: [akt, act],
    feeCurrencies: [{ ...akt, gasPriceStep: { low: 0.025, average: 0.025, high: 0.04 } }],
    stakeCurrency: akt,
  };
}

/** A connected Cosmos account: what the tx client and the provider JWT need. */
export interface CosmosAccount {
  address: string;
  chainId: string;
  /** "keplr" or "dev key": shown to the user. */
  walletName: string;
  signer: OfflineDirectSigner;
  signArbitrary(data: string | Uint8Array): Promise<StdSignature>;
}

/**
 * Connects `wallet` to `chainInfo.chainId`. A wallet that does not know the chain is asked to add
 * it first (Keplr then shows the user the chain to approve); a refusal to connect is not, since
 * suggesting a chain the user just declined would only prompt them twice.
 * @throws CosmosWalletRejectedError when the user declines adding the chain or connecting
 * @throws CosmosWalletError when the wallet fails otherwise (e.g. refuses the chain description)
 */
export async function connectCosmosWallet(
  wallet: KeplrLike,
  walletName: string,
  chainInfo: AkashChainInfo,
): Promise<CosmosAccount> {
  const { chainId } = chainInfo;
  const connecting = `Connecting to chain ${chainId}`;
  try {
    await wallet.enable(chainId);
  } catch (error) {
    if (!isUnknownChain(error)) throw walletFailure(walletName, connecting, error);
    await walletRequest(walletName, `Adding the chain ${chainId}`, () => wallet.experimentalSuggestChain(chainInfo));
    await walletRequest(walletName, connecting, () => wallet.enable(chainId));
  }
  const key = await walletRequest(walletName, connecting, () => wallet.getKey(chainId));
  // Keplr's sign page cannot approve a direct-mode transaction for a Ledger key (Ledger signs
  // Amino JSON only), and HEXS signs Akash's messages in direct mode: say so now, not at the
  // first transaction behind a prompt whose Approve button stays grey.
  if (key.isNanoLedger)
    throw new CosmosWalletError(`The ${walletName} account "${key.name}" is a Ledger key`, {
      details: `${walletName} signs Akash transactions with a Ledger only in Amino mode, and HEXS signs in direct mode; choose a key that is not on a Ledger`,
    });
  const signer = wallet.getOfflineSigner(chainId);
  return {
    address: key.bech32Address,
    chainId,
    walletName,
    signer: {
      getAccounts: () => walletRequest(walletName, "Reading the account", () => signer.getAccounts()),
      signDirect: (address, doc) => walletRequest(walletName, "The transaction", () => signer.signDirect(address, doc)),
    },
    signArbitrary: (data) =>
      walletRequest(walletName, "Signing in to the provider", () =>
        wallet.signArbitrary(chainId, key.bech32Address, data),
      ),
  };
}

/** Keplr's extension object, when installed. */
export function injectedKeplr(): KeplrLike | undefined {
  return (globalThis as { keplr?: KeplrLike }).keplr;
}
