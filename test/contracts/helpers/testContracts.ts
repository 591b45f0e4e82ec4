// Typed handles on the test-only contracts in contracts/test/. They are not part of the app's
// generated ABIs, so their (small) ABIs are declared here; a drift fails the tests at run time.
import { getContract, parseAbi, type Abi, type Address } from "viem";
import type { Connection, Hexs } from "./deploy.ts";

export const scoreHarnessAbi = parseAbi([
  "struct Params { uint256 engagementK; uint256 popularityK; uint256 ratingPrior; }",
  "struct Breakdown { uint256 score; uint256 engagement; uint256 popularity; uint256 rating; }",
  "function compute(uint256 settledValue, uint256 payerWeight, uint256 ratingWeightedStars, uint256 ratingWeight, Params params) pure returns (Breakdown)",
  "function contributionShares(uint256 totalShares, uint256 scoreBps, uint256 contributionBps) pure returns (uint256)",
]);

export const listingHarnessAbi = parseAbi([
  "struct Figures { uint256 score; uint256 engagement; uint256 popularity; uint256 rating; uint256 members; uint256 calls; uint256 raters; uint256 averageRatingCentis; uint256 pricePerCredit; uint256 salePrice; bool paid; uint256 versions; }",
  "function encode(Figures figures) pure returns (uint256)",
  "function toFloat(uint256 value) pure returns (uint256)",
]);

export const reentrantReceiverAbi = parseAbi([
  "function setAttack(address target, bytes reentryCall)",
  "function setRejectPayments(bool reject)",
  "function act(address to, bytes data) payable",
  "function received() view returns (uint256)",
  "function reentered() view returns (bool)",
  "function reentryError() view returns (bytes)",
  "error ReentrantReceiverRejected()",
]);

export const registryIndexStubAbi = parseAbi(["function registryIndex() view returns (uint256)"]);

/** Deploys the test contract `name` and returns it typed with `abi`. */
export async function deployTestContract<const abi extends Abi>(
  connection: Connection,
  hexs: Hexs,
  name: string,
  abi: abi,
  args: readonly unknown[] = [],
) {
  const deployed = (await connection.viem.deployContract(name, args as never)) as { address: Address };
  return getContract({ address: deployed.address, abi, client: { public: hexs.publicClient, wallet: hexs.deployer } });
}
