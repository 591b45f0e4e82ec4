import { DevCosmosKey, STANDIN_CHAIN_ID } from "../../../src/lib/akash/devKey.ts";

/** The dev key's akash1… address, funded at the stand-in's genesis. */
export async function devKeyAddress(mnemonic: string): Promise<string> {
  return (await new DevCosmosKey(mnemonic).getKey(STANDIN_CHAIN_ID)).bech32Address;
}
