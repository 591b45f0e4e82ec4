// HTTP plumbing shared by the stand-in's node API and its providers' hosts: JSON answers with
// CORS open (the browser calls both from the dApp's origin), request bodies, refused upgrades.
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { RestReply } from "./rest.ts";

export const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, PUT, OPTIONS",
  "access-control-allow-headers":
    "authorization, content-type, connect-protocol-version, connect-timeout-ms, grpc-timeout, accept-encoding",
};

export function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { ...CORS, "content-type": "application/json" }).end(text);
}

/** Answers a WebSocket request with an HTTP error instead of switching protocols. */
export function refuseUpgrade(socket: Duplex, answer: RestReply): void {
  const body = JSON.stringify(answer.body);
  socket.end(
    `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? ""}\r\n` +
      `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (text += chunk));
    req.on("end", () => resolve(text));
    req.on("error", reject);
  });
}
