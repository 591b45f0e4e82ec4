// Kubo's `API.Authorizations`: when any are configured, every RPC request must carry one of their
// secrets in `Authorization`, and only paths under that secret's `AllowedPaths` are served —
// so a node's upload endpoint can be handed to a training job without opening its admin API.
// Semantics and the refusal's text as Kubo's core/corehttp/commands.go (withAuthSecrets,
// convertAuthorizationsMap); `/api/v0/version` is allowed to every valid secret.
import type { IncomingMessage, ServerResponse } from "node:http";
import { CORS_HEADERS } from "./http.ts";

export interface RpcAuthorization {
  /** `bearer:<token>` or `basic:<user>:<password>`; no prefix means bearer. */
  authSecret: string;
  /** Path prefixes this secret may call, e.g. ["/api/v0/dag/import"]. */
  allowedPaths: readonly string[];
}

export const RPC_ACCESS_DENIED =
  "Kubo RPC Access Denied: Please provide a valid authorization token as defined in the API.Authorizations configuration.";

/** The `Authorization` header value a secret stands for. */
function headerOf(secret: string): string {
  if (secret.startsWith("basic:")) return `Basic ${Buffer.from(secret.slice("basic:".length)).toString("base64")}`;
  return `Bearer ${secret.startsWith("bearer:") ? secret.slice("bearer:".length) : secret}`;
}

/** A check for each RPC request; with no authorizations configured, everything passes (Kubo's default). */
export function rpcGate(authorizations: readonly RpcAuthorization[] = []) {
  const byHeader = new Map(authorizations.map((auth) => [headerOf(auth.authSecret), auth.allowedPaths]));
  return (req: IncomingMessage, path: string): boolean => {
    if (byHeader.size === 0) return true;
    const allowed = byHeader.get(req.headers.authorization ?? "");
    return allowed !== undefined && (path === "/api/v0/version" || allowed.some((prefix) => path.startsWith(prefix)));
  };
}

/** Kubo's refusal: 403 with its sentence as plain text (Go's http.Error). */
export function sendAccessDenied(res: ServerResponse): void {
  res.writeHead(403, {
    ...CORS_HEADERS,
    "Content-Type": "text/plain; charset=utf-8",
    "X-Content-Type-Options": "nosniff",
    Connection: "close",
  });
  res.end(RPC_ACCESS_DENIED + "\n");
}
