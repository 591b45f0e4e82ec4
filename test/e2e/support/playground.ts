// Agents for the playground journey: the repo's demo models (and one broken model) pinned on
// the test IPFS node, each behind a free agent created through the factory by a dev account.
import { readFile } from "node:fs/promises";
import type { Address } from "viem";
import { readHfFolder } from "../../../models/hf/readFolder.ts";
import { packFiles } from "../../../src/lib/ipfs/car.ts";
import { kuboAdapter } from "../../../src/lib/ipfs/kubo.ts";
import { uploadCar } from "../../../src/lib/ipfs/upload.ts";
import { createFreeAgent, pinJson } from "./agents.ts";
import { e2eEnv } from "./app.ts";

const MODELS = new URL("../../../models/out/", import.meta.url);

/** A demo model in the Hugging Face layout, path → bytes. */
export async function hfModelFiles(name: "tiny-stories-char" | "tiny-verse-char"): Promise<Record<string, Uint8Array>> {
  return Object.fromEntries((await readHfFolder(name)).map(({ path, content }) => [path, content]));
}

/** Pins a folder of `path → bytes` (a weights folder in any layout); returns its CID. */
export async function pinFolder(files: Record<string, Uint8Array>): Promise<string> {
  const car = await packFiles(Object.entries(files).map(([path, content]) => ({ path, content })));
  return (await uploadCar(kuboAdapter({ url: e2eEnv().ipfsUrl }), car)).cid.toString();
}

/** Pins `model.onnx` + `tokenizer.json` as one folder, HEXS's first weights format. */
export function pinWeights(files: { model: Uint8Array; tokenizer: Uint8Array }): Promise<string> {
  return pinFolder({ "model.onnx": files.model, "tokenizer.json": files.tokenizer });
}

export async function demoModelFiles(name: "tiny-stories-char" | "tiny-verse-char") {
  return {
    model: new Uint8Array(await readFile(new URL(`${name}/model.onnx`, MODELS))),
    tokenizer: new Uint8Array(await readFile(new URL(`${name}/tokenizer.json`, MODELS))),
  };
}

/** Creates a free agent named `name` whose weights are `weightsCid`, owned by dev account #ownerIndex. */
export async function createAgentWithWeights(name: string, weightsCid: string, ownerIndex: number): Promise<Address> {
  const modelCardCid = await pinJson({ name, description: `${name}: an agent of the playground journey.` });
  return createFreeAgent({ name, modelCardCid, weightsCid, ownerIndex });
}
