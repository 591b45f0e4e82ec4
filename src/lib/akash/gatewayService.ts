// An agent's inference gateway (gateway/) as an Akash deployment: the image HEXS publishes
// (.github/workflows/images.yml), configured by its HEXS_GATEWAY_* environment (gateway/src/config.ts),
// its port exposed to the provider's ingress over HTTP. The SDL carries the operator's key: the
// provider can read it, which is why that key is a low-privilege one of its own (it can settle
// usage and sign receipts for this agent, nothing else) and not the owner's.
import { sdlForService, type JobResources } from "./job.ts";
import { UACT } from "./act.ts";

export const GATEWAY_IMAGE = "ghcr.io/hexs/gateway:0.1.0";
/** The SDL's one service, profile and placement name. */
export const GATEWAY_SERVICE = "gateway";
/** The port the image listens on (its Dockerfile's HEXS_GATEWAY_PORT), exposed as the ingress's port 80. */
export const GATEWAY_PORT = 8787;

export interface GatewayService {
  image?: string;
  /** The Agent contract to serve, and the JSON-RPC URL of its chain as the provider's cluster reaches it. */
  agent: string;
  rpcUrl: string;
  /** The operator's private key (0x…): settles usage and signs receipts. */
  operatorKey: string;
  /** Trustless IPFS gateways the weights are read from, tried in order. */
  ipfsGateways: string[];
  resources: JobResources;
  /** Highest price per block accepted from a provider, in uact. */
  maxPricePerBlock: number;
  signedBy?: string[];
  /** Seconds between settlements: a pod restarted without persistent storage loses what is unsettled. */
  settleIntervalSeconds?: number;
}

/** A gateway image reference (any tag or digest) of the one HEXS publishes. */
export function isGatewayImage(image: string): boolean {
  return image.trim().replace(/[:@].*$/, "") === GATEWAY_IMAGE.replace(/:.*$/, "");
}

export function gatewayEnvironment(service: GatewayService): Record<string, string> {
  return {
    HEXS_GATEWAY_RPC_URL: service.rpcUrl,
    HEXS_GATEWAY_AGENT: service.agent,
    HEXS_GATEWAY_OPERATOR_KEY: service.operatorKey,
    // The receipt key is the operator's; the gateway registers it on the Agent at start.
    HEXS_GATEWAY_REGISTER_RECEIPT_SIGNER: "true",
    HEXS_GATEWAY_IPFS_GATEWAYS: service.ipfsGateways.join(","),
    HEXS_GATEWAY_HOST: "0.0.0.0",
    HEXS_GATEWAY_PORT: String(GATEWAY_PORT),
    HEXS_GATEWAY_SETTLE_INTERVAL: String(service.settleIntervalSeconds ?? 30),
  };
}

/** The SDL (version 2.0, as the Akash SDK reads it) serving the agent on the provider's ingress. */
export function buildGatewaySdl(service: GatewayService) {
  return sdlForService({
    name: GATEWAY_SERVICE,
    image: service.image ?? GATEWAY_IMAGE,
    env: gatewayEnvironment(service),
    expose: [{ port: GATEWAY_PORT, as: 80, to: [{ global: true }] }],
    resources: service.resources,
    denom: UACT,
    maxPricePerBlock: service.maxPricePerBlock,
    signedBy: service.signedBy,
  });
}

/**
 * The OpenAI base URL (…/v1) apps call the gateway at, what the agent's `endpoint` holds, from the
 * lease status' URIs for its service: the provider's ingress host names the lease
 * (`<id>.ingress.<provider>`), reached over HTTPS where the provider terminates TLS for its
 * ingress; a loopback host (a local stand-in) over plain HTTP.
 */
export function gatewayEndpoint(uris: readonly string[] | null | undefined): string | undefined {
  const uri = uris?.find((u) => u.trim());
  if (!uri) return undefined;
  const host = uri
    .trim()
    .replace(/^[a-z]+:\/\//i, "")
    .replace(/\/+$/, "");
  const loopback = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/.test(host);
  return `${loopback ? "http" : "https"}://${host}/v1`;
}
