import { createPublicClient, createWalletClient, http } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { readDeployment } from "../contracts/exportContracts.ts";
import { pinDemoContent } from "../seed/demoContent.ts";
import { seedMarketplace, type SeedSummary } from "../seed/seedMarketplace.ts";

/** The mnemonic a Hardhat node funds; its accounts are the local chain's demo users. */
const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";

/**
 * Pins the demo content on the local IPFS node, then creates the demo marketplace on the local
 * chain through real contract calls, from the funded Hardhat accounts.
 */
export async function seedLocalMarketplace(
  rpcUrl: string,
  ipfsApiUrl: string,
  deploymentDir: string,
): Promise<SeedSummary> {
  const { factory } = await readDeployment(deploymentDir);
  const content = await pinDemoContent(ipfsApiUrl);
  const transport = http(rpcUrl);
  const wallets = Array.from({ length: 10 }, (_, addressIndex) =>
    createWalletClient({ account: mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex }), chain: hardhat, transport }),
  );
  return seedMarketplace({
    publicClient: createPublicClient({ chain: hardhat, transport }),
    wallets,
    factory,
    content,
  });
}
