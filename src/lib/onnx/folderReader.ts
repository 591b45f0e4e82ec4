// Weights folders on disk read as the verified IPFS reader reads a weights CID: for tests and
// the bench, where a "CID" is a folder name under `root`. A file the folder lacks is an
// IpfsNotFoundError, as a gateway's 404 for a path is, so loading tells the layouts apart alike.
import { readFile } from "node:fs/promises";
import { IpfsNotFoundError } from "../ipfs/errors.ts";

export function folderReader(root: URL): (folder: string, path: string) => Promise<Uint8Array> {
  return async (folder, path) => {
    try {
      return new Uint8Array(await readFile(new URL(`${folder}/${path}`, root)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT")
        throw new IpfsNotFoundError(folder, `${folder} has no ${path}`, { cause: error });
      throw error;
    }
  };
}
