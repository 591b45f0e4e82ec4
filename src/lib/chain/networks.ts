// Chains by the names people know them by, and where their block explorer shows a transaction or
// an address. The app runs on any EVM chain its settings name; these are the ones it can name.
import type { Address, Hash } from "viem";
import { LOCAL_CHAIN_ID } from "./targetChain.ts";

interface Network {
  name: string;
  /** Base URL of an Etherscan-style explorer (…/tx/<hash>, …/address/<address>). */
  explorer?: string;
}

const NETWORKS: Record<number, Network> = {
  1: { name: "Ethereum", explorer: "https://etherscan.io" },
  11155111: { name: "Sepolia", explorer: "https://sepolia.etherscan.io" },
  8453: { name: "Base", explorer: "https://basescan.org" },
  84532: { name: "Base Sepolia", explorer: "https://sepolia.basescan.org" },
  10: { name: "OP Mainnet", explorer: "https://optimistic.etherscan.io" },
  42161: { name: "Arbitrum One", explorer: "https://arbiscan.io" },
  [LOCAL_CHAIN_ID]: { name: "the local dev chain" },
};

/** "Base", "the local dev chain", or "chain 123" for one it does not know: for use inside a sentence. */
export function networkName(chainId: number): string {
  return NETWORKS[chainId]?.name ?? `chain ${chainId}`;
}

/** The same as a label on its own: "Base", "Local dev chain", "Chain 123". */
export function networkLabel(chainId: number): string {
  const name = networkName(chainId).replace(/^the /, "");
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** The explorer page of a transaction, where the chain has a known explorer. */
export function explorerTxUrl(chainId: number, hash: Hash): string | undefined {
  const explorer = NETWORKS[chainId]?.explorer;
  return explorer ? `${explorer}/tx/${hash}` : undefined;
}

/** The explorer page of an address, where the chain has a known explorer. */
export function explorerAddressUrl(chainId: number, address: Address): string | undefined {
  const explorer = NETWORKS[chainId]?.explorer;
  return explorer ? `${explorer}/address/${address}` : undefined;
}
