import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIpfsNode, type IpfsNode } from "../../dev/ipfs/node.ts";
import { readHexsCharModel } from "../../models/hf/importHf.ts";
import { readHfFolder } from "../../models/hf/readFolder.ts";
import { HF_FOLDER_FILES } from "../../models/hf/writeFolder.ts";
import type { ProgressEvent, ResultEvent } from "../../src/lib/akash/progress.ts";
import { packFile, packFiles } from "../../src/lib/ipfs/car.ts";
import { kuboAdapter } from "../../src/lib/ipfs/kubo.ts";
import { uploadCar } from "../../src/lib/ipfs/upload.ts";
import { readUnixfs } from "./ipfs.ts";
import { inputsFromEnv, runTrainer } from "./run.ts";

const MODELS = new URL("../../models/", import.meta.url);
let dir: string;
let node: IpfsNode;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hexs-trainer-"));
  node = await startIpfsNode({ dataDir: dir, port: 0, host: "127.0.0.1" });
});
afterAll(async () => {
  await node?.stop();
  await rm(dir, { recursive: true, force: true });
});

const pin = async (car: Parameters<typeof uploadCar>[1]) =>
  (await uploadCar(kuboAdapter({ url: node.url }), car)).cid.toString();

describe("the local trainer", () => {
  it("fine-tunes a base in the Hugging Face layout into the same layout, as an agent fine-tuned again", async () => {
    const files = await readHfFolder("tiny-stories-char");
    const weightsCid = await pin(await packFiles(files));
    const verse = (await readFile(new URL("corpus/verse.txt", MODELS), "utf8")).slice(0, 6000);
    const datasetCid = await pin(await packFile(verse));
    const events: ProgressEvent[] = [];
    await runTrainer(
      {
        base: { weightsCid },
        datasetCid,
        steps: 6,
        learningRate: 0.002,
        seed: 1,
        batchSize: 4,
        kuboApiUrl: node.url,
        gatewayUrl: node.gatewayUrl,
        hfEndpoint: "http://127.0.0.1:9",
      },
      (event) => events.push(event),
    );
    const result = events.find((e): e is ResultEvent => e.event === "result")!;
    expect(events[0]).toMatchObject({ event: "started", base: `ipfs:${weightsCid}` });
    expect(result.metrics.validationLossAfter).toBeLessThan(result.metrics.validationLossBefore as number);
    const tuned = await readUnixfs(node.gatewayUrl, result.weightsCid);
    expect([...tuned.keys()].sort()).toEqual([...HF_FOLDER_FILES, "metrics.json"].sort());
    const base = readHexsCharModel(new Map(files.map((f) => [f.path, f.content])), "base");
    const after = readHexsCharModel(tuned, "tuned");
    expect(after.config).toEqual(base.config);
    expect(after.params.get("lm_head.weight")!.data).not.toEqual(base.params.get("lm_head.weight")!.data);
  });

  it("reads the hub from HF_ENDPOINT (its older name too) and the upload token from the job's variables", () => {
    const env = {
      HEXS_BASE_HF_ID: "org/model",
      HEXS_DATASET_CID: "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
      HEXS_OUTPUT_KUBO_API: "http://127.0.0.1:5001",
    };
    expect(inputsFromEnv({ ...env, HF_ENDPOINT: "http://hub", HEXS_OUTPUT_KUBO_TOKEN: "t" })).toMatchObject({
      hfEndpoint: "http://hub",
      kuboApiToken: "t",
    });
    expect(inputsFromEnv({ ...env, HEXS_HF_ENDPOINT: "http://old" }).hfEndpoint).toBe("http://old");
    expect(inputsFromEnv(env)).not.toHaveProperty("kuboApiToken");
  });
});
