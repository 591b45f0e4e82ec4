// Helpers for tests that point the real Storacha client at the stand-in.
import { StoreMemory } from "@storacha/client/stores/memory";
import type { StorachaService } from "../../../src/lib/ipfs/storachaNetwork.ts";
import { createStorachaClient } from "../../../src/lib/ipfs/storachaService.ts";
import type { StorachaStandIn } from "./server.ts";

/** The settings a user would enter to use the stand-in: it also plays the content gateway. */
export function standInService(standIn: Pick<StorachaStandIn, "url" | "did">): StorachaService {
  return { url: standIn.url, did: standIn.did, gatewayUrl: standIn.url, gatewayDid: standIn.did };
}

/** A real client for the stand-in whose agent lives in memory (Node has no IndexedDB). */
export function standInClient(standIn: Pick<StorachaStandIn, "url" | "did">) {
  return createStorachaClient(standInService(standIn), { store: new StoreMemory() });
}
