// The repositories the Hugging Face hub stand-in serves: the tiny models this repository trains,
// in the Hugging Face layout (models/out-hf/<dir>: config, tokenizers tokenizer, safetensors,
// onnx/model.onnx), read from disk once at start, with a README model card generated from their
// training record and metrics.json (models/out/<dir>). Oids and the commit sha are real hashes of the
// content, computed the way git and git-lfs compute them, so they change when a model does.
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { HF_FOLDER_FILES } from "../../../models/hf/writeFolder.ts";
import { renderReadme, type CardData } from "./modelCard.ts";

/** A model the stand-in serves: its Hub id and the folder under models/out it comes from. */
export interface HubModelSource {
  id: string;
  dir: string;
  /** A gated repo: its files (all but the card) only for a request bearing one of these tokens. */
  gated?: { grantedTokens: readonly string[] };
}

export const DEMO_MODELS: readonly HubModelSource[] = [
  { id: "hexs-demo/tiny-stories-char", dir: "tiny-stories-char" },
  { id: "hexs-demo/tiny-verse-char", dir: "tiny-verse-char" },
];

export interface HubFile {
  path: string;
  bytes: Uint8Array;
  /** git blob sha1 (of the LFS pointer for LFS files, as on the Hub). */
  oid: string;
  lfs?: { oid: string; size: number; pointerSize: number };
}

export interface HubRepo {
  /** `org/name`. */
  id: string;
  /** A stable object id in the Hub's 24-hex-digit format. */
  objectId: string;
  author: string;
  /** The commit `main` points to: a hash over every file's oid. */
  sha: string;
  createdAt: string;
  lastModified: string;
  cardData: CardData;
  tags: string[];
  files: Map<string, HubFile>;
  /** Tokens with access to a gated repo; undefined for a public one. */
  grantedTokens?: readonly string[];
  downloads: number;
  likes: number;
}

const MODELS_OUT = new URL("../../../models/out/", import.meta.url);
const MODELS_HF = new URL("../../../models/out-hf/", import.meta.url);
/** Binary files are stored with git-lfs on the Hub (its default .gitattributes). */
const LFS_SUFFIXES = [".onnx", ".safetensors", ".bin", ".gguf"];

export async function loadRepos(sources: readonly HubModelSource[] = DEMO_MODELS): Promise<Map<string, HubRepo>> {
  const repos = new Map<string, HubRepo>();
  for (const source of sources) repos.set(source.id, await loadRepo(source));
  return repos;
}

async function loadRepo(source: HubModelSource): Promise<HubRepo> {
  const record = new URL(`${source.dir}/`, MODELS_OUT);
  const folder = new URL(`${source.dir}/`, MODELS_HF);
  const [description, metrics] = await Promise.all([
    readFile(new URL("tokenizer.json", record), "utf8"),
    readFile(new URL("metrics.json", record)),
  ]);
  const modified = (await stat(new URL("model.safetensors", folder))).mtime.toISOString();
  const { cardData, readme } = renderReadme(source.id, JSON.parse(description), JSON.parse(metrics.toString("utf8")));

  const files = new Map<string, HubFile>();
  files.set("README.md", hubFile("README.md", new TextEncoder().encode(readme)));
  for (const path of HF_FOLDER_FILES.filter((name) => name !== "README.md"))
    files.set(path, hubFile(path, new Uint8Array(await readFile(new URL(path, folder)))));
  files.set("metrics.json", hubFile("metrics.json", new Uint8Array(metrics)));
  const sha = sha1(
    [...files.values()]
      .map((file) => `${file.path} ${file.oid}`)
      .sort()
      .join("\n"),
  );
  const [author = source.id] = source.id.split("/");
  return {
    id: source.id,
    objectId: sha1(`model:${source.id}`).slice(0, 24),
    author,
    sha,
    createdAt: modified,
    lastModified: modified,
    cardData,
    tags: hubTags(cardData),
    files,
    ...(source.gated ? { grantedTokens: source.gated.grantedTokens } : {}),
    downloads: 0,
    likes: 0,
  };
}

function hubFile(path: string, bytes: Uint8Array): HubFile {
  if (!LFS_SUFFIXES.some((suffix) => path.endsWith(suffix))) return { path, bytes, oid: gitBlobOid(bytes) };
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const pointer = new TextEncoder().encode(
    `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${bytes.length}\n`,
  );
  return {
    path,
    bytes,
    oid: gitBlobOid(pointer),
    lfs: { oid: sha256, size: bytes.length, pointerSize: pointer.length },
  };
}

/** The tags the Hub derives from a card: its own tags plus library, task, language, licence, data sets. */
function hubTags(card: CardData): string[] {
  return [
    card.library_name,
    ...card.tags,
    card.pipeline_tag,
    ...card.language,
    `license:${card.license}`,
    ...card.datasets.map((dataset) => `dataset:${dataset}`),
    "region:us",
  ];
}

function gitBlobOid(bytes: Uint8Array): string {
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

function sha1(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}
