// Recursive pins, one datastore record per root. The import checks that a root's whole DAG is
// present before pinning it, so the record alone is enough.
//
// Why not `helia.pins`: it writes a reference-count record for every block of the DAG (one
// file per 1 MiB block in FsDatastore), which made pinning a 100 MB upload take longer than
// the upload itself. This node never garbage-collects, so the counts would serve nothing.
import type { Datastore } from "interface-datastore";
import { Key } from "interface-datastore";
import { CID } from "multiformats/cid";

const PREFIX = "/hexs/pins/";

export interface PinStore {
  add(cid: CID): Promise<void>;
  has(cid: CID): Promise<boolean>;
  list(): AsyncGenerator<CID>;
}

export function pinStore(datastore: Datastore): PinStore {
  const keyOf = (cid: CID) => new Key(PREFIX + cid.toV1().toString());
  return {
    async add(cid) {
      await datastore.put(keyOf(cid), new TextEncoder().encode(JSON.stringify({ type: "recursive", at: Date.now() })));
    },
    has: async (cid) => datastore.has(keyOf(cid)),
    async *list() {
      for await (const key of datastore.queryKeys({ prefix: PREFIX }))
        yield CID.parse(key.toString().slice(PREFIX.length));
    },
  };
}
