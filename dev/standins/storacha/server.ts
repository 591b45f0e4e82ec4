// The Storacha stand-in: a STAND-IN for the Storacha (w3up) upload service at
// up.storacha.network, on 127.0.0.1, running Storacha's own service code (service.ts). The
// unmodified `@storacha/client` reaches it by configuration only: the service URL and DID
// (for the access, upload, filecoin and gateway connections) and the receipts endpoint
// `<url>/receipt/`. It answers:
//   POST /                       ucanto HTTP transport (CAR agent messages): every capability
//   GET  /receipt/<task CID>     receipts of executed tasks (receipts.ts)
//   GET  /validate-email?ucan=…  the login link the service would mail (login.ts)
// Blob bytes go to the storage nodes' own loopback URLs that `blob/allocate` hands out.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { confirmLogin, standInEmail } from "./login.ts";
import { loopbackHttp } from "./loopbackHttp.ts";
import { receiptFor } from "./receipts.ts";
import { createStorachaService, type StorachaService } from "./service.ts";

export interface StorachaStandInOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Confirm login links at once (default true); false: the link is only logged. */
  autoConfirmLogin?: boolean;
  /** Emails whose login the service refuses (AccountBlocked), as the real service's block list does. */
  blockedEmails?: readonly string[];
  /** Where the stand-in says what it does instead of the real service (default: console.log). */
  log?: (line: string) => void;
}

export interface StorachaStandIn {
  /** Service URL: the access, upload, filecoin and gateway connections' URL. */
  url: string;
  /** Service DID the client must address its invocations to. */
  did: `did:${string}:${string}`;
  /** Receipts endpoint, `${url}/receipt/`. */
  receiptsUrl: string;
  service: StorachaService;
  stop(): Promise<void>;
}

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, OPTIONS",
  "access-control-allow-headers": "*",
  "access-control-expose-headers": "*",
};

/** The largest agent message accepted: invocations are small, blob bytes never come here. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export async function startStorachaStandIn(options: StorachaStandInOptions = {}): Promise<StorachaStandIn> {
  const log = options.log ?? ((line: string) => console.log(`storacha stand-in: ${line}`));
  const http = createServer((request, response) => {
    route(service, request, response).catch((error: unknown) => {
      log(`${request.method} ${request.url}: ${(error as Error).message}`);
      if (!response.headersSent) sendText(response, 500, (error as Error).message);
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const storageHttp = loopbackHttp();
  const service: StorachaService = await createStorachaService({
    url: new URL(url),
    email: standInEmail(() => service, { autoConfirm: options.autoConfirmLogin ?? true, log }),
    http: storageHttp,
    onError: (error) => log(`service error: ${(error as Error).message ?? String(error)}`),
  });
  for (const email of options.blockedEmails ?? []) await service.context.rateLimitsStorage.add(email, 0);
  return {
    url,
    did: service.did,
    receiptsUrl: `${url}/receipt/`,
    service,
    stop: async () => {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await service.stop();
      for (const server of storageHttp.servers) server.closeAllConnections();
    },
  };
}

async function route(service: StorachaService, request: IncomingMessage, response: ServerResponse): Promise<void> {
  for (const [name, value] of Object.entries(CORS)) response.setHeader(name, value);
  const url = new URL(request.url ?? "/", "http://stand-in");
  if (request.method === "OPTIONS") {
    response.writeHead(204).end();
    return;
  }
  if (request.method === "POST" && url.pathname === "/") {
    const body = await readBody(request, MAX_MESSAGE_BYTES);
    if (body === undefined) return sendText(response, 413, `agent message over ${MAX_MESSAGE_BYTES} bytes`);
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));
    const answer = await service.server.request({ headers, body });
    response.writeHead(answer.status ?? 200, answer.headers).end(answer.body);
    return;
  }
  if (request.method === "GET" && url.pathname.startsWith("/receipt/")) {
    const answer = await receiptFor(service.context.agentStore, url.pathname.slice("/receipt/".length));
    if (answer.status !== 200) return sendText(response, answer.status, answer.message);
    response.writeHead(200, { "content-type": "application/vnd.ipld.car" }).end(answer.body);
    return;
  }
  if (request.method === "GET" && url.pathname === "/validate-email") {
    const account = await confirmLogin(service, url).catch((error: unknown) => error as Error);
    if (account instanceof Error) return sendText(response, 400, `login not confirmed: ${account.message}`);
    return sendText(response, 200, `Logged in as ${account} (Storacha stand-in). You can close this page.`);
  }
  sendText(response, 404, `${request.method} ${url.pathname} is not served by the Storacha stand-in`);
}

async function readBody(request: IncomingMessage, limit: number): Promise<Uint8Array | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { "content-type": "text/plain; charset=utf-8" }).end(text);
}
