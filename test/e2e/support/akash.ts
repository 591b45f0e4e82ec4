import type { Page } from "@playwright/test";
import { mnemonicToAccount } from "viem/accounts";
import { startAkashStandIn, type AkashStandIn } from "../../../dev/standins/akash/server.ts";
import { e2eEnv, testSettings } from "./app.ts";

/** The Akash stand-in for one spec, on a free port, uploading to the e2e IPFS node. */
export function startStandIn(): Promise<AkashStandIn> {
  return startAkashStandIn({ ipfsApiUrl: e2eEnv().ipfsUrl, blockMs: 300, bidDelayMs: 500 });
}

/** Opens /train with the settings a user would enter: test chain, IPFS node and the stand-in. */
export async function openTrain(page: Page, standIn: AkashStandIn): Promise<void> {
  await page.addInitScript((settings) => localStorage.setItem("hexs:settings", JSON.stringify(settings)), {
    ...testSettings(),
    akashRestUrl: standIn.nodeUrl,
    akashRpcUrl: standIn.nodeUrl,
    akashChainId: standIn.chainId,
  });
  await page.goto(`${e2eEnv().siteUrl}#/train`);
}

/** The index of `owner` among the dev wallet's accounts (Hardhat's test mnemonic). */
export function devAccountIndex(owner: string): number {
  for (let index = 0; index < 20; index++) {
    const account = mnemonicToAccount("test test test test test test test test test test test junk", {
      addressIndex: index,
    });
    if (account.address.toLowerCase() === owner.toLowerCase()) return index;
  }
  throw new Error(`${owner} is not a dev wallet account`);
}
