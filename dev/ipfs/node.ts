// The local IPFS node of the embedded default: Helia over a filesystem blockstore and datastore
// in `dataDir`, offline (no libp2p), with the Kubo RPC subset and a gateway on one HTTP port.
import { mkdir } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { FsBlockstore } from "blockstore-fs";
import { FsDatastore } from "datastore-fs";
import { createHeliaLight } from "helia";
import { startBlockWriter } from "./blockWriter.ts";
import { handleGateway } from "./gateway.ts";
import { CORS_HEADERS, discardBody, sendText } from "./http.ts";
import { loadIdentity } from "./identity.ts";
import { pinStore } from "./pins.ts";
import { removeTemporaryFiles } from "./repoCleanup.ts";
import { repoLock } from "./repoLock.ts";
import { handleRpc } from "./rpc.ts";
import { rpcGate, sendAccessDenied, type RpcAuthorization } from "./rpcAuth.ts";

export interface IpfsNodeOptions {
  /** Folder for blocks, pins and the node identity; created if missing. */
  dataDir: string;
  /** 0 picks a free port. */
  port?: number;
  host?: "127.0.0.1" | "localhost" | "::1";
  /** Largest accepted `dag/import` body; default 64 GiB. */
  maxUploadBytes?: number;
  /** Kubo's API.Authorizations (rpcAuth.ts); none: the RPC is open, as Kubo's default. */
  rpcAuthorizations?: readonly RpcAuthorization[];
}

export interface IpfsNode {
  /** Kubo RPC base URL, e.g. http://127.0.0.1:5001 (`/api/v0/...` below it). */
  url: string;
  /** Gateway base URL (`/ipfs/<cid>` below it); the same server as `url`. */
  gatewayUrl: string;
  peerId: string;
  stop(): Promise<void>;
}

export async function startIpfsNode(options: IpfsNodeOptions): Promise<IpfsNode> {
  const { dataDir, port = 0, host = "127.0.0.1", maxUploadBytes = 64 * 1024 ** 3 } = options;
  await mkdir(dataDir, { recursive: true });
  // A node killed mid-write left temporary files only: each block and pin is whole or absent.
  await removeTemporaryFiles(dataDir);
  const blocksRoot = join(dataDir, "blocks");
  const blockstore = new FsBlockstore(blocksRoot);
  const datastore = new FsDatastore(join(dataDir, "datastore"));
  const helia = createHeliaLight({ blockstore, datastore, blockBrokers: [], routers: [] });
  await helia.start();
  const identity = await loadIdentity(dataDir);
  const writer = await startBlockWriter();
  const rpc = { pins: pinStore(datastore), blockstore, writer, identity, maxUploadBytes, blocksRoot, lock: repoLock() };
  const gateway = { helia, blockstore };
  const rpcAllows = rpcGate(options.rpcAuthorizations);

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://node");
    if (req.method === "OPTIONS") {
      res.writeHead(204, { ...CORS_HEADERS, "Access-Control-Max-Age": "86400" });
      return void res.end();
    }
    if (url.pathname.startsWith("/api/v0/")) {
      if (!rpcAllows(req, url.pathname)) return void (discardBody(req), sendAccessDenied(res));
      return void handleRpc(rpc, req, res, url);
    }
    if (url.pathname.startsWith("/ipfs/")) return void handleGateway(gateway, req, res, url);
    discardBody(req);
    sendText(res, 404, `not found: ${url.pathname} (this node serves /api/v0/{dag/import,id,pin/ls} and /ipfs/<cid>)`);
  });
  await listen(server, port, host);
  const { port: bound } = server.address() as AddressInfo;
  const base = `http://${host.includes(":") ? `[${host}]` : host}:${bound}`;
  return {
    url: base,
    gatewayUrl: base,
    peerId: identity.peerId,
    async stop() {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
      await helia.stop();
      await writer.stop();
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
