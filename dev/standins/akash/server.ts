// The local Akash stand-in: a STAND-IN for the Akash chain's REST API and for providers'
// lease APIs, on 127.0.0.1, so the /train flow runs end to end on one machine. It decodes the
// real protobuf transactions with the Akash SDK, checks their signatures, answers with bids
// from a configurable set of providers, and runs the job locally through trainer/local.
// Under /provider-proxy it also serves a stand-in of Akash Console's provider proxy
// (providerProxy.ts), the way a browser reaches providers' logs. It is not Akash: no consensus, no real escrow module, no containers.
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { DEV_MNEMONIC, STANDIN_CHAIN_ID } from "../../../src/lib/akash/devKey.ts";
import { StandInChain, type ChainEvents } from "./chain.ts";
import { StandInMempool } from "./mempool.ts";
import { providerApi } from "./providerApi.ts";
import { PROVIDER_PROXY_PATH, providerProxyStandIn } from "./providerProxy.ts";
import { DEFAULT_PROVIDERS, type StandInProvider } from "./providers.ts";
import { nodeApi, type RestReply } from "./rest.ts";
import { devKeyAddress } from "./devAddress.ts";
import { TYPE_URL } from "../../../src/lib/akash/messages.ts";

export interface AkashStandInOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Kubo RPC the trainer uploads to when a job's environment names none. */
  ipfsApiUrl?: string;
  /** Hugging Face hub (or its stand-in) the trainer reads base models from. */
  hfEndpoint?: string;
  providers?: StandInProvider[];
  /** Accounts funded at start, in uakt; the dev key's account always gets `devKeyFunds`. */
  funded?: Record<string, bigint>;
  devKeyFunds?: bigint;
  /** Milliseconds per block (mainnet: about 6000). */
  blockMs?: number;
  /** Delay between a deployment's creation and the providers' bids. */
  bidDelayMs?: number;
  /** Smallest accepted deployment deposit in uakt (mainnet: 500000). */
  minDeposit?: bigint;
}

export interface AkashStandIn {
  /** REST (gRPC-gateway) URL of the stand-in node. */
  nodeUrl: string;
  /** Base URL under which providers live (`<url>/provider/<name>`). */
  url: string;
  /** The stand-in of Akash Console's provider proxy (`<url>/provider-proxy`). */
  providerProxyUrl: string;
  chainId: string;
  chain: StandInChain;
  /** Used only by tests: conditions a real network produces on its own, on demand. */
  testControls: StandInTestControls;
  stop(): Promise<void>;
}

/** Not part of any Akash API: the tests' levers on the stand-in. */
export interface StandInTestControls {
  /** Blocks go on but include no broadcast transaction until `releaseTxs` (a congested mempool). */
  holdTxs(): void;
  releaseTxs(): void;
  /** Broadcast transactions no block has included yet. */
  pendingTxs(): number;
  /**
   * Takes provider `name` off the network (connections dropped, open log streams cut, as when
   * its host goes down) or brings it back. The lease on chain is untouched.
   */
  setProviderReachable(name: string, reachable: boolean): void;
  /** Takes the node's REST API off the network, or brings it back; blocks go on meanwhile. */
  setNodeReachable(reachable: boolean): void;
  /**
   * Credits `uakt` to `address`, as a faucet or a transfer would: for a wallet whose key is
   * made after the stand-in started (genesis funds only the accounts it names up front).
   */
  fund(address: string, uakt: bigint): void;
}

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, PUT, OPTIONS",
  "access-control-allow-headers":
    "authorization, content-type, connect-protocol-version, connect-timeout-ms, grpc-timeout, accept-encoding",
};

export async function startAkashStandIn(options: AkashStandInOptions = {}): Promise<AkashStandIn> {
  const chainId = STANDIN_CHAIN_ID;
  let baseUrl = "";
  const events: ChainEvents = {};
  const chain = new StandInChain({
    providers: options.providers ?? DEFAULT_PROVIDERS,
    minDeposit: options.minDeposit ?? 500_000n,
    events,
  });
  chain.fund(await devKeyAddress(DEV_MNEMONIC), options.devKeyFunds ?? 1_000_000_000n);
  for (const [address, amount] of Object.entries(options.funded ?? {})) chain.fund(address, amount);

  const extraEnv: Record<string, string> = {};
  if (options.ipfsApiUrl) extraEnv.HEXS_OUTPUT_KUBO_API = options.ipfsApiUrl;
  if (options.ipfsApiUrl) extraEnv.HEXS_IPFS_GATEWAY = options.ipfsApiUrl;
  if (options.hfEndpoint) extraEnv.HEXS_HF_ENDPOINT = options.hfEndpoint;
  const provider = providerApi(chain, { extraEnv });
  events.onLeaseEnded = (lease) => provider.stopLease(lease.ref.owner, lease.ref.dseq, lease.ref.provider);
  const bidTimers = new Set<NodeJS.Timeout>();
  const mempool = new StandInMempool(chain, {
    chainId,
    onDelivered: (tx) => {
      for (const m of tx.messages) {
        const id = (m.value as { id?: { owner: string; dseq: unknown } }).id;
        if (m.typeUrl !== TYPE_URL.createDeployment || !id) continue;
        const timer = setTimeout(() => {
          bidTimers.delete(timer);
          chain.placeBids(id.owner, BigInt(String(id.dseq)));
        }, options.bidDelayMs ?? 1500);
        bidTimers.add(timer);
      }
    },
  });
  const node = nodeApi(chain, mempool, { chainId, providerBaseUrl: () => baseUrl });
  /** Provider names taken off the network by the test controls, and the node's own flag. */
  const unreachable = new Set<string>();
  let nodeReachable = true;
  const logSockets = new Map<string, Set<WebSocket>>();
  const proxy = providerProxyStandIn();
  const isProxyPath = (path: string) => path === PROVIDER_PROXY_PATH || path === `${PROVIDER_PROXY_PATH}/`;

  const server = createServer(
    (req, res) => void route(req, res).catch((error: unknown) => reply(res, 500, { message: String(error) })),
  );
  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://stand-in");
    if (isProxyPath(url.pathname)) {
      if (req.method === "OPTIONS") return void res.writeHead(204, CORS).end();
      const answer = await proxy.handle(req.method ?? "GET", await readBody(req));
      return reply(res, answer.status, answer.body);
    }
    const providerMatch = /^\/provider\/([\w-]+)(\/.*)$/.exec(url.pathname);
    if (providerMatch ? unreachable.has(providerMatch[1]!) : !nodeReachable) return void req.socket.destroy();
    if (req.method === "OPTIONS") return void res.writeHead(204, CORS).end();
    const body = await readBody(req);
    const answer = providerMatch
      ? await provider.handle(req, providerMatch[1]!, providerMatch[2]!, body)
      : await node.handle(req.method ?? "GET", url, body ? (JSON.parse(body) as unknown) : {});
    reply(res, answer.status, answer.body);
  }

  const sockets = new WebSocketServer({ noServer: true });
  const proxySockets = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => void upgrade(req, socket, head).catch(() => socket.destroy()));
  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? "/", "http://stand-in");
    if (isProxyPath(url.pathname)) return proxySockets.handleUpgrade(req, socket, head, (ws) => proxy.connect(ws));
    const match = /^\/provider\/([\w-]+)(\/.*)$/.exec(url.pathname);
    if (!match || unreachable.has(match[1]!)) return void socket.destroy();
    const name = match[1]!;
    const lease = await provider.authorizeLogs(req, match[2]!);
    if ("status" in lease) return refuseUpgrade(socket, lease);
    sockets.handleUpgrade(req, socket, head, (ws) => {
      const open = logSockets.get(name) ?? new Set();
      logSockets.set(name, open.add(ws));
      ws.on("close", () => open.delete(ws));
      provider.logs(ws, name, lease);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const blocks = setInterval(() => {
    chain.tick();
    mempool.deliver();
  }, options.blockMs ?? 1000);

  return {
    nodeUrl: baseUrl,
    url: baseUrl,
    providerProxyUrl: `${baseUrl}${PROVIDER_PROXY_PATH}`,
    chainId,
    chain,
    testControls: {
      holdTxs: () => mempool.hold(),
      releaseTxs: () => mempool.release(),
      pendingTxs: () => mempool.pendingCount,
      setProviderReachable(name, reachable) {
        if (reachable) return void unreachable.delete(name);
        unreachable.add(name);
        // No close frame: the browser sees the stream cut (1006), as when a host goes down.
        for (const ws of logSockets.get(name) ?? []) ws.terminate();
      },
      setNodeReachable(reachable) {
        nodeReachable = reachable;
      },
      fund: (address, uakt) => chain.fund(address, uakt),
    },
    async stop() {
      clearInterval(blocks);
      for (const timer of bidTimers) clearTimeout(timer);
      provider.stopAll();
      proxy.closeAll();
      for (const client of [...sockets.clients, ...proxySockets.clients]) client.terminate();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { ...CORS, "content-type": "application/json" }).end(text);
}

/** Answers a WebSocket request with an HTTP error instead of switching protocols. */
function refuseUpgrade(socket: Duplex, answer: RestReply): void {
  const body = JSON.stringify(answer.body);
  socket.end(
    `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? ""}\r\n` +
      `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (text += chunk));
    req.on("end", () => resolve(text));
    req.on("error", reject);
  });
}
