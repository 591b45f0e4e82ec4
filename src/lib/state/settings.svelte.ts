import { z } from "zod";
import { STORACHA_NETWORK } from "../ipfs/storachaNetwork.ts";

/**
 * Endpoints the dApp talks to. Build-time defaults come from `VITE_HEXS_*` variables (see
 * .env.example); a user's own choices, made on /settings, persist in this browser and win.
 */
const didSchema = z.string().regex(/^did:[a-z0-9]+:\S+$/, "expected a DID such as did:web:up.storacha.network");

const settingsSchema = z.object({
  chainId: z.number().int().positive(),
  rpcUrl: z.string().url(),
  /** Where uploads go: a Kubo RPC node (`ipfsApiUrl`) or Storacha (`storachaEmail`'s account). */
  ipfsUploadTarget: z.enum(["kubo", "storacha"]),
  /** Kubo RPC base URL uploads go to (without `/api/v0`). */
  ipfsApiUrl: z.string().url(),
  /** Bearer token for a Kubo RPC guarded by API.Authorizations; empty: none sent. */
  ipfsApiToken: z.string(),
  /** Storacha account email the login link is sent to; empty until Storacha is chosen. */
  storachaEmail: z.union([z.string().email(), z.literal("")]),
  /** Storacha space DID or name; empty: the account's first space, or a new "hexs" one. */
  storachaSpace: z.string(),
  /** Storacha upload service (access, upload, filecoin) URL; its receipts are at `<url>/receipt/`. */
  storachaServiceUrl: z.string().url(),
  /** The DID that service signs as (invocations are addressed to it). */
  storachaServiceDid: didSchema,
  /** Gateway service a new space authorizes to serve its content, and its DID. */
  storachaGatewayUrl: z.string().url(),
  storachaGatewayDid: didSchema,
  /** Trustless gateways verified reads use, in order (local first). */
  ipfsGateways: z.array(z.string().url()).min(1),
  /** Hugging Face hub (or a stand-in speaking its API) base models are searched on. */
  hubUrl: z.string().url(),
  /** Akash node REST (gRPC-gateway) URL: queries and transaction broadcast. */
  akashRestUrl: z.string().url(),
  /** Akash node RPC URL, only for wallets that ask for it when a chain is suggested (Keplr). */
  akashRpcUrl: z.string().url(),
  akashChainId: z.string().min(1),
  /**
   * Provider proxy speaking Akash Console's protocol: HEXS's provider-proxy service (Console's own answers only
   * Console's origins).
   * Needed for the job's logs (a browser cannot put the JWT in a WebSocket's Authorization header)
   * and for providers it cannot reach directly (mTLS only, self-signed TLS, no CORS); empty: direct.
   */
  akashProviderProxyUrl: z.union([z.string().url(), z.literal("")]),
  /**
   * Where the playground runs models in the Hugging Face layout: "auto" on WebGPU when the
   * browser offers a GPU adapter (a software one is slower than WASM), WASM otherwise.
   */
  inferenceDevice: z.enum(["auto", "webgpu", "wasm"]),
});

export type Settings = z.infer<typeof settingsSchema>;

const STORAGE_KEY = "hexs:settings";

export const defaultSettings: Settings = settingsSchema.parse({
  chainId: Number(import.meta.env.VITE_HEXS_CHAIN_ID ?? 31337),
  rpcUrl: import.meta.env.VITE_HEXS_RPC_URL ?? "http://127.0.0.1:8545",
  ipfsUploadTarget: import.meta.env.VITE_HEXS_IPFS_UPLOAD_TARGET ?? "kubo",
  ipfsApiUrl: import.meta.env.VITE_HEXS_IPFS_API_URL ?? "http://127.0.0.1:5001",
  ipfsApiToken: "",
  storachaEmail: "",
  storachaSpace: "",
  // The real Storacha network unless the build names another service (`npm start`: its stand-in).
  storachaServiceUrl: import.meta.env.VITE_HEXS_STORACHA_SERVICE_URL ?? STORACHA_NETWORK.url,
  storachaServiceDid: import.meta.env.VITE_HEXS_STORACHA_SERVICE_DID ?? STORACHA_NETWORK.did,
  storachaGatewayUrl: import.meta.env.VITE_HEXS_STORACHA_GATEWAY_URL ?? STORACHA_NETWORK.gatewayUrl,
  storachaGatewayDid: import.meta.env.VITE_HEXS_STORACHA_GATEWAY_DID ?? STORACHA_NETWORK.gatewayDid,
  ipfsGateways: splitList(import.meta.env.VITE_HEXS_IPFS_GATEWAYS ?? "http://127.0.0.1:5001"),
  hubUrl: import.meta.env.VITE_HEXS_HUB_URL ?? "https://huggingface.co",
  akashRestUrl: import.meta.env.VITE_HEXS_AKASH_REST_URL ?? "http://127.0.0.1:8090",
  akashRpcUrl:
    import.meta.env.VITE_HEXS_AKASH_RPC_URL ?? import.meta.env.VITE_HEXS_AKASH_REST_URL ?? "http://127.0.0.1:8090",
  akashChainId: import.meta.env.VITE_HEXS_AKASH_CHAIN_ID ?? "hexs-akash-standin-1",
  akashProviderProxyUrl: import.meta.env.VITE_HEXS_AKASH_PROVIDER_PROXY_URL ?? "http://127.0.0.1:8090/provider-proxy",
  inferenceDevice: "auto",
});

/** Checks a settings patch; throws a ZodError that names the wrong field. */
export function parseSettings(value: unknown): Settings {
  return settingsSchema.parse(value);
}

class SettingsState {
  #current = $state<Settings>(load());

  get current(): Settings {
    return this.#current;
  }

  /** Saves `next` over the current settings (fields it leaves out keep their value). */
  save(next: Partial<Settings>): void {
    const parsed = parseSettings({ ...this.#current, ...next });
    localStorage.setItem(STORAGE_KEY, JSON.stringify(parsed));
    this.#current = parsed;
  }

  reset(): void {
    localStorage.removeItem(STORAGE_KEY);
    this.#current = defaultSettings;
  }
}

function load(): Settings {
  if (typeof localStorage === "undefined") return defaultSettings;
  const stored = localStorage.getItem(STORAGE_KEY);
  if (!stored) return defaultSettings;
  const parsed = settingsSchema.safeParse({ ...defaultSettings, ...safeJson(stored) });
  return parsed.success ? parsed.data : defaultSettings;
}

/** "a, b c" → ["a", "b", "c"]: gateway lists in environment variables. */
function splitList(text: string): string[] {
  return text.split(/[\s,]+/).filter((item) => item !== "");
}

function safeJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export const settings = new SettingsState();
