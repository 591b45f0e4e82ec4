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

/** Reads and discards the rest of a request body, giving up (and closing) after `ms`. */
export function discardBody(req: IncomingMessage, ms = 10_000): void {
  if (req.readableEnded) return;
  const timer = setTimeout(() => req.destroy(), ms);
  req.on("end", () => clearTimeout(timer));
  req.on("close", () => clearTimeout(timer));
  req.resume();
}
