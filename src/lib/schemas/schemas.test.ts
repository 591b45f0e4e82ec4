import { describe, expect, it } from "vitest";
import { SchemaValidationError } from "./errors.ts";
import { LIMITS } from "./limits.ts";
import { parseModelCard, validateModelCard, type ModelCard } from "./modelCard.ts";
import { formatOf, parseWeightsManifest, validateWeightsManifest } from "./weightsManifest.ts";

const CID_A = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";
const CID_B = "bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354";

const card: ModelCard = {
  schema: "hexs.model-card/1",
  metadata: {
    model_name: "tiny-gpt-poetry",
    language: ["en", "pt-BR"],
    license: "apache-2.0",
    library_name: "onnxruntime",
    tags: ["text-generation", "poetry"],
    base_model: "hexs/tiny-gpt",
    base_model_relation: "finetune",
    datasets: ["hexs/poems"],
    metrics: ["perplexity"],
    pipeline_tag: "text-generation",
    "model-index": [
      {
        name: "tiny-gpt-poetry",
        results: [
          {
            task: { type: "text-generation" },
            dataset: { type: "hexs/poems", name: "Poems" },
            metrics: [{ type: "perplexity", value: 12.5 }],
          },
        ],
      },
    ],
  },
  readme: "# Tiny GPT poetry\n\nWrites short poems.",
};

function issueOf(run: () => unknown): SchemaValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof SchemaValidationError) return error;
    throw error;
  }
  throw new Error("expected a SchemaValidationError");
}

describe("model card", () => {
  it("accepts Hugging Face metadata with a README", () => {
    expect(validateModelCard(card)).toEqual(card);
    expect(parseModelCard(JSON.stringify(card))).toEqual(card);
  });

  it("keeps extra Hub keys it does not know", () => {
    const withExtra = { ...card, metadata: { ...card.metadata, co2_eq_emissions: { emissions: 1 } } };
    expect(validateModelCard(withExtra).metadata).toHaveProperty("co2_eq_emissions");
  });

  it.each([
    [{ ...card, metadata: { ...card.metadata, pipeline_tag: "mind-reading" } }, "metadata.pipeline_tag"],
    [{ ...card, metadata: { ...card.metadata, tags: ["ok", 7] } }, "metadata.tags[1]"],
    [{ ...card, metadata: { ...card.metadata, base_model: "not a repo id!" } }, "metadata.base_model"],
    [{ ...card, metadata: { ...card.metadata, language: "English" } }, "metadata.language"],
    [{ ...card, metadata: { ...card.metadata, license: "other" } }, "metadata.license_name"],
    [{ ...card, metadata: { ...card.metadata, thumbnail: "javascript:alert(1)" } }, "metadata.thumbnail"],
    [{ ...card, readme: 42 }, "readme"],
    [{ ...card, schema: "hexs.model-card/2" }, "schema"],
    [{ ...card, extra: true }, ""],
  ])("rejects a malformed card and names the field (%#)", (value, field) => {
    const error = issueOf(() => validateModelCard(value));
    expect(error.issues.map((issue) => issue.field)).toContain(field);
    expect(error.shortMessage).toMatch(/^invalid model card: /);
  });

  it("rejects an oversized card before parsing it, and an oversized README", () => {
    const huge = JSON.stringify({ ...card, readme: "x".repeat(LIMITS.modelCardBytes) });
    expect(issueOf(() => parseModelCard(huge)).shortMessage).toMatch(/over the \d+-byte limit/);
    const longReadme = { ...card, readme: "x".repeat(LIMITS.readmeChars + 1) };
    expect(issueOf(() => validateModelCard(longReadme)).issues[0]!.field).toBe("readme");
  });

  it("rejects bytes that are not JSON", () => {
    expect(issueOf(() => parseModelCard(new Uint8Array([0xff, 0xfe]))).shortMessage).toMatch(/not valid UTF-8 JSON/);
  });
});

describe("weights manifest", () => {
  const manifest = {
    schema: "hexs.weights-manifest/1",
    root: CID_B,
    files: [
      { path: "model.onnx", size: 66_000, format: "onnx", cid: CID_A },
      { path: "tokenizer.json", size: 1200, format: "tokenizer", cid: CID_A },
      { path: "shards/model-00001.safetensors", size: 5 * 1024 ** 3, format: "safetensors", cid: CID_B },
    ],
  };

  it("accepts files with sizes, formats and CIDs", () => {
    expect(validateWeightsManifest(manifest)).toEqual(manifest);
    expect(parseWeightsManifest(JSON.stringify(manifest))).toEqual(manifest);
  });

  it.each([
    [{ ...manifest, files: [{ ...manifest.files[0], cid: "Qm-not-a-cid" }] }, "files[0].cid"],
    [{ ...manifest, files: [{ ...manifest.files[0], size: -1 }] }, "files[0].size"],
    [{ ...manifest, files: [{ ...manifest.files[0], format: "pickle" }] }, "files[0].format"],
    [{ ...manifest, files: [{ ...manifest.files[0], path: "../etc/passwd" }] }, "files[0].path"],
    [{ ...manifest, files: [manifest.files[0], manifest.files[0]] }, "files[1].path"],
    [{ ...manifest, files: [] }, "files"],
  ])("rejects a malformed manifest and names the field (%#)", (value, field) => {
    expect(issueOf(() => validateWeightsManifest(value)).issues.map((issue) => issue.field)).toContain(field);
  });

  it("rejects too many files", () => {
    const files = Array.from({ length: LIMITS.manifestFiles + 1 }, (_, i) => ({
      path: `f${i}`,
      size: 1,
      format: "other",
      cid: CID_A,
    }));
    expect(issueOf(() => validateWeightsManifest({ ...manifest, files })).issues[0]!.field).toBe("files");
  });

  it("guesses formats from file names", () => {
    expect(
      ["a.onnx", "b.safetensors", "c.gguf", "d.bin", "tokenizer.json", "config.json", "x.txt"].map(formatOf),
    ).toEqual(["onnx", "safetensors", "gguf", "pytorch", "tokenizer", "config", "other"]);
  });
});
