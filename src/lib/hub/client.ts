// Base models from the Hugging Face hub, through `@huggingface/hub`, at the hub URL from the
// settings (huggingface.co, or the local stand-in `npm start` runs). Browser-safe: plain fetch.
import { downloadFile, HubApiError, listFiles, listModels, modelInfo } from "@huggingface/hub";
import { HubNotFoundError, HubRequestError } from "./errors.ts";

export interface HubCallOptions {
  /** Base URL of the hub, e.g. https://huggingface.co. */
  hubUrl: string;
  signal?: AbortSignal;
}

/** One search result, as a model picker shows it. */
export interface HubModelSummary {
  /** `org/name`. */
  id: string;
  downloads: number;
  likes: number;
  tags: string[];
  pipelineTag: string | undefined;
  libraryName: string | undefined;
  updatedAt: Date;
}

export interface HubModel extends HubModelSummary {
  /** The commit the revision resolved to: record this, not "main", so the base is pinned. */
  sha: string;
  /** The README's front matter (model card metadata) as the hub parsed it. */
  cardData: Record<string, unknown>;
  files: string[];
  /** The ONNX export the playground and the gateway run (`onnx/model.onnx` as Optimum writes it), if any. */
  onnx: string | undefined;
}

/**
 * The repo's ONNX decoder, as transformers.js looks for it: `onnx/model.onnx` first, then another
 * full-precision or quantized export under onnx/, then a `model.onnx` at the top.
 */
export function onnxExportOf(files: readonly string[]): string | undefined {
  if (files.includes("onnx/model.onnx")) return "onnx/model.onnx";
  return (
    files.find((path) => /^onnx\/[^/]+\.onnx$/.test(path)) ?? (files.includes("model.onnx") ? "model.onnx" : undefined)
  );
}

export interface HubFileEntry {
  path: string;
  size: number;
}

const SEARCH_LIMIT = 20;

/**
 * Models whose id contains `query`, most downloaded first.
 * @example const models = await searchHubModels("llama", { hubUrl: settings.current.hubUrl, signal })
 */
export async function searchHubModels(
  query: string,
  options: HubCallOptions & { limit?: number },
): Promise<HubModelSummary[]> {
  return call(`search "${query}"`, options, async (fetch) => {
    const found: HubModelSummary[] = [];
    const models = listModels({
      hubUrl: trimmed(options.hubUrl),
      search: { query },
      sort: "downloads",
      limit: options.limit ?? SEARCH_LIMIT,
      additionalFields: ["tags", "library_name"],
      fetch,
    });
    for await (const model of models) {
      found.push({
        id: model.name,
        downloads: model.downloads,
        likes: model.likes,
        tags: model.tags ?? [],
        pipelineTag: model.task,
        libraryName: model.library_name,
        updatedAt: model.updatedAt,
      });
    }
    return found;
  });
}

/** A model's info at `revision` (default main), with its commit sha, card data and files. */
export async function readHubModel(id: string, options: HubCallOptions & { revision?: string }): Promise<HubModel> {
  return call(`model ${id}`, options, async (fetch) => {
    const model = await modelInfo({
      hubUrl: trimmed(options.hubUrl),
      name: id,
      revision: options.revision ?? "main",
      additionalFields: ["sha", "cardData", "filePaths", "tags", "library_name"],
      fetch,
    });
    return {
      id: model.name,
      downloads: model.downloads,
      likes: model.likes,
      tags: model.tags ?? [],
      pipelineTag: model.task,
      libraryName: model.library_name,
      updatedAt: model.updatedAt,
      sha: model.sha,
      cardData: (model.cardData ?? {}) as Record<string, unknown>,
      files: model.filePaths,
      onnx: onnxExportOf(model.filePaths),
    };
  });
}

/** The files at the top of a model repo, with their sizes. */
export async function listHubFiles(
  id: string,
  options: HubCallOptions & { revision?: string },
): Promise<HubFileEntry[]> {
  return call(`files of ${id}`, options, async (fetch) => {
    const files: HubFileEntry[] = [];
    for await (const entry of listFiles({
      hubUrl: trimmed(options.hubUrl),
      repo: id,
      revision: options.revision,
      fetch,
    })) {
      if (entry.type === "file") files.push({ path: entry.path, size: entry.size });
    }
    return files;
  });
}

/** One file's bytes; pin `revision` to the sha from {@link readHubModel} so the bytes cannot move. */
export async function downloadHubFile(
  id: string,
  path: string,
  options: HubCallOptions & { revision?: string },
): Promise<Blob> {
  return call(`${id}/${path}`, options, async (fetch) => {
    const blob = await downloadFile({
      hubUrl: trimmed(options.hubUrl),
      repo: id,
      path,
      revision: options.revision,
      fetch,
    });
    if (!blob) throw new HubNotFoundError(`The hub has no file ${path} in ${id}.`, { status: 404 });
    // The client's blob is lazy (read on demand); read it now so errors surface here.
    return new Blob([await blob.arrayBuffer()]);
  });
}

/** Runs a hub call with `signal` on every request, and turns its failures into HubRequestErrors. */
async function call<T>(
  what: string,
  options: HubCallOptions,
  run: (fetch: typeof globalThis.fetch) => Promise<T>,
): Promise<T> {
  const fetchWithSignal: typeof globalThis.fetch = (input, init) =>
    globalThis.fetch(input, { ...init, signal: options.signal });
  try {
    return await run(fetchWithSignal);
  } catch (error) {
    if (error instanceof HubRequestError || (error instanceof DOMException && error.name === "AbortError")) throw error;
    if (error instanceof HubApiError) {
      const Failure = error.statusCode === 404 ? HubNotFoundError : HubRequestError;
      const message =
        error.statusCode === 404 ? `The hub has no ${what}.` : `The hub answered HTTP ${error.statusCode} for ${what}.`;
      throw new Failure(message, { status: error.statusCode, details: error.message, cause: error });
    }
    throw new HubRequestError(`Cannot reach the Hugging Face hub at ${options.hubUrl}. Check it in Settings.`, {
      details: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  }
}

function trimmed(url: string): string {
  return url.replace(/\/+$/, "");
}
