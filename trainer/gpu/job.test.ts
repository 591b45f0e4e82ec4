// The GPU trainer (Python: transformers + PEFT + Optimum) run as a job, on CPU, against the local
// IPFS node and the hub stand-in: what a lease on Akash runs, end to end into the gateway's runtime.
// Its environment is trainer/gpu/.venv, which `npm test` builds first (trainer/gpu/setup.sh).
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ortNode from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIpfsNode, type IpfsNode } from "../../dev/ipfs/node.ts";
import { startTamperingGateway } from "../../dev/ipfs/tamperingGateway.ts";
import { DEMO_MODELS } from "../../dev/standins/hub/repos.ts";
import { startHubStandIn, type HubStandIn } from "../../dev/standins/hub/server.ts";
import { readHfFolder } from "../../models/hf/readFolder.ts";
import { HF_FOLDER_FILES } from "../../models/hf/writeFolder.ts";
import type { ProgressEvent, ResultEvent } from "../../src/lib/akash/progress.ts";
import { decodeFloat32Safetensors } from "../../src/lib/hf/safetensors.ts";
import { packFile, packFiles } from "../../src/lib/ipfs/car.ts";
import { verifiedRead } from "../../src/lib/ipfs/fetch.ts";
import { kuboAdapter } from "../../src/lib/ipfs/kubo.ts";
import { uploadCar } from "../../src/lib/ipfs/upload.ts";
import type { LoadedModel } from "../../src/lib/onnx/host.ts";
import { folderReader } from "../../src/lib/onnx/folderReader.ts";
import { loadModel } from "../../src/lib/onnx/loadModel.ts";
import { generate } from "../../src/lib/onnx/sampling.ts";
import type { OrtRuntime } from "../../src/lib/onnx/session.ts";
import { readUnixfs } from "../local/ipfs.ts";
import { runGpuTrainer, type GpuTrainerRun } from "./runJob.ts";

const MODELS = new URL("../../models/", import.meta.url);
const GRANTED = "hf_granted_for_the_test";

let dir: string;
let node: IpfsNode;
let hub: HubStandIn;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hexs-gpu-trainer-"));
  node = await startIpfsNode({ dataDir: dir, port: 0, host: "127.0.0.1" });
  hub = await startHubStandIn({
    models: [...DEMO_MODELS, { id: "org/gated-verse", dir: "tiny-verse-char", gated: { grantedTokens: [GRANTED] } }],
  });
});
afterAll(async () => {
  await hub?.stop();
  await node?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const pin = async (car: Parameters<typeof uploadCar>[1]) =>
  (await uploadCar(kuboAdapter({ url: node.url }), car)).cid.toString();

async function verseJsonl(lines: number): Promise<string> {
  const verse = await readFile(new URL("corpus/verse.txt", MODELS), "utf8");
  const texts = verse
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(0, lines);
  return texts.map((text) => JSON.stringify({ text })).join("\n") + "\n";
}

async function pinModelFolder(name: string): Promise<string> {
  return pin(await packFiles(await readHfFolder(name)));
}

/** A job with the test's IPFS node as its upload target, failing loudly if it printed no progress at all. */
async function runJob(env: Record<string, string>): Promise<GpuTrainerRun> {
  const run = await runGpuTrainer({ HOME: dir, HEXS_OUTPUT_KUBO_API: node.url, ...env });
  if (run.events.length === 0)
    throw new Error(`the trainer printed no progress line (exit ${run.code}):\n${run.stderr}`);
  return run;
}

/** The one final line, which must be the last progress line and the only one of its kind. */
function finalOf(run: GpuTrainerRun): ProgressEvent {
  const finals = run.events.filter((event) => event.event === "result" || event.event === "failed");
  expect(finals).toHaveLength(1);
  expect(run.events.at(-1)).toBe(finals[0]);
  return finals[0]!;
}

function failureOf(run: GpuTrainerRun): string {
  const final = finalOf(run);
  expect(run.code).toBe(1);
  if (final.event !== "failed") throw new Error(`expected a failed line, got ${JSON.stringify(final)}`);
  return final.error;
}

async function sampleText(model: LoadedModel): Promise<string> {
  const ids: number[] = [];
  const prompt = model.tokenizer.encode("The willow");
  for await (const id of generate(model.next, prompt, { temperature: 0.8, topP: 0.95, seed: 7, maxNewTokens: 40 }))
    ids.push(id);
  return model.tokenizer.decode(ids);
}

describe("the GPU trainer (transformers + PEFT), run on CPU", () => {
  it("fine-tunes an agent's weights from IPFS into the Hugging Face layout, which the gateway's runtime runs", async () => {
    const baseCid = await pinModelFolder("tiny-stories-char");
    const datasetCid = await pin(await packFile(await verseJsonl(120)));
    const run = await runJob({
      HEXS_BASE_WEIGHTS_CID: baseCid,
      HEXS_DATASET_CID: datasetCid,
      HEXS_STEPS: "40",
      HEXS_LEARNING_RATE: "0.003",
      HEXS_BATCH_SIZE: "8",
    });
    const final = finalOf(run);
    if (final.event !== "result") throw new Error(`the job failed: ${JSON.stringify(final)}`);
    const result = final as ResultEvent;
    expect(run.code).toBe(0);
    expect(run.events[0]).toEqual({ event: "started", base: `ipfs:${baseCid}`, datasetCid, steps: 40 });
    expect(run.events.filter((event) => event.event === "step")).toHaveLength(40);
    const { validationLossBefore, validationLossAfter } = result.metrics;
    console.log(
      `gpu trainer on cpu: held-out loss ${validationLossBefore.toFixed(3)} -> ${validationLossAfter.toFixed(3)}, ` +
        `${String(result.metrics.stepsPerSecond)} steps/s`,
    );
    expect(validationLossAfter).toBeLessThan(validationLossBefore * 0.8);

    // The folder, read back through a verified read, re-packed by the dApp's own packer: the same
    // root, so the trainer's root (computed before its upload) is what the node stored.
    const tuned = await readUnixfs(node.gatewayUrl, result.weightsCid);
    expect([...tuned.keys()].sort()).toEqual([...HF_FOLDER_FILES, "metrics.json"].sort());
    const repacked = await packFiles([...tuned].map(([path, content]) => ({ path, content })));
    expect(repacked.root.toString()).toBe(result.weightsCid);
    expect(JSON.parse(new TextDecoder().decode(tuned.get("metrics.json")))).toEqual(result.metrics);
    const metricsFile = await readUnixfs(node.gatewayUrl, result.metricsCid);
    expect(JSON.parse(new TextDecoder().decode(metricsFile.get("")))).toEqual(result.metrics);

    // LoRA merged into the weights: every projection it adapted changed, the embeddings did not.
    const before = decodeFloat32Safetensors(
      new Uint8Array(await readFile(new URL("out-hf/tiny-stories-char/model.safetensors", MODELS))),
    );
    const after = decodeFloat32Safetensors(tuned.get("model.safetensors")!);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    expect(after.get("transformer.h.0.attn.c_attn.weight")!.data).not.toEqual(
      before.get("transformer.h.0.attn.c_attn.weight")!.data,
    );
    expect(after.get("transformer.wte.weight")!.data).toEqual(before.get("transformer.wte.weight")!.data);

    // The gateway's runtime (transformers.js on onnxruntime-node, files through the verified
    // reader) runs the exported ONNX graph; it writes other text than the base with the same seed.
    const ort = ortNode as unknown as OrtRuntime;
    const hf = async () => ({ transformers: await import("@huggingface/transformers") });
    const fineTuned = await loadModel(result.weightsCid, {
      ort,
      hf,
      useCache: false,
      runtime: "onnxruntime-node",
      read: (cid, path) => verifiedRead(cid, { gateways: [node.gatewayUrl], path }),
    });
    const base = await loadModel("out-hf/tiny-stories-char", {
      ort,
      hf,
      useCache: false,
      runtime: "onnxruntime-node",
      read: folderReader(MODELS),
    });
    const tunedText = await sampleText(fineTuned);
    expect(tunedText.length).toBeGreaterThan(10);
    expect(tunedText).not.toBe(await sampleText(base));

    // The result is itself a base: an agent publishing it can be fine-tuned again.
    const again = await runJob({
      HEXS_BASE_WEIGHTS_CID: result.weightsCid,
      HEXS_DATASET_CID: datasetCid,
      HEXS_STEPS: "2",
    });
    expect(finalOf(again)).toMatchObject({ event: "result", metrics: { base: `ipfs:${result.weightsCid}` } });
  }, 240_000);

  it("takes a base from the hub at HF_ENDPOINT and trains on a dataset of 3 lines", async () => {
    const datasetCid = await pin(await packFile(await verseJsonl(3)));
    const run = await runJob({
      HEXS_BASE_HF_ID: "hexs-demo/tiny-verse-char",
      HF_ENDPOINT: hub.url,
      HEXS_DATASET_CID: datasetCid,
      HEXS_STEPS: "3",
      HEXS_METHOD: "full",
    });
    const final = finalOf(run);
    expect(final).toMatchObject({
      event: "result",
      metrics: { base: "hf:hexs-demo/tiny-verse-char@main", trainWindows: 2, validationWindows: 1, method: "full" },
    });
  }, 120_000);

  it("fails with one clear line for a gated base without a token, and never prints the token", async () => {
    const datasetCid = await pin(await packFile(await verseJsonl(3)));
    const job = { HEXS_BASE_HF_ID: "org/gated-verse", HF_ENDPOINT: hub.url, HEXS_DATASET_CID: datasetCid };
    expect(failureOf(await runJob(job))).toMatch(
      /^GatedRepoError: Access to model org\/gated-verse is restricted\. .* \(HF_TOKEN is not set\)$/,
    );
    const wrongToken = await runJob({ ...job, HF_TOKEN: "hf_not_granted_secret" });
    expect(failureOf(wrongToken)).toMatch(/not in the authorized list.*\(HF_TOKEN has no access\)$/);
    expect(wrongToken.stdout).not.toContain("hf_not_granted_secret");
  }, 120_000);

  it("uploads to a Kubo RPC guarded by API.Authorizations only with the job's token", async () => {
    const guarded = await startIpfsNode({
      dataDir: join(dir, "guarded"),
      port: 0,
      host: "127.0.0.1",
      rpcAuthorizations: [{ authSecret: "bearer:job-upload-token", allowedPaths: ["/api/v0/dag/import"] }],
    });
    try {
      const job = {
        HEXS_BASE_WEIGHTS_CID: await pinModelFolder("tiny-stories-char"),
        HEXS_DATASET_CID: await pin(await packFile(await verseJsonl(3))),
        HEXS_STEPS: "2",
        HEXS_IPFS_GATEWAY: node.gatewayUrl,
        HEXS_OUTPUT_KUBO_API: guarded.url,
      };
      expect(failureOf(await runJob(job))).toMatch(
        /^IpfsError: the IPFS node refused the upload: HTTP 403 Kubo RPC Access Denied/,
      );
      const run = await runJob({ ...job, HEXS_OUTPUT_KUBO_TOKEN: "job-upload-token" });
      const final = finalOf(run);
      if (final.event !== "result") throw new Error(JSON.stringify(final));
      expect(run.stdout).not.toContain("job-upload-token");
      expect((await readUnixfs(guarded.gatewayUrl, final.weightsCid)).has("onnx/model.onnx")).toBe(true);
    } finally {
      await guarded.stop();
    }
  }, 120_000);

  it("refuses a dataset CAR that a gateway substituted or altered", async () => {
    const baseCid = await pinModelFolder("tiny-stories-char");
    const datasetCid = await pin(await packFile(await verseJsonl(3)));
    const otherCid = await pin(await packFile(await verseJsonl(4)));
    // A gateway that answers every request for the dataset with another CID's valid CAR.
    const substituting: Server = createServer((request, response) => {
      const url = new URL(request.url ?? "/", node.gatewayUrl);
      url.pathname = url.pathname.replace(datasetCid, otherCid);
      void fetch(url).then(async (upstream) => {
        response.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "" });
        response.end(new Uint8Array(await upstream.arrayBuffer()));
      });
    });
    await new Promise<void>((resolve) => substituting.listen(0, "127.0.0.1", resolve));
    const tampering = await startTamperingGateway(node.gatewayUrl);
    try {
      const job = { HEXS_BASE_WEIGHTS_CID: baseCid, HEXS_DATASET_CID: datasetCid, HEXS_STEPS: "2" };
      const substitutingUrl = `http://127.0.0.1:${(substituting.address() as AddressInfo).port}`;
      // The base passes through untouched (the request names its own CID); the dataset does not.
      expect(failureOf(await runJob({ ...job, HEXS_IPFS_GATEWAY: substitutingUrl }))).toBe(
        `IpfsError: ${datasetCid} from ${substitutingUrl}: the CAR does not hold the requested root ${datasetCid}`,
      );
      expect(failureOf(await runJob({ ...job, HEXS_IPFS_GATEWAY: tampering.url }))).toMatch(
        /^IpfsError: .*: block \w+: its bytes do not match the CID$/,
      );
    } finally {
      substituting.closeAllConnections();
      await new Promise((resolve) => substituting.close(resolve));
      await tampering.stop();
    }
  }, 120_000);
});
