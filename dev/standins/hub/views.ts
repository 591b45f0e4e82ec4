// The JSON the hub stand-in answers, in the Hub API's shapes: `/api/models` (search),
// `/api/models/{id}` (info, with `expand[]` as the Hub reads it) and `/api/models/{id}/tree/{rev}`.
import type { HubRepo } from "./repos.ts";

type ModelJson = Record<string, unknown>;

/** Every field `expand` may name, computed from the repo. */
function expandable(repo: HubRepo): ModelJson {
  return {
    author: repo.author,
    cardData: repo.cardData,
    createdAt: repo.createdAt,
    disabled: false,
    downloads: repo.downloads,
    downloadsAllTime: repo.downloads,
    gated: false,
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

/** `GET /api/models/{id}/tree/{rev}/{path?}`: the files under `path` (the repos are flat). */
export function treeEntries(repo: HubRepo, path: string): ModelJson[] | undefined {
  if (path !== "") return undefined;
  return [...repo.files.values()].map((file) => ({
    type: "file",
    oid: file.oid,
    size: file.bytes.length,
    path: file.path,
    ...(file.lfs ? { lfs: file.lfs } : {}),
  }));
}

function compare(a: unknown, b: unknown): number {
  return typeof a === "number" && typeof b === "number" ? a - b : String(a).localeCompare(String(b));
}
