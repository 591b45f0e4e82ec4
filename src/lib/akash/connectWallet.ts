// The Cosmos wallet /train signs with: Keplr (the chain suggested from the Akash settings when
// Keplr does not know it), or on the stand-in chain the dev key, through the same interface.
import { HexsError } from "#lib/errors.ts";
import { settings } from "#lib/state/settings.svelte.ts";
import type { CosmosAccount } from "#lib/akash/wallet.ts";

export async function connectWallet(kind: "keplr" | "dev"): Promise<CosmosAccount> {
  const { akashChainInfo, connectCosmosWallet, injectedKeplr } = await import("#lib/akash/wallet.ts");
  const s = settings.current;
  const info = akashChainInfo({
    chainId: s.akashChainId,
    chainName: `Akash (${s.akashChainId})`,
    rpcUrl: s.akashRpcUrl,
    restUrl: s.akashRestUrl,
  });
  if (kind === "dev") {
    const { DevCosmosKey } = await import("#lib/akash/devKey.ts");
    return connectCosmosWallet(new DevCosmosKey(), "HEXS dev key", info);
  }
  const keplr = injectedKeplr();
  if (!keplr) throw new HexsError("Keplr is not installed in this browser", { details: "https://www.keplr.app" });
  return connectCosmosWallet(keplr, "Keplr", info);
}
