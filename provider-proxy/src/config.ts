// The proxy's configuration: every setting a flag and an environment variable (flags win), so it
// runs the same from a shell, a container (env) or an Akash SDL.
import { ConfigError, readSettings, settingsHelp, type Setting } from "../../src/lib/cli/settings.ts";

/**
 * Where the HEXS dApp is served by default: `npm start` and `vite dev` on loopback. A proxy for a
 * deployed dApp lists that deployment's origins instead.
 */
export const DAPP_ORIGINS = ["http://127.0.0.1:5173", "http://localhost:5173"];

/** Console's network names, with public REST endpoints of the Akash chains they name. */
export const DEFAULT_NETWORKS = "mainnet=https://api.akashnet.net,sandbox=https://api.sandbox-2.aksh.pw";

export const SETTINGS = [
  {
    flag: "allowed-origins",
    env: "HEXS_PROXY_ALLOWED_ORIGINS",
    help: "origins whose pages may use the proxy, comma-separated: exact origins, https://*.example.com, or *",
    default: DAPP_ORIGINS.join(","),
  },
  {
    flag: "networks",
    env: "HEXS_PROXY_NETWORKS",
    help: "network=REST URL pairs, comma-separated: the chains providers' certificates and hosts are checked on",
    default: DEFAULT_NETWORKS,
  },
  {
    flag: "indexer-url",
    env: "HEXS_PROXY_INDEXER_URL",
    help: "Akash Console's indexer API, for providers' uptime (GET /providers/{address}/uptime); empty: none",
    default: "https://console-api.akash.network",
  },
  {
    flag: "allow-insecure-providers",
    env: "HEXS_PROXY_ALLOW_INSECURE_PROVIDERS",
    help: "also proxy to http:// providers and private or loopback addresses (only in front of local stand-ins)",
    boolean: true,
  },
  {
    flag: "timeout",
    env: "HEXS_PROXY_TIMEOUT",
    help: "seconds a provider has to answer a request that names no timeout",
    default: "10",
  },
  { flag: "host", env: "HEXS_PROXY_HOST", help: "address to listen on", default: "127.0.0.1" },
  { flag: "port", env: "HEXS_PROXY_PORT", help: "port to listen on (0: any free port)", default: "3040" },
] as const satisfies readonly Setting[];

export interface ProxyConfig {
  allowedOrigins: string[];
  networks: Record<string, string>;
  /** Console's indexer API, or undefined for none. */
  indexerUrl: string | undefined;
  allowInsecureProviders: boolean;
  timeoutMs: number;
  host: string;
  port: number;
}

export { ConfigError };

export function helpText(): string {
  return settingsHelp(
    "Usage: node provider-proxy/main.ts [options]",
    "HEXS provider proxy: lets the HEXS dApp reach Akash providers (lease logs, mTLS, self-signed\n" +
      "certificates) with Akash Console's provider-proxy protocol.",
    SETTINGS,
  );
}

function parseOrigins(text: string): string[] {
  const origins = text
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean);
  if (!origins.length) throw new ConfigError("--allowed-origins names no origin");
  for (const origin of origins) {
    if (origin === "*") continue;
    const pattern = origin.replace("://*.", "://wildcard.");
    if (!URL.canParse(pattern) || new URL(pattern).origin !== pattern)
      throw new ConfigError(`--allowed-origins: ${origin} is not an origin (scheme://host[:port], no path)`);
  }
  return origins;
}

function indexerUrl(text: string): string | undefined {
  if (!text.trim()) return undefined;
  if (!URL.canParse(text) || !/^https?:$/.test(new URL(text).protocol))
    throw new ConfigError(`--indexer-url: ${text} is not an http(s) URL`);
  return text;
}

function parseNetworks(text: string): Record<string, string> {
  const networks: Record<string, string> = {};
  for (const pair of text
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name, url] = [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)];
    if (!pair.includes("=") || !name || !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
      throw new ConfigError(`--networks: ${pair} is not network=REST URL`);
    networks[name] = url;
  }
  if (!Object.keys(networks).length) throw new ConfigError("--networks names no network");
  return networks;
}

/** Reads the configuration from `argv` and `env`; throws {@link ConfigError} naming what is wrong. */
export function readConfig(argv: string[], env: NodeJS.ProcessEnv): ProxyConfig | "help" {
  const read = readSettings(argv, env, SETTINGS);
  if (read === "help") return "help";
  const value = (flag: (typeof SETTINGS)[number]["flag"]): string => read(flag) ?? "";
  const number = (flag: "timeout" | "port", min: number): number => {
    const n = Number(value(flag));
    if (!value(flag) || !Number.isFinite(n) || n < min)
      throw new ConfigError(`--${flag} must be a number of at least ${min}`);
    return n;
  };
  return {
    allowedOrigins: parseOrigins(value("allowed-origins")),
    networks: parseNetworks(value("networks")),
    indexerUrl: indexerUrl(value("indexer-url")),
    allowInsecureProviders: ["true", "1"].includes(value("allow-insecure-providers")),
    timeoutMs: number("timeout", 0.1) * 1000,
    host: value("host"),
    port: number("port", 0),
  };
}
