// Helpers for tests that point the real Storacha client at the stand-in (server.ts), given its
// URL and DID.
import { StoreMemory } from "@storacha/client/stores/memory";
import type { StorachaService } from "../../../src/lib/ipfs/storachaNetwork.ts";
import { createStorachaClient } from "../../../src/lib/ipfs/storachaService.ts";

/** The settings a user would enter to use the stand-in: it also plays the content gateway. */
export function standInService(standIn: { url: string; did: string }): StorachaService {
  return { url: standIn.url, did: standIn.did, gatewayUrl: standIn.url, gatewayDid: standIn.did };
}

/** A real client for the stand-in whose agent lives in memory (Node has no IndexedDB). */
export function standInClient(standIn: { url: string; did: string }) {
  return createStorachaClient(standInService(standIn), { store: new StoreMemory() });
}
