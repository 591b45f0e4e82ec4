// The proxy as a server of its own: the handlers of proxy.ts at the root of an HTTP server, a
// chain client per configured network, one JSON log line per event on stdout.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { providerChain } from "./chain.ts";
import type { ProxyConfig } from "./config.ts";
import { providerIndexer } from "./indexer.ts";
import { createProviderProxy } from "./proxy.ts";

export interface RunningProxy {
  url: string;
  close(): Promise<void>;
}

export async function startProviderProxy(
  config: ProxyConfig,
  log: (event: Record<string, unknown>) => void = (event) => process.stdout.write(`${JSON.stringify(event)}\n`),
): Promise<RunningProxy> {
  const proxy = createProviderProxy({
    networks: Object.fromEntries(Object.entries(config.networks).map(([name, url]) => [name, providerChain(url)])),
    allowedOrigins: config.allowedOrigins,
    policy: { allowInsecure: config.allowInsecureProviders },
    defaultTimeoutMs: config.timeoutMs,
    ...(config.indexerUrl ? { indexer: providerIndexer(config.indexerUrl) } : {}),
    log,
  });
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://proxy").pathname;
    proxy.handleRequest(req, res, path).catch((error: unknown) => {
      log({ event: "error", message: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end("internal error");
    });
  });
  server.on("upgrade", (req, socket, head) => proxy.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  return {
    url: `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`,
    async close() {
      proxy.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
