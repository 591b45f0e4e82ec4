import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { downloadFile, HubApiError, listFiles, listModels, modelInfo } from "@huggingface/hub";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHubStandIn, type HubStandIn } from "./server.ts";

let hub: HubStandIn;
beforeAll(async () => {
  hub = await startHubStandIn();
});
afterAll(() => hub?.stop());

const modelFile = (dir: string, name: string) =>
  readFile(new URL(`../../../models/out-hf/${dir}/${name}`, import.meta.url));

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe("the Hugging Face hub stand-in, through @huggingface/hub", () => {
  it("finds the shipped models by a search query, with downloads, likes, tags and task", async () => {
    const found = await collect(
      listModels({ hubUrl: hub.url, search: { query: "tiny" }, additionalFields: ["tags", "library_name"], limit: 10 }),
    );
    expect(found.map((m) => m.name).sort()).toEqual(["hexs-demo/tiny-stories-char", "hexs-demo/tiny-verse-char"]);
    const stories = found.find((m) => m.name === "hexs-demo/tiny-stories-char");
    expect(stories).toMatchObject({
      task: "text-generation",
      downloads: 0,
      likes: 0,
      private: false,
      gated: false,
      library_name: "transformers.js",
    });
    expect(stories?.tags).toEqual(
      expect.arrayContaining([
        "transformers.js",
        "gpt2",
        "onnx",
        "text-generation",
        "license:mit",
        "dataset:hexs-demo/stories",
      ]),
    );
    expect(stories?.updatedAt.getTime()).not.toBeNaN();

    const verse = await collect(listModels({ hubUrl: hub.url, search: { query: "VERSE" } }));
    expect(verse.map((m) => m.name)).toEqual(["hexs-demo/tiny-verse-char"]);
    expect(await collect(listModels({ hubUrl: hub.url, search: { query: "llama" } }))).toEqual([]);
    expect(await collect(listModels({ hubUrl: hub.url, limit: 1 }))).toHaveLength(1);
  });

  it("answers a model's info at main and at its commit sha, with the card data and file list", async () => {
    const info = await modelInfo({
      hubUrl: hub.url,
      name: "hexs-demo/tiny-stories-char",
      revision: "main",
      additionalFields: ["sha", "cardData", "filePaths", "tags"],
    });
    expect(info.name).toBe("hexs-demo/tiny-stories-char");
    expect(info.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(info.cardData).toMatchObject({
      license: "mit",
      pipeline_tag: "text-generation",
      datasets: ["hexs-demo/stories"],
    });
    expect(info.filePaths.sort()).toEqual(
      [
        "README.md",
        "config.json",
        "generation_config.json",
        "metrics.json",
        "model.safetensors",
        "onnx/model.onnx",
        "special_tokens_map.json",
        "tokenizer.json",
        "tokenizer_config.json",
      ].sort(),
    );
    // As the Hub derives them: the architecture from config.json, parameters from the safetensors header.
    const raw = (await (await fetch(`${hub.url}/api/models/hexs-demo/tiny-stories-char`)).json()) as Record<
      string,
      unknown
    >;
    expect(raw.config).toEqual({
      architectures: ["GPT2LMHeadModel"],
      model_type: "gpt2",
      tokenizer_config: { unk_token: "<unk>" },
    });
    expect(raw.safetensors).toEqual({ parameters: { F32: 116_608 }, total: 116_608 });
    expect(raw.transformersInfo).toMatchObject({ auto_model: "AutoModelForCausalLM", processor: "AutoTokenizer" });

    const atSha = await modelInfo({
      hubUrl: hub.url,
      name: "hexs-demo/tiny-stories-char",
      revision: info.sha,
      additionalFields: ["sha"],
    });
    expect(atSha.sha).toBe(info.sha);
  });

  it("lists files with git and LFS oids, and serves their exact bytes", async () => {
    const top = await collect(listFiles({ hubUrl: hub.url, repo: "hexs-demo/tiny-verse-char" }));
    expect(top[0]).toMatchObject({ type: "directory", path: "onnx", size: 0 });
    expect(top.some((f) => f.path === "onnx/model.onnx")).toBe(false);
    const files = await collect(listFiles({ hubUrl: hub.url, repo: "hexs-demo/tiny-verse-char", recursive: true }));
    const onnx = await modelFile("tiny-verse-char", "onnx/model.onnx");
    const entry = files.find((f) => f.path === "onnx/model.onnx");
    expect(entry).toMatchObject({ type: "file", size: onnx.length });
    expect(entry?.lfs?.oid).toBe(createHash("sha256").update(onnx).digest("hex"));
    const inFolder = await collect(listFiles({ hubUrl: hub.url, repo: "hexs-demo/tiny-verse-char", path: "onnx" }));
    expect(inFolder.map((f) => f.path)).toEqual(["onnx/model.onnx"]);

    const blob = await downloadFile({ hubUrl: hub.url, repo: "hexs-demo/tiny-verse-char", path: "onnx/model.onnx" });
    expect(Buffer.from(await blob!.arrayBuffer()).equals(onnx)).toBe(true);
    const tokenizer = await downloadFile({
      hubUrl: hub.url,
      repo: "hexs-demo/tiny-verse-char",
      path: "tokenizer.json",
    });
    expect(await tokenizer!.text()).toBe((await modelFile("tiny-verse-char", "tokenizer.json")).toString("utf8"));

    const [listed] = await collect(listModels({ hubUrl: hub.url, search: { query: "tiny-verse" } }));
    expect(listed?.downloads).toBe(1);
  });

  it("serves a README model card whose front matter matches the card data", async () => {
    const readme = await downloadFile({ hubUrl: hub.url, repo: "hexs-demo/tiny-stories-char", path: "README.md" });
    const text = await readme!.text();
    expect(text).toMatch(/^---\nlicense: mit\nlanguage:\n {2}- en\n/);
    expect(text).toContain("# tiny-stories-char");
    expect(text).toContain("stand-in");
  });

  it("answers 404 with the Hub's error codes for an unknown repo, revision or file", async () => {
    const error = await modelInfo({ hubUrl: hub.url, name: "nobody/nothing" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubApiError);
    expect((error as HubApiError).statusCode).toBe(404);
    expect((error as HubApiError).message).toContain("Repository not found");

    const revision = await modelInfo({ hubUrl: hub.url, name: "hexs-demo/tiny-stories-char", revision: "v9" }).catch(
      (e: unknown) => e,
    );
    expect((revision as HubApiError).statusCode).toBe(404);
    expect(
      await downloadFile({ hubUrl: hub.url, repo: "hexs-demo/tiny-stories-char", path: "missing.bin" }),
    ).toBeNull();
  });

  it("lets a browser page call it (CORS) and honours byte ranges", async () => {
    const url = `${hub.url}/hexs-demo/tiny-stories-char/resolve/main/onnx/model.onnx`;
    const preflight = await fetch(url, {
      method: "OPTIONS",
      headers: { origin: "http://site", "access-control-request-headers": "range" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("range");
    const part = await fetch(url, { headers: { range: "bytes=4-7" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(
      `bytes 4-7/${(await modelFile("tiny-stories-char", "onnx/model.onnx")).length}`,
    );
    expect(part.headers.get("access-control-expose-headers")).toContain("content-range");
    expect((await part.arrayBuffer()).byteLength).toBe(4);
  });

  it("serves a gated repo's card to anyone and its files only with a token that has access", async () => {
    const gated = await startHubStandIn({
      models: [{ id: "org/gated-verse", dir: "tiny-verse-char", gated: { grantedTokens: ["hf_granted"] } }],
    });
    try {
      const info = await modelInfo({ hubUrl: gated.url, name: "org/gated-verse" });
      expect(info.gated).toBe("manual");
      expect(await downloadFile({ hubUrl: gated.url, repo: "org/gated-verse", path: "README.md" })).not.toBeNull();
      const config = `${gated.url}/org/gated-verse/resolve/main/config.json`;
      const anonymous = await fetch(config);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get("x-error-code")).toBe("GatedRepo");
      expect(anonymous.headers.get("x-error-message")).toContain("You must have access to it and be authenticated");
      const refused = await fetch(config, { headers: { authorization: "Bearer hf_other" } });
      expect(refused.status).toBe(403);
      expect(refused.headers.get("x-error-message")).toContain("not in the authorized list");
      const granted = await fetch(config, { headers: { authorization: "Bearer hf_granted" } });
      expect(granted.status).toBe(200);
      expect(new Uint8Array(await granted.arrayBuffer())).toEqual(
        new Uint8Array(await modelFile("tiny-verse-char", "config.json")),
      );
      const viaClient = await downloadFile({ hubUrl: gated.url, repo: "org/gated-verse", path: "config.json" }).catch(
        (e: unknown) => e,
      );
      expect((viaClient as HubApiError).statusCode).toBe(401);
    } finally {
      await gated.stop();
    }
  });
});
