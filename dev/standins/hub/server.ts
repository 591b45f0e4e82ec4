// The local Hugging Face hub stand-in: a STAND-IN for the part of the huggingface.co HTTP API
// that `@huggingface/hub` uses to search models, read a model's info, list and download its
// files, on 127.0.0.1, serving the tiny models this repository ships (see repos.ts). It is not
// the Hub: no accounts, uploads, likes, gated repos or xet storage; downloads are counted
// only while it runs. Answers keep the Hub's shapes, status codes and X-Error-Code headers.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { loadRepos, type HubModelSource, type HubRepo } from "./repos.ts";
import { listModels, modelInfo, treeEntries } from "./views.ts";

export interface HubStandInOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  models?: readonly HubModelSource[];
}

export interface HubStandIn {
  /** Base URL, the `hubUrl` of `@huggingface/hub` calls (e.g. http://127.0.0.1:8091). */
  url: string;
  stop(): Promise<void>;
}

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, HEAD, OPTIONS",
  "access-control-allow-headers": "authorization, content-type, range, accept",
  "access-control-expose-headers":
    "content-range, content-length, accept-ranges, etag, link, x-repo-commit, x-error-code, x-error-message, x-linked-etag, x-linked-size",
};

export async function startHubStandIn(options: HubStandInOptions = {}): Promise<HubStandIn> {
  const repos = await loadRepos(options.models);
  const server = createServer((request, response) => {
    try {
      route(repos, request, response);
    } catch (error) {
      sendError(response, 500, "InternalError", error instanceof Error ? error.message : String(error));
    }
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function route(repos: Map<string, HubRepo>, request: IncomingMessage, response: ServerResponse): void {
  if (request.method === "OPTIONS") {
    response.writeHead(204, CORS).end();
    return;
  }
  if (request.method !== "GET" && request.method !== "HEAD") {
    sendError(response, 405, "MethodNotAllowed", `${request.method} is not served by the hub stand-in`);
    return;
  }
  const url = new URL(request.url ?? "/", "http://stand-in");
  const path = url.pathname
    .split("/")
    .map(decodeURIComponent)
    .filter((s) => s !== "");

  if (path[0] === "api" && path[1] === "models") {
    if (path.length === 2) {
      sendJson(response, 200, listModels([...repos.values()], url.searchParams));
      return;
    }
    const repo = findRepo(repos, response, `${path[2]}/${path[3]}`);
    if (!repo) return;
    const [, , , , view, revision, ...rest] = path;
    if (view === undefined || view === "revision") {
      if (view === "revision" && !checkRevision(repo, response, revision ?? "")) return;
      sendJson(response, 200, modelInfo(repo, url.searchParams.getAll("expand")));
    } else if (view === "tree") {
      if (!checkRevision(repo, response, revision ?? "main")) return;
      const entries = treeEntries(repo, rest.join("/"), url.searchParams.get("recursive") === "true");
      if (entries === undefined)
        sendError(response, 404, "EntryNotFound", `${rest.join("/")} does not exist on "${revision}"`);
      else sendJson(response, 200, entries);
    } else {
      sendError(response, 404, "NotFound", `no route ${url.pathname}`);
    }
    return;
  }

  // /{org}/{name}/resolve/{revision}/{path}
  if (path[2] === "resolve" && path.length >= 5) {
    const repo = findRepo(repos, response, `${path[0]}/${path[1]}`);
    if (!repo || !checkRevision(repo, response, path[3] ?? "")) return;
    sendFile(repo, path.slice(4).join("/"), request, response);
    return;
  }
  sendError(response, 404, "NotFound", `no route ${url.pathname}`);
}

function findRepo(repos: Map<string, HubRepo>, response: ServerResponse, id: string): HubRepo | undefined {
  const repo = repos.get(id);
  if (!repo) sendError(response, 404, "RepoNotFound", `Repository not found: ${id}`);
  return repo;
}

/** The stand-in's repos have one commit: `main`, `HEAD` and its sha name it. */
function checkRevision(repo: HubRepo, response: ServerResponse, revision: string): boolean {
  if (revision === "main" || revision === "HEAD" || revision === repo.sha) return true;
  sendError(response, 404, "RevisionNotFound", `Invalid rev id: ${revision}`);
  return false;
}

/** Files anyone may read from a gated repo: the card and the attributes, as on the Hub. */
const UNGATED_FILES = new Set(["README.md", ".gitattributes"]);

/**
 * A gated repo's files need a token with access: none is 401, one
 * without access 403, both with X-Error-Code GatedRepo, which huggingface_hub turns into
 * GatedRepoError (utils/_http.py, hf_raise_for_status).
 */
function gateAllows(repo: HubRepo, filePath: string, request: IncomingMessage, response: ServerResponse): boolean {
  if (!repo.grantedTokens || UNGATED_FILES.has(filePath)) return true;
  const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
  if (token && repo.grantedTokens.includes(token)) return true;
  if (!token)
    sendError(
      response,
      401,
      "GatedRepo",
      `Access to model ${repo.id} is restricted. You must have access to it and be authenticated to access it. Please log in.`,
    );
  else
    sendError(
      response,
      403,
      "GatedRepo",
      `Access to model ${repo.id} is restricted and you are not in the authorized list. Visit https://huggingface.co/${repo.id} to ask for access.`,
    );
  return false;
}

function sendFile(repo: HubRepo, filePath: string, request: IncomingMessage, response: ServerResponse): void {
  if (!gateAllows(repo, filePath, request, response)) return;
  const file = repo.files.get(filePath);
  if (!file) {
    sendError(response, 404, "EntryNotFound", `${filePath} does not exist on "main"`);
    return;
  }
  const size = file.bytes.length;
  const etag = `"${file.lfs?.oid ?? file.oid}"`;
  const headers: Record<string, string> = {
    ...CORS,
    "content-type": filePath.endsWith(".json")
      ? "application/json"
      : filePath.endsWith(".md")
        ? "text/markdown; charset=utf-8"
        : "application/octet-stream",
    "accept-ranges": "bytes",
    etag,
    "x-repo-commit": repo.sha,
    ...(file.lfs ? { "x-linked-etag": etag, "x-linked-size": String(size) } : {}),
  };
  const range = parseRange(request.headers.range, size);
  if (range === "invalid") {
    response.writeHead(416, { ...headers, "content-range": `bytes */${size}` }).end();
    return;
  }
  const [start, end] = range ?? [0, size - 1];
  // A download, as the Hub counts them: a GET of the weights, not a one-byte size probe.
  if (request.method === "GET" && file.lfs && start === 0 && end > 0) repo.downloads += 1;
  const body = file.bytes.subarray(start, end + 1);
  response.writeHead(range ? 206 : 200, {
    ...headers,
    "content-length": String(body.length),
    ...(range ? { "content-range": `bytes ${start}-${end}/${size}` } : {}),
  });
  response.end(request.method === "HEAD" ? undefined : body);
}

/** One `bytes=a-b`, `bytes=a-` or `bytes=-n` range (what the client sends), clamped to the file. */
function parseRange(header: string | undefined, size: number): [number, number] | "invalid" | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return "invalid";
  const [first, last] = [match[1] ?? "", match[2] ?? ""];
  const start = first === "" ? Math.max(0, size - Number(last)) : Number(first);
  const end = first === "" || last === "" ? size - 1 : Math.min(Number(last), size - 1);
  return start > end || start >= size ? "invalid" : [start, end];
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { ...CORS, "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
}

function sendError(response: ServerResponse, status: number, code: string, message: string): void {
  response
    .writeHead(status, {
      ...CORS,
      "content-type": "application/json; charset=utf-8",
      "x-error-code": code,
      "x-error-message": message,
    })
    .end(JSON.stringify({ error: message }));
}
