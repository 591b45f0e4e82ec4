// Small HTTP helpers shared by the Kubo RPC and the gateway: CORS on every answer, errors as
// Kubo-shaped JSON (RPC) or plain text (gateway).
import type { IncomingMessage, ServerResponse } from "node:http";

export const CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, HEAD, POST, OPTIONS",
  "Access-Control-Allow-Headers": "Authorization, Content-Type, Range, User-Agent, X-Requested-With, Accept",
  "Access-Control-Expose-Headers":
    "Content-Length, Content-Range, Etag, X-Ipfs-Path, X-Ipfs-Roots, X-Chunked-Output, X-Stream-Output, X-Stream-Error",
} as const;

/** An error whose message is safe to show the client, with the HTTP status it maps to. */
export class HttpError extends Error {
  override name = "HttpError";
  readonly status: number;

  constructor(status: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { ...CORS_HEADERS, "Content-Type": "application/json" });
  res.end(JSON.stringify(body) + "\n");
}

/** Kubo answers RPC errors as `{"Message","Code","Type":"error"}`. */
export function sendRpcError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) return void res.destroy();
  sendJson(res, status, { Message: message, Code: 0, Type: "error" });
}

export function sendText(res: ServerResponse, status: number, message: string, head = false): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { ...CORS_HEADERS, "Content-Type": "text/plain; charset=utf-8" });
  res.end(head ? undefined : message + "\n");
}

/** How much of a refused request's body is read after the answer before the connection is closed instead. */
export const DRAIN_LIMIT_BYTES = 256 * 1024 * 1024;

/**
 * Reads and discards the rest of a request body, answered or about to be. A client still sending
 * when its connection is closed can take the reset before it reads the answer (a "network error"
 * in place of the 400 or 413), so the node reads on to the body's end and keeps the connection;
 * it gives up, closing it, after `maxBytes` more or `idleMs` without data.
 */
export function discardBody(req: IncomingMessage, { maxBytes = DRAIN_LIMIT_BYTES, idleMs = 10_000 } = {}): void {
  if (req.readableEnded) return;
  let read = 0;
  let idle = setTimeout(() => req.destroy(), idleMs);
  const stop = () => clearTimeout(idle);
  req.on("data", (chunk: Buffer) => {
    read += chunk.length;
    if (read > maxBytes) return void (stop(), req.destroy());
    clearTimeout(idle);
    idle = setTimeout(() => req.destroy(), idleMs);
  });
  req.on("end", stop);
  req.on("close", stop);
  req.resume();
}
