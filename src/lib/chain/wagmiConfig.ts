import { createConfig, createStorage, http, injected, type Config } from "@wagmi/core";
import type { EIP1193Provider } from "viem";
import type { DevWalletProvider } from "./devWallet.ts";
import { isLocalChain, targetChain } from "./targetChain.ts";
import type { Settings } from "../state/settings.svelte.ts";

export const DEV_WALLET_ID = "hexs-dev-wallet";

export interface HexsWagmi {
  config: Config;
  /** Present only when the target chain is the local one. */
  devWallet: DevWalletProvider | undefined;
}

/**
 * One wagmi config for the chain the settings name. Injected wallets are found through
 * EIP-6963 announcements (and `window.ethereum` for older ones); the dev wallet is added
 * only on the local chain, so it is never offered where its public keys would be unsafe.
 */
export async function createHexsWagmi(settings: Settings): Promise<HexsWagmi> {
  const chain = targetChain(settings);
  // Loaded on demand: key derivation is dead weight on any other chain.
  const devWallet = isLocalChain(chain.id) ? new (await import("./devWallet.ts")).DevWalletProvider(chain) : undefined;
  const connectors = [injected()];
  if (devWallet) {
    connectors.unshift(
      injected({
        target: { id: DEV_WALLET_ID, name: "HEXS dev wallet", provider: devWallet as unknown as EIP1193Provider },
      }),
    );
  }
  const config = createConfig({
    chains: [chain],
    connectors,
    multiInjectedProviderDiscovery: true,
    storage: createStorage({ storage: localStorage, key: `hexs.wagmi.${chain.id}` }),
    // Batching puts the reads a page makes at once into one HTTP request.
    transports: { [chain.id]: http(settings.rpcUrl, { batch: true }) },
  });
  return { config, devWallet };
}
