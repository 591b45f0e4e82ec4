// A model this repo ships in the Hugging Face layout (`models/out-hf/<dir>`, written by
// writeFolder.ts), read back as the files a weights folder is packed from.
import { readFile } from "node:fs/promises";
import { HF_FOLDER_FILES } from "./writeFolder.ts";

const OUT_HF = new URL("../out-hf/", import.meta.url);

/** The files of `models/out-hf/<dir>`, in HF_FOLDER_FILES' order. */
export function readHfFolder(dir: string): Promise<{ path: string; content: Uint8Array }[]> {
  return Promise.all(
    HF_FOLDER_FILES.map(async (path) => ({
      path,
      content: new Uint8Array(await readFile(new URL(`${dir}/${path}`, OUT_HF))),
    })),
  );
}
