// How the stand-in of Console's provider proxy reaches a provider, as Console's ProviderProxy
// and WebsocketServer do. The owner's credentials go where the provider reads them: a JWT in
// `Authorization: Bearer`, a client certificate in the TLS handshake (SNI off, as Console sends
// it for mTLS). Over HTTPS any server certificate passes the handshake, since providers' are
// self-signed; then it must be the one the provider published on chain, or nothing the
// provider said is passed on.
import http from "node:http";
import https from "node:https";
import type { TLSSocket } from "node:tls";
import { WebSocket, type RawData } from "ws";
import type { CertificateRecord } from "./certificates.ts";
import { providerCertificateProblem, type CertificateProblem } from "./proxyCertificates.ts";

export type ProviderAuth = { type: "jwt"; token: string } | { type: "mtls"; certPem: string; keyPem: string };

export interface ProviderTarget {
  url: string;
  providerAddress: string;
  auth: ProviderAuth | undefined;
}

export type CertificateLookup = (owner: string, serial: string) => CertificateRecord | undefined;

export type ProviderAnswer =
  | { ok: true; status: number; body: string }
  | { ok: false; code: "invalidCertificate"; reason: CertificateProblem }
  | { ok: false; code: "connectionError" };

function credentials(auth: ProviderAuth | undefined) {
  return {
    headers: auth?.type === "jwt" ? { authorization: `Bearer ${auth.token}` } : {},
    tls: {
      rejectUnauthorized: false,
      ...(auth?.type === "mtls" ? { cert: auth.certPem, key: auth.keyPem, servername: "" } : {}),
    },
  };
}

function serverCertificateProblem(
  socket: TLSSocket,
  target: ProviderTarget,
  certificateOf: CertificateLookup,
): CertificateProblem | undefined {
  const certificate = socket.getPeerX509Certificate();
  return certificate && providerCertificateProblem(certificate, target.providerAddress, certificateOf);
}

/** One HTTP request to the provider; its answer, or why there is none. */
export function requestProvider(
  request: ProviderTarget & { method: string; body?: string; timeout: number },
  certificateOf: CertificateLookup,
): Promise<ProviderAnswer> {
  const secure = new URL(request.url).protocol === "https:";
  const { headers, tls } = credentials(request.auth);
  return new Promise((resolve) => {
    const failed = () => resolve({ ok: false, code: "connectionError" });
    const req = (secure ? https : http).request(
      request.url,
      {
        method: request.method,
        headers: { "content-type": "application/json", ...headers },
        timeout: request.timeout,
        // A fresh connection per request: every answer follows a full handshake whose server
        // certificate can be checked (Console drops its cached agent when a check fails).
        agent: false,
        ...(secure ? tls : {}),
      },
      (res) => {
        const problem = secure ? serverCertificateProblem(res.socket as TLSSocket, request, certificateOf) : undefined;
        if (problem) {
          res.destroy();
          return resolve({ ok: false, code: "invalidCertificate", reason: problem });
        }
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ ok: true, status: res.statusCode ?? 0, body }));
        res.on("error", failed);
      },
    );
    req.on("timeout", () => req.destroy());
    req.on("error", failed);
    if (request.body !== undefined && request.method !== "GET") req.write(request.body);
    req.end();
  });
}

/**
 * Opens the provider's WebSocket and relays what it sends to `send`, in Console's message
 * shapes. A provider whose certificate fails the check is closed with 1008
 * "invalidCertificate.<reason>" before anything it sent is relayed.
 */
export function openProviderSocket(
  target: ProviderTarget,
  send: (message: object) => void,
  certificateOf: CertificateLookup,
): WebSocket {
  const url = target.url.replace(/^http/, "ws");
  const { headers, tls } = credentials(target.auth);
  const provider = new WebSocket(url, { headers, ...(url.startsWith("wss:") ? tls : {}) });
  let problem: CertificateProblem | undefined;
  provider.on("upgrade", (response) => {
    if (url.startsWith("wss:")) problem = serverCertificateProblem(response.socket as TLSSocket, target, certificateOf);
  });
  provider.on("open", () => problem && provider.close(1008, `invalidCertificate.${problem}`));
  // Relayed as received: a Buffer, which JSON turns into {type:"Buffer", data:[…]}, as Console does.
  provider.on("message", (data: RawData) => {
    if (problem || (data as Buffer).length === 0) return;
    send({ type: "websocket", message: data });
  });
  provider.on("error", (error) =>
    send({ type: "websocket", message: error.message, error: "Received error from provider websocket" }),
  );
  provider.on("close", (code, reason) => {
    // The refused provider may have closed first with its own code: the client hears ours.
    if (problem) [code, reason] = [1008, Buffer.from(`invalidCertificate.${problem}`)];
    send({ type: "websocket", message: "", closed: true, code, reason });
  });
  return provider;
}
