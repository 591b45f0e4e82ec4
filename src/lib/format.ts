import { formatEther, type Address } from "viem";

export function shortAddress(address: Address): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** ETH with at most four decimals, the way wallets show balances. */
export function formatEth(wei: bigint): string {
  const [whole, fraction = ""] = formatEther(wei).split(".");
  const trimmed = fraction.slice(0, 4).replace(/0+$/, "");
  return `${whole}${trimmed ? `.${trimmed}` : ""} ETH`;
}

/** A weighted average rating (stars weighted by the spending behind each), or undefined with none. */
export function averageRating(ratingWeightedStars: bigint, ratingWeight: bigint): number | undefined {
  if (ratingWeight === 0n) return undefined;
  // Four decimals of precision are plenty for one decimal shown.
  return Number((ratingWeightedStars * 10_000n) / ratingWeight) / 10_000;
}
