// Recursive pins, one datastore record per root. The import checks that a root's whole DAG is
// present before pinning it, so the record alone is enough; a record is flushed to the disk
// (file and folder) before the pin is acknowledged.
//
// Why not `helia.pins`: it writes a reference-count record for every block of the DAG (one
// file per 1 MiB block in FsDatastore), which made pinning a 100 MB upload take longer than
// the upload itself. Garbage collection (repoGc.ts) walks the pinned DAGs instead.
import { open } from "node:fs/promises";
import type { Datastore } from "interface-datastore";
import { Key } from "interface-datastore";
import { CID } from "multiformats/cid";
import { syncFolder } from "./blockFiles.ts";

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
      const key = keyOf(cid);
      await datastore.put(key, new TextEncoder().encode(JSON.stringify({ type: "recursive", at: Date.now() })));
      const file = fileOfRecord(datastore, key);
      if (file) await Promise.all([syncFile(file.file), syncFolder(file.dir)]);
    },
    has: async (cid) => datastore.has(keyOf(cid)),
    async *list() {
      for await (const key of datastore.queryKeys({ prefix: PREFIX }))
        yield CID.parse(key.toString().slice(PREFIX.length));
    },
  };
}

/** The file a FsDatastore keeps `key` in (its `_encode`, public at runtime), when it is one. */
function fileOfRecord(datastore: Datastore, key: Key): { dir: string; file: string } | undefined {
  const encode = (datastore as unknown as { _encode?: (key: Key) => { dir: string; file: string } })._encode;
  return encode?.call(datastore, key);
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, "r+");
  try {
    await handle.datasync();
  } finally {
    await handle.close();
  }
}
