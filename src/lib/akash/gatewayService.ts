// An agent's inference gateway (gateway/) as an Akash deployment: the image HEXS publishes
// (.github/workflows/images.yml), configured by its HEXS_GATEWAY_* environment (gateway/src/config.ts),
// its port exposed to the provider's ingress over HTTP. The SDL carries the operator's key: the
// provider can read it, which is why that key is a low-privilege one of its own (it can settle
// usage and sign receipts for this agent, nothing else) and not the owner's.
import { sdlForServices, type JobResources, type SdlService } from "./job.ts";
import { UACT } from "./act.ts";

export const GATEWAY_IMAGE = "ghcr.io/hexs/gateway:0.1.0";
/** The SDL's one service, profile and placement name. */
export const GATEWAY_SERVICE = "gateway";
/** The port the image listens on (its Dockerfile's HEXS_GATEWAY_PORT), exposed as the ingress's port 80. */
export const GATEWAY_PORT = 8787;

/** vLLM's OpenAI server with the HEXS entry that fetches the agent's weights verified (gateway/vllm/). */
export const VLLM_IMAGE = "ghcr.io/hexs/gateway-vllm:0.1.0";
export const VLLM_SERVICE = "vllm";
/** vLLM's port, reached by the gateway only (never exposed on the ingress). */
export const VLLM_PORT = 8000;

/**
 * A GPU service next to the gateway that generates with vLLM; the gateway then meters and settles
 * in front of it (upstream mode). vLLM loads its weights once: the version the agent has when the
 * deployment is made, fetched from IPFS and checked against that CID before vLLM starts.
 */
export interface VllmService {
  image?: string;
  /** The agent's weights folder in the Hugging Face layout (config.json, safetensors, tokenizer). */
  weightsCid: string;
  resources: JobResources & { gpu: NonNullable<JobResources["gpu"]> };
  /** Highest price per block accepted for this service, in uact (the gateway's is its own). */
  maxPricePerBlock: number;
}

/**
 * Why vLLM could not serve a weights folder with these files, as its service checks before it
 * starts (gateway/vllm, hexs_trainer/layout.py): vLLM loads the Hugging Face layout with
 * safetensors weights; HEXS's first format (model.onnx only) runs on the built-in runtime.
 */
export function vllmLayoutProblem(paths: readonly string[]): string | undefined {
  const files = new Set(paths);
  if (!files.has("config.json"))
    return files.has("model.onnx")
      ? "this agent's weights are in HEXS's first format (model.onnx only): vLLM cannot load them; serve it with the built-in runtime"
      : "this agent's weights folder has no config.json: it is not in the Hugging Face layout vLLM loads";
  if (!files.has("model.safetensors") && !files.has("model.safetensors.index.json"))
    return "this agent's weights folder has no safetensors weights (model.safetensors), which vLLM loads; serve it with the built-in runtime";
  return undefined;
}

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
  /** Generation on a GPU with vLLM rather than the gateway's built-in CPU runtime. */
  vllm?: VllmService;
}

/** Whether the manifest (as sent to the provider, prepareSdl's manifestJson) runs the service `name`. */
export function manifestServes(manifestJson: string, name: string): boolean {
  const groups = JSON.parse(manifestJson) as { services?: { name?: string }[] }[];
  return groups.some((group) => group.services?.some((service) => service.name === name) ?? false);
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
    // The vLLM service by its name inside the deployment; its model is named by the weights' CID.
    ...(service.vllm
      ? {
          HEXS_GATEWAY_UPSTREAM_URL: `http://${VLLM_SERVICE}:${VLLM_PORT}/v1`,
          HEXS_GATEWAY_UPSTREAM_MODEL: service.vllm.weightsCid,
        }
      : {}),
  };
}

export function vllmEnvironment(service: GatewayService, vllm: VllmService): Record<string, string> {
  return {
    HEXS_WEIGHTS_CID: vllm.weightsCid,
    HEXS_IPFS_GATEWAYS: service.ipfsGateways.join(","),
    HEXS_VLLM_PORT: String(VLLM_PORT),
  };
}

/**
 * The SDL (version 2.0, as the Akash SDK reads it) serving the agent on the provider's ingress:
 * the gateway, and with `vllm` a GPU service it alone reaches, on the same provider.
 */
export function buildGatewaySdl(service: GatewayService) {
  const gateway: SdlService = {
    name: GATEWAY_SERVICE,
    image: service.image ?? GATEWAY_IMAGE,
    env: gatewayEnvironment(service),
    expose: [{ port: GATEWAY_PORT, as: 80, to: [{ global: true }] }],
    resources: service.resources,
    denom: UACT,
    maxPricePerBlock: service.maxPricePerBlock,
  };
  const { vllm } = service;
  const generator: SdlService[] = vllm
    ? [
        {
          name: VLLM_SERVICE,
          image: vllm.image ?? VLLM_IMAGE,
          env: vllmEnvironment(service, vllm),
          expose: [{ port: VLLM_PORT, as: VLLM_PORT, to: [{ service: GATEWAY_SERVICE }] }],
          resources: vllm.resources,
          denom: UACT,
          maxPricePerBlock: vllm.maxPricePerBlock,
        },
      ]
    : [];
  return sdlForServices([gateway, ...generator], service.signedBy);
}

/**
 * The OpenAI base URLs (…/v1) the gateway may answer at, from the lease status' URIs for its
 * service, most secure first: the provider's ingress host names the lease
 * (`<id>.ingress.<provider>`) and serves it over HTTPS where the provider terminates TLS for its
 * ingress, over plain HTTP otherwise (Console links both kinds as the provider reports them). A URI
 * that names its scheme is taken as it is.
 */
export function gatewayEndpoints(uris: readonly string[] | null | undefined): string[] {
  const uri = uris?.find((u) => u.trim())?.trim();
  if (!uri) return [];
  const host = uri.replace(/^[a-z]+:\/\//i, "").replace(/\/+$/, "");
  const scheme = /^(https?):\/\//i.exec(uri)?.[1]?.toLowerCase();
  return (scheme ? [scheme] : ["https", "http"]).map((s) => `${s}://${host}/v1`);
}

export interface GatewayProbe {
  /** The base URL the gateway answered at. */
  endpoint: string;
  /** Its /ready said 200: the weights are loaded and match their CID. */
  ready: boolean;
}

/** A port that drops packets (a firewall) never refuses: a probe gives up after this long. */
const PROBE_TIMEOUT_MS = 5_000;

/**
 * Asks each candidate's /ready in turn; the first that answers at all (200, or 503 while the
 * weights load) is the gateway's endpoint. None answering: undefined (not started yet, or a
 * scheme this page cannot reach, such as plain HTTP from an HTTPS page).
 */
export async function probeGateway(candidates: readonly string[]): Promise<GatewayProbe | undefined> {
  for (const endpoint of candidates) {
    const response = await fetch(`${endpoint.replace(/\/v1$/, "")}/ready`, {
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    }).catch(() => undefined);
    if (response) return { endpoint, ready: response.ok };
  }
  return undefined;
}

/** An endpoint served over plain HTTP from a host other than this machine: keys would travel unencrypted. */
export function isPlainHttpRemote(endpoint: string): boolean {
  const url = new URL(endpoint);
  return url.protocol === "http:" && !/^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(url.hostname);
}
