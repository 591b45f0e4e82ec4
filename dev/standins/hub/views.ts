// The JSON the hub stand-in answers, in the Hub API's shapes: `/api/models` (search),
// `/api/models/{id}` (info, with `expand[]` as the Hub reads it) and `/api/models/{id}/tree/{rev}`.
import { createHash } from "node:crypto";
import { decodeSafetensorsHeader } from "../../../src/lib/hf/safetensors.ts";
import type { HubRepo } from "./repos.ts";

type ModelJson = Record<string, unknown>;

/** What the Hub derives from a repo's files (its config, parameter counts), read once per repo. */
const fileFacts = new WeakMap<HubRepo, ModelJson>();

function factsFromFiles(repo: HubRepo): ModelJson {
  const known = fileFacts.get(repo);
  if (known) return known;
  const config = jsonFile(repo, "config.json");
  const tokenizerConfig = jsonFile(repo, "tokenizer_config.json");
  const weights = repo.files.get("model.safetensors");
  const facts: ModelJson = {
    ...(config && {
      config: {
        architectures: config.architectures,
        model_type: config.model_type,
        ...(tokenizerConfig && {
          tokenizer_config: pick(tokenizerConfig, [
            "unk_token",
            "bos_token",
            "eos_token",
            "pad_token",
            "chat_template",
          ]),
        }),
      },
      transformersInfo: {
        auto_model: "AutoModelForCausalLM",
        pipeline_tag: repo.cardData.pipeline_tag,
        processor: "AutoTokenizer",
      },
    }),
    ...(weights && { safetensors: safetensorsSummary(weights.bytes) }),
  };
  fileFacts.set(repo, facts);
  return facts;
}

/** Every field `expand` may name, computed from the repo. */
function expandable(repo: HubRepo): ModelJson {
  return {
    ...factsFromFiles(repo),
    author: repo.author,
    cardData: repo.cardData,
    createdAt: repo.createdAt,
    disabled: false,
    downloads: repo.downloads,
    downloadsAllTime: repo.downloads,
    // The Hub's values: false, "auto" (approved at once) or "manual" (the author approves).
    gated: repo.grantedTokens ? "manual" : false,
    lastModified: repo.lastModified,
    library_name: repo.cardData.library_name,
    likes: repo.likes,
    "model-index": repo.cardData["model-index"],
    pipeline_tag: repo.cardData.pipeline_tag,
    private: false,
    sha: repo.sha,
    siblings: [...repo.files.keys()].map((rfilename) => ({ rfilename })),
    spaces: [],
    tags: repo.tags,
    trendingScore: 0,
    usedStorage: [...repo.files.values()].reduce((sum, file) => sum + file.bytes.length, 0),
  };
}

/** With `expand`, the Hub answers `_id`, `id` and exactly the expanded fields; without, its default set. */
function project(repo: HubRepo, expand: string[], defaults: string[]): ModelJson {
  const all = expandable(repo);
  const keys = expand.length > 0 ? expand : defaults;
  const out: ModelJson = { _id: repo.objectId, id: repo.id };
  for (const key of keys) if (key in all) out[key] = all[key];
  if (expand.length === 0) out.modelId = repo.id;
  return out;
}

const LIST_DEFAULTS = [
  "likes",
  "trendingScore",
  "private",
  "downloads",
  "tags",
  "pipeline_tag",
  "library_name",
  "createdAt",
];
const INFO_DEFAULTS = [
  "author",
  "config",
  "transformersInfo",
  "safetensors",
  "sha",
  "lastModified",
  "private",
  "disabled",
  "gated",
  "pipeline_tag",
  "tags",
  "downloads",
  "library_name",
  "likes",
  "cardData",
  "siblings",
  "spaces",
  "createdAt",
  "usedStorage",
];
const SORTABLE = new Set(["downloads", "likes", "createdAt", "lastModified", "id", "trendingScore"]);

/** `GET /api/models?search=&author=&filter=&pipeline_tag=&sort=&direction=&limit=&expand=`. */
export function listModels(repos: HubRepo[], params: URLSearchParams): ModelJson[] {
  const search = params.get("search")?.toLowerCase() ?? "";
  const author = params.get("author");
  const task = params.get("pipeline_tag");
  const filters = params.getAll("filter");
  let found = repos.filter(
    (repo) =>
      repo.id.toLowerCase().includes(search) &&
      (!author || repo.author === author) &&
      (!task || repo.cardData.pipeline_tag === task) &&
      filters.every((tag) => repo.tags.includes(tag)),
  );
  const sort = params.get("sort");
  if (sort && SORTABLE.has(sort)) {
    // The Hub sorts descending unless direction=1.
    const direction = params.get("direction") === "1" ? 1 : -1;
    const key = (repo: HubRepo) => expandable(repo)[sort] ?? repo.id;
    found = found.toSorted((a, b) => direction * compare(key(a), key(b)));
  }
  const limit = Number(params.get("limit") ?? "") || 1000;
  return found.slice(0, Math.max(1, limit)).map((repo) => project(repo, params.getAll("expand"), LIST_DEFAULTS));
}

/** `GET /api/models/{id}` and `/api/models/{id}/revision/{rev}`. */
export function modelInfo(repo: HubRepo, expand: string[]): ModelJson {
  return project(repo, expand, INFO_DEFAULTS);
}

/**
 * `GET /api/models/{id}/tree/{rev}/{path?}[?recursive=true]`: the files and folders right under
 * `path` (every file below it when recursive), folders first as the Hub lists them.
 */
export function treeEntries(repo: HubRepo, path: string, recursive = false): ModelJson[] | undefined {
  const prefix = path === "" ? "" : `${path.replace(/\/+$/, "")}/`;
  const below = [...repo.files.values()].filter((file) => file.path.startsWith(prefix));
  if (below.length === 0) return undefined;
  const folders = new Set<string>();
  const files: ModelJson[] = [];
  for (const file of below) {
    const rest = file.path.slice(prefix.length);
    if (!recursive && rest.includes("/")) {
      folders.add(prefix + rest.slice(0, rest.indexOf("/")));
      continue;
    }
    for (let cut = rest.indexOf("/"); cut !== -1; cut = rest.indexOf("/", cut + 1))
      folders.add(prefix + rest.slice(0, cut));
    files.push({
      type: "file",
      oid: file.oid,
      size: file.bytes.length,
      path: file.path,
      ...(file.lfs ? { lfs: file.lfs } : {}),
    });
  }
  const directories = [...folders]
    .sort()
    .map((folder) => ({ type: "directory", oid: folderOid(repo, folder), size: 0, path: folder }));
  return [...directories, ...files];
}

/** A folder's oid: a hash of what it holds, as a git tree's is. */
function folderOid(repo: HubRepo, folder: string): string {
  const inside = [...repo.files.values()].filter((file) => file.path.startsWith(`${folder}/`));
  return createHash("sha1")
    .update(inside.map((file) => `${file.path} ${file.oid}`).join("\n"))
    .digest("hex");
}

/** The Hub's `safetensors` field: parameter counts by dtype, from the file's header. */
function safetensorsSummary(bytes: Uint8Array): { parameters: Record<string, number>; total: number } {
  const parameters: Record<string, number> = {};
  for (const { dtype, shape } of decodeSafetensorsHeader(bytes).tensors.values())
    parameters[dtype] = (parameters[dtype] ?? 0) + shape.reduce((a, b) => a * b, 1);
  return { parameters, total: Object.values(parameters).reduce((a, b) => a + b, 0) };
}

function jsonFile(repo: HubRepo, path: string): Record<string, unknown> | undefined {
  const file = repo.files.get(path);
  return file && (JSON.parse(new TextDecoder().decode(file.bytes)) as Record<string, unknown>);
}

function pick(object: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => object[key] !== undefined).map((key) => [key, object[key]]));
}

function compare(a: unknown, b: unknown): number {
  return typeof a === "number" && typeof b === "number" ? a - b : String(a).localeCompare(String(b));
}
