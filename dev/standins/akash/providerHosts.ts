// Where the stand-in's providers answer, and the network around them. A JWT provider lives
// under the stand-in's own HTTP URL (`<url>/provider/<name>`). An mTLS provider gets an HTTPS
// server of its own on 127.0.0.1, as a real provider's gateway is one host: its server
// certificate is made at start with the SDK's certificate manager (CN = the provider's address)
// and published on chain, because that is what the provider proxy checks it against; it asks
// every client for a certificate and leaves judging it to the provider API (mtls.ts). Both kinds
// share one request and upgrade path into providerApi.ts. The test controls' reachability
// switch lives here too: it applies to either kind.
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { TLSSocket } from "node:tls";
import { certificateManager } from "@akashnetwork/chain-sdk/web";
import { WebSocketServer, type WebSocket } from "ws";
import type { StandInChain } from "./chain.ts";
import type { providerApi } from "./providerApi.ts";
import { providerAddress, type StandInProvider } from "./providers.ts";
import { CORS, readBody, refuseUpgrade, reply } from "./replies.ts";

export function providerHosts(chain: StandInChain, api: ReturnType<typeof providerApi>, baseUrl: () => string) {
  /** Provider names taken off the network by the test controls. */
  const unreachable = new Set<string>();
  const logSockets = new Map<string, Set<WebSocket>>();
  const sockets = new WebSocketServer({ noServer: true });
  /** The HTTPS host of each mTLS provider, by name, with the certificate it published. */
  const tlsHosts = new Map<string, { server: Server; url: string; published: { cert: string; key: string } }>();
  const mtls = (name: string) => chain.providers.find((p) => p.name === name)?.auth === "mtls";

  /**
   * Whether `name` is served on the connection `req` came in on: an mTLS provider only on its
   * own HTTPS host, a JWT provider only under the stand-in's HTTP URL.
   */
  const servedHere = (name: string, req: IncomingMessage) =>
    chain.providers.some((p) => p.name === name) && mtls(name) === req.socket instanceof TLSSocket;

  async function serve(req: IncomingMessage, res: ServerResponse, name: string, rest: string): Promise<void> {
    if (unreachable.has(name)) return void req.socket.destroy();
    if (!servedHere(name, req)) return reply(res, 404, { message: `no provider ${name} is served at this address` });
    if (req.method === "OPTIONS") return void res.writeHead(204, CORS).end();
    const answer = await api.handle(req, name, rest, await readBody(req));
    reply(res, answer.status, answer.body);
  }

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, name: string, rest: string) {
    if (unreachable.has(name) || !servedHere(name, req)) return void socket.destroy();
    const lease = await api.authorizeStream(req, name, rest);
    if ("status" in lease) return refuseUpgrade(socket, lease);
    sockets.handleUpgrade(req, socket, head, (ws) => {
      const open = logSockets.get(name) ?? new Set();
      logSockets.set(name, open.add(ws));
      ws.on("close", () => open.delete(ws));
      api.stream(ws, name, lease);
    });
  }

  async function startTlsHost(name: string): Promise<void> {
    const address = providerAddress(name);
    const pem = await certificateManager.generatePEM(address);
    chain.addCertificate(address, new TextEncoder().encode(pem.cert), new TextEncoder().encode(pem.publicKey));
    // Ask for a client certificate but let every handshake through: the provider API answers
    // a missing or refused one with a 401 that says why.
    const server = createServer({ cert: pem.cert, key: pem.privateKey, requestCert: true, rejectUnauthorized: false });
    const path = (req: IncomingMessage) => new URL(req.url ?? "/", "https://stand-in").pathname;
    server.on("request", (req: IncomingMessage, res: ServerResponse) =>
      serve(req, res, name, path(req)).catch((error: unknown) => reply(res, 500, { message: String(error) })),
    );
    server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      upgrade(req, socket, head, name, path(req)).catch(() => socket.destroy()),
    );
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    tlsHosts.set(name, { server, url, published: { cert: pem.cert, key: pem.privateKey } });
  }

  return {
    serve,
    upgrade,

    /** Starts the HTTPS host of every mTLS provider. */
    async start(): Promise<void> {
      for (const provider of chain.providers) if (provider.auth === "mtls") await startTlsHost(provider.name);
    },

    /** The host URI `provider` registers on chain. */
    hostUri(provider: StandInProvider): string {
      return provider.hostUri ?? tlsHosts.get(provider.name)?.url ?? `${baseUrl()}/provider/${provider.name}`;
    },

    setReachable(name: string, reachable: boolean): void {
      if (reachable) return void unreachable.delete(name);
      unreachable.add(name);
      // No close frame: the browser sees the stream cut (1006), as when a host goes down.
      for (const ws of logSockets.get(name) ?? []) ws.terminate();
    },

    /**
     * Makes mTLS provider `name`'s host present a certificate the provider never published (as a
     * host taken over, or a provider that rotated its certificate without telling the chain), or
     * its published one again. New connections only.
     */
    async presentUnpublishedCertificate(name: string, unpublished: boolean): Promise<void> {
      const host = tlsHosts.get(name);
      if (!host) throw new Error(`${name} is not an mTLS provider of the stand-in`);
      const other = unpublished ? await certificateManager.generatePEM(providerAddress(name)) : undefined;
      host.server.setSecureContext(
        other ? { cert: other.cert, key: other.privateKey } : { cert: host.published.cert, key: host.published.key },
      );
    },

    async stop(): Promise<void> {
      for (const client of sockets.clients) client.terminate();
      await Promise.all(
        [...tlsHosts.values()].map(({ server }) => {
          server.closeAllConnections();
          return new Promise<void>((resolve) => server.close(() => resolve()));
        }),
      );
    },
  };
}
