// How the proxy reaches a provider, as Console's ProviderProxy and WebsocketServer do. The owner's
// credentials go where the provider reads them: a JWT in `Authorization: Bearer`, a client
// certificate in the TLS handshake (SNI off, as Console sends it for mTLS). Over HTTPS any server
// certificate passes the handshake, since providers' are self-signed; then it must be the one the
// provider published on chain, or nothing the provider said is passed on.
import http from "node:http";
import https from "node:https";
import type { TLSSocket } from "node:tls";
import { WebSocket, type RawData } from "ws";
import { providerCertificateProblem, type CertificateProblem, type PublishedCertificate } from "./certificates.ts";
import { ChainQueryFailed } from "./chain.ts";
import { providerLookup, type NetworkPolicy } from "./network.ts";
import { withRetries } from "./retry.ts";

export type ProviderAuth = { type: "jwt"; token: string } | { type: "mtls"; certPem: string; keyPem: string };

export interface ProviderTarget {
  url: string;
  providerAddress: string;
  auth: ProviderAuth | undefined;
}

export type ProviderAnswer =
  | { ok: true; status: number; body: string; contentType: string | undefined }
  | { ok: false; code: "invalidCertificate"; reason: CertificateProblem }
  | { ok: false; code: "chainUnavailable"; message: string }
  | { ok: false; code: "connectionError"; message: string };

/** What a provider's server certificate is checked against, and the network rules. */
export interface ConnectionContext {
  published: PublishedCertificate;
  policy: NetworkPolicy;
}

type Verdict = { problem: CertificateProblem } | { chainUnavailable: string } | undefined;

function connectionOptions(target: ProviderTarget, context: ConnectionContext) {
  const auth = target.auth;
  const lookup = providerLookup(context.policy);
  return {
    headers: auth?.type === "jwt" ? { authorization: `Bearer ${auth.token}` } : {},
    tls: {
      rejectUnauthorized: false,
      ...(auth?.type === "mtls" ? { cert: auth.certPem, key: auth.keyPem, servername: "" } : {}),
    },
    ...(lookup ? { lookup } : {}),
  };
}

async function serverCertificateVerdict(
  socket: TLSSocket,
  target: ProviderTarget,
  context: ConnectionContext,
): Promise<Verdict> {
  const certificate = socket.getPeerX509Certificate();
  if (!certificate) return { problem: "unknownCertificate" };
  try {
    const problem = await providerCertificateProblem(certificate, target.providerAddress, context.published);
    return problem && { problem };
  } catch (error) {
    if (error instanceof ChainQueryFailed) return { chainUnavailable: error.message };
    throw error;
  }
}

function requestOnce(
  request: ProviderTarget & { method: string; body?: string; timeout: number },
  context: ConnectionContext,
): Promise<ProviderAnswer> {
  const secure = new URL(request.url).protocol === "https:";
  const { headers, tls, ...rest } = connectionOptions(request, context);
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(
      request.url,
      {
        method: request.method,
        headers: { "content-type": "application/json", ...headers },
        timeout: request.timeout,
        // A fresh connection per request: every answer follows a full handshake whose server
        // certificate can be checked (Console drops its cached agent when a check fails).
        agent: false,
        ...rest,
        ...(secure ? tls : {}),
      },
      (res) => {
        // Read the body while the certificate is checked; pass it on only if the check passes.
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        const ended = new Promise<void>((done, failed) => {
          res.on("end", done);
          res.on("error", failed);
        });
        const verdict = secure ? serverCertificateVerdict(res.socket as TLSSocket, request, context) : undefined;
        void Promise.resolve(verdict).then(async (found) => {
          if (found && "problem" in found) {
            res.destroy();
            return resolve({ ok: false, code: "invalidCertificate", reason: found.problem });
          }
          if (found) {
            res.destroy();
            return resolve({ ok: false, code: "chainUnavailable", message: found.chainUnavailable });
          }
          await ended.catch(reject);
          resolve({ ok: true, status: res.statusCode ?? 0, body, contentType: res.headers["content-type"] });
        }, reject);
      },
    );
    req.on("timeout", () =>
      req.destroy(Object.assign(new Error("the provider did not answer in time"), { code: "ETIMEDOUT" })),
    );
    req.on("error", reject);
    if (request.body !== undefined && request.method !== "GET") req.write(request.body);
    req.end();
  });
}

/**
 * One HTTP request to the provider; its answer, or why there is none. Retried as Console retries
 * (a refused or reset connection, an answer above 500), so a provider restarting its gateway does
 * not fail a manifest.
 */
export async function requestProvider(
  request: ProviderTarget & { method: string; body?: string; timeout: number },
  context: ConnectionContext,
): Promise<ProviderAnswer> {
  try {
    return await withRetries(
      () => requestOnce(request, context),
      (answer) => answer.ok && answer.status > 500,
    );
  } catch (error) {
    return { ok: false, code: "connectionError", message: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Opens the provider's WebSocket and relays what it sends to `send`, in Console's message
 * shapes. A provider whose certificate fails the check is closed with 1008
 * "invalidCertificate.<reason>" before anything it sent is relayed.
 */
export function openProviderSocket(
  target: ProviderTarget,
  send: (message: object) => void,
  context: ConnectionContext,
): WebSocket {
  const url = target.url.replace(/^http/, "ws");
  const { headers, tls, ...rest } = connectionOptions(target, context);
  const provider = new WebSocket(url, { headers, ...rest, ...(url.startsWith("wss:") ? tls : {}) });
  let verdict: Promise<Verdict> = Promise.resolve(undefined);
  provider.on("upgrade", (response) => {
    if (url.startsWith("wss:")) verdict = serverCertificateVerdict(response.socket as TLSSocket, target, context);
  });
  // Every event waits for the verdict, in the order it came: nothing passes before the check.
  const after = (handle: (found: Verdict) => void) =>
    void verdict.then(handle, () => handle({ problem: "unknownCertificate" }));
  const refusal = (found: Verdict) =>
    found && ("problem" in found ? `invalidCertificate.${found.problem}` : "chainUnavailable");
  provider.on("open", () =>
    after((found) => {
      const reason = refusal(found);
      if (reason) provider.close(found && "problem" in found ? 1008 : 1011, reason);
    }),
  );
  // Relayed as received: a Buffer, which JSON turns into {type:"Buffer", data:[…]}, as Console does.
  provider.on("message", (data: RawData) =>
    after((found) => {
      if (found || (data as Buffer).length === 0) return;
      send({ type: "websocket", message: data });
    }),
  );
  provider.on("error", (error) =>
    send({ type: "websocket", message: error.message, error: "Received error from provider websocket" }),
  );
  provider.on("close", (code, reason) =>
    after((found) => {
      // The refused provider may have closed first with its own code: the client hears ours.
      const refused = refusal(found);
      if (refused) [code, reason] = [found && "problem" in found ? 1008 : 1011, Buffer.from(refused)];
      send({ type: "websocket", message: "", closed: true, code, reason });
    }),
  );
  return provider;
}
