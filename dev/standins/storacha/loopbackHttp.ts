// The `node:http` the stand-in hands to Storacha's test storage nodes. Those nodes call
// `http.createServer(handler).listen(cb)`: on every interface, and with no CORS headers, so a
// browser page could not PUT a blob to them. This wrapper keeps their handler untouched but
// binds them to 127.0.0.1 and answers the browser's CORS preflight, as the real service's
// presigned bucket URLs do.
import * as http from "node:http";

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, HEAD, PUT, POST, OPTIONS",
  "access-control-allow-headers": "*",
  "access-control-expose-headers": "*",
};

/** Servers this module created, so the stand-in can close any a storage node leaves behind. */
export type LoopbackHttp = typeof http & { readonly servers: ReadonlySet<http.Server> };

export function loopbackHttp(): LoopbackHttp {
  const servers = new Set<http.Server>();
  const createServer = (handler: http.RequestListener): http.Server => {
    const server = http.createServer((request, response) => {
      for (const [name, value] of Object.entries(CORS)) response.setHeader(name, value);
      if (request.method === "OPTIONS") {
        response.writeHead(204).end();
        return;
      }
      handler(request, response);
    });
    const listen = server.listen.bind(server);
    // The nodes pass only a callback; the port stays free-by-OS, the host becomes loopback.
    (server as { listen: unknown }).listen = (callback?: () => void) => listen(0, "127.0.0.1", callback);
    servers.add(server);
    server.once("close", () => servers.delete(server));
    return server;
  };
  // Only `createServer(handler)` is called on it; its other overloads need not be honoured.
  return { ...http, createServer, servers } as unknown as LoopbackHttp;
}
