// A gateway that can go down and come back on the same address: an HTTP proxy in front of the
// test IPFS node whose listening socket is closed while it is "down", so browsers get their
// connection refused, as from a gateway that crashed or a laptop that lost its network.
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface SwitchableGateway {
  url: string;
  down(): Promise<void>;
  up(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSwitchableGateway(target: string): Promise<SwitchableGateway> {
  const upstream = new URL(target);
  const server: Server = createServer((incoming, outgoing) => {
    const forwarded = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: incoming.url,
        method: incoming.method,
        headers: incoming.headers,
      },
      (answer) => {
        // The site calls the gateway from another origin, as from any public gateway.
        outgoing.writeHead(answer.statusCode ?? 502, { ...answer.headers, "access-control-allow-origin": "*" });
        answer.pipe(outgoing);
      },
    );
    forwarded.on("error", () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return {
    url: `http://127.0.0.1:${port}`,
    down: close,
    up: () => new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve)),
    stop: () => (server.listening ? close() : Promise.resolve()),
  };
}
