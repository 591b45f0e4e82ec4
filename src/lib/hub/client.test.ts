import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHubStandIn, type HubStandIn } from "../../../dev/standins/hub/server.ts";
import { downloadHubFile, listHubFiles, onnxExportOf, readHubModel, searchHubModels } from "./client.ts";
import { HubNotFoundError, HubRequestError } from "./errors.ts";

let hub: HubStandIn;
beforeAll(async () => {
  hub = await startHubStandIn();
});
afterAll(() => hub?.stop());

describe("the hub client", () => {
  it("searches models and returns what a picker shows", async () => {
    const found = await searchHubModels("stories", { hubUrl: `${hub.url}/` });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      id: "hexs-demo/tiny-stories-char",
      pipelineTag: "text-generation",
      libraryName: "transformers.js",
    });
    expect(found[0]?.tags).toContain("license:mit");
  });

  it("reads a model pinned to its commit, with card data and files", async () => {
    const model = await readHubModel("hexs-demo/tiny-verse-char", { hubUrl: hub.url });
    expect(model.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(model.cardData.license).toBe("mit");
    expect(model.files).toContain("onnx/model.onnx");
    expect(model.onnx).toBe("onnx/model.onnx");
    const files = await listHubFiles(model.id, { hubUrl: hub.url, revision: model.sha });
    expect(files.find((f) => f.path === "tokenizer.json")?.size).toBeGreaterThan(0);
    const bytes = await downloadHubFile(model.id, "tokenizer.json", { hubUrl: hub.url, revision: model.sha });
    const expected = await readFile(
      new URL("../../../models/out-hf/tiny-verse-char/tokenizer.json", import.meta.url),
      "utf8",
    );
    expect(await bytes.text()).toBe(expected);
  });

  it("finds a repo's ONNX export where transformers.js would", () => {
    expect(onnxExportOf(["config.json", "onnx/model.onnx", "onnx/model_quantized.onnx"])).toBe("onnx/model.onnx");
    expect(onnxExportOf(["onnx/model_q4.onnx", "model.safetensors"])).toBe("onnx/model_q4.onnx");
    expect(onnxExportOf(["model.onnx"])).toBe("model.onnx");
    expect(onnxExportOf(["config.json", "model.safetensors", "onnx/sub/model.onnx"])).toBeUndefined();
  });

  it("names a missing model and an unreachable hub in its errors", async () => {
    await expect(readHubModel("nobody/nothing", { hubUrl: hub.url })).rejects.toBeInstanceOf(HubNotFoundError);
    await expect(downloadHubFile("hexs-demo/tiny-verse-char", "nope.bin", { hubUrl: hub.url })).rejects.toBeInstanceOf(
      HubNotFoundError,
    );
    const unreachable = await searchHubModels("x", { hubUrl: "http://127.0.0.1:9" }).catch((e: unknown) => e);
    expect(unreachable).toBeInstanceOf(HubRequestError);
    expect((unreachable as HubRequestError).shortMessage).toContain(
      "Cannot reach the Hugging Face hub at http://127.0.0.1:9",
    );
  });

  it("stops a search when its signal aborts", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(searchHubModels("tiny", { hubUrl: hub.url, signal: controller.signal })).rejects.toMatchObject({
      name: "AbortError",
    });
  });
});
