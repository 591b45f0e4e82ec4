// The local Akash stand-in: a STAND-IN for the Akash chain's REST API and for providers'
// lease APIs, on 127.0.0.1, so the /train flow runs end to end on one machine. It decodes the
// real protobuf transactions with the Akash SDK, checks their signatures, answers with bids
// from a configurable set of providers, and runs the job locally through trainer/local.
// Under /provider-proxy it runs HEXS's provider proxy (provider-proxy/, the service users deploy;
// Console's protocol), the way a browser reaches providers' logs and mTLS-only providers: it
// checks providers against this stand-in's REST API, as it checks them against a real node's.
// Providers are served as providerHosts.ts says (mTLS ones over HTTPS on ports of their own).
// It is not Akash: no consensus, no real escrow module, no containers.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { DEV_MNEMONIC, STANDIN_CHAIN_ID } from "../../../src/lib/akash/devKey.ts";
import { StandInChain, type ChainEvents, type Denom } from "./chain.ts";
import { StandInMempool } from "./mempool.ts";
import { providerApi } from "./providerApi.ts";
import { providerHosts } from "./providerHosts.ts";
import { providerChain } from "../../../provider-proxy/src/chain.ts";
import { DAPP_ORIGINS } from "../../../provider-proxy/src/config.ts";
import { consoleNetwork } from "../../../src/lib/akash/providerProxy.ts";
import { providerIndexer } from "../../../provider-proxy/src/indexer.ts";
import { createProviderProxy } from "../../../provider-proxy/src/proxy.ts";
import { INDEXER_PROVIDER_PATH, indexerProvider } from "./indexer.ts";
import { DEFAULT_PROVIDERS, type StandInProvider } from "./providers.ts";
import { CORS, readBody, reply } from "./replies.ts";
import { nodeApi } from "./rest.ts";
import { devKeyAddress } from "./devAddress.ts";
import { TYPE_URL } from "../../../src/lib/akash/messages.ts";

export interface AkashStandInOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Kubo RPC the trainer uploads to when a job's environment names none. */
  ipfsApiUrl?: string;
  /** Hugging Face hub (or its stand-in) the trainer reads base models from. */
  hfEndpoint?: string;
  /**
   * Run jobs as HEXS's trainer images run them (HEXS_HOLD_AFTER_EXIT=1): after its final line the
   * container idles, its log stream stays open, until the lease is closed. Off: the stream ends
   * when the trainer exits.
   */
  holdAfterExit?: boolean;
  /** How long a pod takes to start after the manifest (an image pull); meanwhile its logs close with 4000. */
  podStartDelayMs?: number;
  /** Blocks after a lease before its provider takes the manifest (meanwhile 404 "no lease for deployment"; default 1). */
  leaseSeenAfterBlocks?: bigint;
  /** How a provider's log stream ends with its workload: a close frame (default) or none (1006). */
  endOfLogs?: "close" | "drop";
  providers?: StandInProvider[];
  /** Accounts funded at start, in uakt; the dev key's account always gets `devKeyFunds`. */
  funded?: Record<string, bigint>;
  devKeyFunds?: bigint;
  /** ACT (uact) the dev key holds at start, as if minted before (default none). */
  devKeyActFunds?: bigint;
  /** AKT's oracle price in micro-USD (default 1250000: $1.25); ACT is $1. */
  aktPriceMicroUsd?: bigint;
  /** Milliseconds per block (mainnet: about 6000). */
  blockMs?: number;
  /** Delay between a deployment's creation and the providers' bids. */
  bidDelayMs?: number;
  /** Smallest accepted deployment deposit per denom, x/deployment's min_deposits (mainnet: 500000). */
  minDeposit?: bigint;
  /** Origins whose pages may use the provider proxy (default: the dApp's loopback origins). */
  proxyAllowedOrigins?: readonly string[];
}

const PROVIDER_PROXY_PATH = "/provider-proxy";

export interface AkashStandIn {
  /** REST (gRPC-gateway) URL of the stand-in node. */
  nodeUrl: string;
  /** Base URL under which the JWT providers live (`<url>/provider/<name>`). */
  url: string;
  /**
   * The host URI provider `name` registers on chain (what the provider query returns):
   * `<url>/provider/<name>` for a JWT provider, `https://127.0.0.1:<port>` for an mTLS one.
   */
  providerHostUri(name: string): string;
  /** HEXS's provider proxy in front of the stand-in's providers (`<url>/provider-proxy`). */
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
  /** Provider `name` answers logs upgrades with HTTP `status` instead of switching protocols (undefined: not any more). */
  refuseLogs(name: string, status: number | undefined): void;
  /** mTLS provider `name`'s host presents a certificate the chain does not hold for it, or its own again. */
  presentUnpublishedCertificate(name: string, unpublished: boolean): Promise<void>;
  /** Takes the node's REST API off the network, or brings it back; blocks go on meanwhile. */
  setNodeReachable(reachable: boolean): void;
  /**
   * Credits `amount` of `denom` (default uakt) to `address`, as a faucet or a transfer would (for
   * uact: as a mint executed earlier would): for a wallet whose key is
   * made after the stand-in started (genesis funds only the accounts it names up front).
   */
  fund(address: string, amount: bigint, denom?: Denom): void;
}

export async function startAkashStandIn(options: AkashStandInOptions = {}): Promise<AkashStandIn> {
  const chainId = STANDIN_CHAIN_ID;
  let baseUrl = "";
  const events: ChainEvents = {};
  const chain = new StandInChain({
    providers: options.providers ?? DEFAULT_PROVIDERS,
    minDeposit: options.minDeposit ?? 500_000n,
    aktPriceMicroUsd: options.aktPriceMicroUsd ?? 1_250_000n,
    events,
  });
  const devKey = await devKeyAddress(DEV_MNEMONIC);
  chain.fund(devKey, options.devKeyFunds ?? 1_000_000_000n);
  if (options.devKeyActFunds) chain.fund(devKey, options.devKeyActFunds, "uact");
  for (const [address, amount] of Object.entries(options.funded ?? {})) chain.fund(address, amount);

  const extraEnv: Record<string, string> = {};
  if (options.ipfsApiUrl) extraEnv.HEXS_OUTPUT_KUBO_API = options.ipfsApiUrl;
  if (options.ipfsApiUrl) extraEnv.HEXS_IPFS_GATEWAY = options.ipfsApiUrl;
  if (options.hfEndpoint) extraEnv.HF_ENDPOINT = options.hfEndpoint;
  if (options.holdAfterExit) extraEnv.HEXS_HOLD_AFTER_EXIT = "1";
  const provider = providerApi(chain, {
    extraEnv,
    ...(options.podStartDelayMs ? { podStartDelayMs: options.podStartDelayMs } : {}),
    ...(options.leaseSeenAfterBlocks ? { leaseSeenAfterBlocks: options.leaseSeenAfterBlocks } : {}),
    ...(options.endOfLogs ? { endOfLogs: options.endOfLogs } : {}),
  });
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
  const hosts = providerHosts(chain, provider, () => baseUrl);
  const node = nodeApi(chain, mempool, { chainId, hostUriOf: (p) => hosts.hostUri(p) });
  let nodeReachable = true;
  const proxyPath = (path: string) =>
    path === PROVIDER_PROXY_PATH || path.startsWith(`${PROVIDER_PROXY_PATH}/`)
      ? path.slice(PROVIDER_PROXY_PATH.length) || "/"
      : undefined;

  const server = createServer(
    (req, res) => void route(req, res).catch((error: unknown) => reply(res, 500, { message: String(error) })),
  );
  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const inProxy = proxyPath(url.pathname);
    if (inProxy) return proxy.handleRequest(req, res, inProxy);
    const indexed = INDEXER_PROVIDER_PATH.exec(url.pathname);
    if (indexed && req.method === "GET") {
      const answer = indexerProvider(chain.providers, indexed[1]!, (p) => hosts.hostUri(p));
      return reply(res, answer.status, answer.body);
    }
    const providerMatch = /^\/provider\/([\w-]+)(\/.*)$/.exec(url.pathname);
    if (providerMatch) return hosts.serve(req, res, providerMatch[1]!, providerMatch[2]!);
    if (!nodeReachable) return void req.socket.destroy();
    if (req.method === "OPTIONS") return void res.writeHead(204, CORS).end();
    const body = await readBody(req);
    const answer = await node.handle(req.method ?? "GET", url, body ? (JSON.parse(body) as unknown) : {});
    reply(res, answer.status, answer.body);
  }

  server.on("upgrade", (req, socket, head) => void upgrade(req, socket, head).catch(() => socket.destroy()));
  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? "/", "http://stand-in");
    if (proxyPath(url.pathname)) return proxy.handleUpgrade(req, socket, head);
    const match = /^\/provider\/([\w-]+)(\/.*)$/.exec(url.pathname);
    if (!match) return void socket.destroy();
    await hosts.upgrade(req, socket, head, match[1]!, match[2]!);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Created once the port is known (no request can come before this line runs). It checks
  // providers against this node's REST API, as it would a real node's. The providers
  // are on loopback, JWT ones over plain HTTP: allowed here, refused by the proxy's defaults.
  const proxy = createProviderProxy({
    networks: { [consoleNetwork(chainId)]: providerChain(baseUrl) },
    allowedOrigins: options.proxyAllowedOrigins ?? DAPP_ORIGINS,
    policy: { allowInsecure: true },
    defaultTimeoutMs: 10_000,
    // Uptime from the stand-in of Console's indexer this server also serves (indexer.ts).
    indexer: providerIndexer(baseUrl),
  });
  await hosts.start();
  const blocks = setInterval(() => {
    chain.tick();
    mempool.deliver();
  }, options.blockMs ?? 1000);

  return {
    nodeUrl: baseUrl,
    url: baseUrl,
    providerProxyUrl: `${baseUrl}${PROVIDER_PROXY_PATH}`,
    providerHostUri(name) {
      const provider = chain.providers.find((p) => p.name === name);
      if (!provider) throw new Error(`the stand-in has no provider ${name}`);
      return hosts.hostUri(provider);
    },
    chainId,
    chain,
    testControls: {
      holdTxs: () => mempool.hold(),
      releaseTxs: () => mempool.release(),
      pendingTxs: () => mempool.pendingCount,
      setProviderReachable: (name, reachable) => hosts.setReachable(name, reachable),
      presentUnpublishedCertificate: (name, unpublished) => hosts.presentUnpublishedCertificate(name, unpublished),
      refuseLogs: (name, status) => provider.refuseLogs(name, status),
      setNodeReachable(reachable) {
        nodeReachable = reachable;
      },
      fund: (address, amount, denom) => chain.fund(address, amount, denom),
    },
    async stop() {
      clearInterval(blocks);
      for (const timer of bidTimers) clearTimeout(timer);
      provider.stopAll();
      proxy.close();
      await hosts.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
