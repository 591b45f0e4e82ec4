// Which Storacha service the client talks to. The client's defaults are the real network
// (up.storacha.network); the same client reaches any service that speaks the protocol, such
// as the local stand-in of the embedded default, given its URL and DID: configuration only.
import * as DID from "@ipld/dag-ucan/did";
import { create, type Client } from "@storacha/client";
import {
  accessServiceConnection,
  filecoinServiceConnection,
  gatewayServiceConnection,
  uploadServiceConnection,
} from "@storacha/client/service";
import { StoreIndexedDB } from "@storacha/client/stores/indexeddb";
import type { StorachaService } from "./storachaNetwork.ts";

/** Where a client keeps its agent (key, delegations): the store `create` accepts. */
export type StorachaStore = NonNullable<NonNullable<Parameters<typeof create>[0]>["store"]>;

export interface StorachaClientOptions {
  /** Where the agent's key and delegations persist; default: IndexedDB, one database per service. */
  store?: StorachaStore;
}

/** A Storacha client whose every connection and receipt poll goes to `service`. */
export async function createStorachaClient(
  service: StorachaService,
  options: StorachaClientOptions = {},
): Promise<Client> {
  const upload = { id: DID.parse(asDid(service.did)), url: new URL(service.url) };
  const gateway = { id: DID.parse(asDid(service.gatewayDid)), url: new URL(service.gatewayUrl) };
  return create({
    // Accounts and spaces belong to one service: keep each service's agent apart.
    store: options.store ?? new StoreIndexedDB(`hexs-storacha ${service.did} ${service.url}`),
    serviceConf: {
      access: accessServiceConnection(upload),
      upload: uploadServiceConnection(upload),
      filecoin: filecoinServiceConnection(upload),
      gateway: gatewayServiceConnection(gateway),
    },
    // Where up.storacha.network serves them, relative to the service.
    receiptsEndpoint: new URL("/receipt/", service.url),
  });
}

function asDid(text: string): `did:${string}:${string}` {
  if (!/^did:[a-z0-9]+:\S+$/.test(text)) throw new TypeError(`not a DID: ${text}`);
  return text as `did:${string}:${string}`;
}
