// What a node killed mid-write leaves behind, removed at start-up: the temporary files of blocks
// being written (blockWriter.ts writes `<block>.<pid>-<n>.tmp`, then renames it into place) and of
// pin records (datastore-fs writes through steno's `.<name>.tmp`). A block or a pin is whole or
// absent; only its temporary file can be torn.
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";

/** Removes every `*.tmp` file under `root`; returns how many there were. */
export async function removeTemporaryFiles(root: string): Promise<number> {
  let removed = 0;
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) removed += await removeTemporaryFiles(path);
    else if (entry.name.endsWith(".tmp")) {
      await rm(path, { force: true });
      removed++;
    }
  }
  return removed;
}
