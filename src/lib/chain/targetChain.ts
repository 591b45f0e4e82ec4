import { defineChain, type Chain } from "viem";
import { hardhat } from "viem/chains";

/** The chain id of the embedded local chain; the dev wallet exists only there. */
export const LOCAL_CHAIN_ID = 31337;

export function isLocalChain(chainId: number): boolean {
  return chainId === LOCAL_CHAIN_ID;
}

/** The viem chain the app reads from and asks wallets to use, built from the settings. */
export function targetChain({ chainId, rpcUrl }: { chainId: number; rpcUrl: string }): Chain {
  const rpcUrls = { default: { http: [rpcUrl] } };
  if (isLocalChain(chainId)) return { ...hardhat, name: "HEXS local chain", rpcUrls };
  return defineChain({
    id: chainId,
    name: `Chain ${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls,
  });
}
