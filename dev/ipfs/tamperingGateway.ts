// Test helper: a gateway proxy that lies. It forwards requests to a real gateway and flips one
// byte in the middle of every successful `/ipfs/` response body, so tests can show that
// verified reads reject what an untrusted gateway serves.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface TamperingGateway {
  url: string;
  /** How many responses were altered so far. */
  readonly tampered: number;
  stop(): Promise<void>;
}

export async function startTamperingGateway(target: string): Promise<TamperingGateway> {
  let tampered = 0;
  const server = createServer(async (req, res) => {
    try {
      const upstream = await fetch(new URL(req.url ?? "/", target), {
        method: req.method,
        headers: req.headers.accept ? { accept: req.headers.accept } : {},
      });
      const body = new Uint8Array(await upstream.arrayBuffer());
      if (upstream.ok && body.length > 0 && req.url?.startsWith("/ipfs/")) {
        body[body.length >> 1]! ^= 0x01;
        tampered++;
      }
      const headers = Object.fromEntries(
        [...upstream.headers].filter(([name]) => name !== "content-length" && name !== "content-encoding"),
      );
      res.writeHead(upstream.status, headers);
      res.end(body);
    } catch (error) {
      res.writeHead(502).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get tampered() {
      return tampered;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}
