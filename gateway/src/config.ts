// The gateway's configuration: every setting a flag and an environment variable (flags win), so
// it runs the same from a shell, a container (env) or an Akash SDL.
import { ConfigError, readSettings, settingsHelp, type Setting } from "../../src/lib/cli/settings.ts";
import { getAddress, isAddress, isHex, type Address, type Hex } from "viem";

export const SETTINGS = [
  { flag: "rpc-url", env: "HEXS_GATEWAY_RPC_URL", help: "JSON-RPC URL of the chain the agent is on (required)" },
  { flag: "agent", env: "HEXS_GATEWAY_AGENT", help: "address of the Agent contract to serve (required)" },
  {
    flag: "operator-key",
    env: "HEXS_GATEWAY_OPERATOR_KEY",
    help: "private key of the agent's operator, which settles usage (required; keep it separate from the owner's)",
  },
  {
    flag: "receipt-key",
    env: "HEXS_GATEWAY_RECEIPT_KEY",
    help: "private key that signs usage receipts (default: the operator key)",
  },
  {
    flag: "register-receipt-signer",
    env: "HEXS_GATEWAY_REGISTER_RECEIPT_SIGNER",
    help: "at start, register the receipt key on the Agent if it is not (a transaction from the operator key)",
    boolean: true,
  },
  {
    flag: "ipfs-gateways",
    env: "HEXS_GATEWAY_IPFS_GATEWAYS",
    help: "trustless IPFS gateways to read the weights from, comma-separated, tried in order",
    default: "http://127.0.0.1:5001",
  },
  {
    flag: "data-dir",
    env: "HEXS_GATEWAY_DATA_DIR",
    help: "folder of the usage log (one gateway writes to it at a time)",
    default: "./gateway-data",
  },
  { flag: "host", env: "HEXS_GATEWAY_HOST", help: "address to listen on", default: "127.0.0.1" },
  { flag: "port", env: "HEXS_GATEWAY_PORT", help: "port to listen on (0: any free port)", default: "8787" },
  {
    flag: "public-url",
    env: "HEXS_GATEWAY_PUBLIC_URL",
    help: "the URL clients reach this gateway at, shown in /v1/models (default: from host and port)",
  },
  {
    flag: "upstream-url",
    env: "HEXS_GATEWAY_UPSTREAM_URL",
    help: "serve through an OpenAI-compatible server (vLLM, llama.cpp, TGI) at this base URL instead of the built-in runtime",
  },
  {
    flag: "upstream-model",
    env: "HEXS_GATEWAY_UPSTREAM_MODEL",
    help: "the model name the upstream expects (default: its first model)",
  },
  {
    flag: "upstream-api-key",
    env: "HEXS_GATEWAY_UPSTREAM_API_KEY",
    help: "bearer token for the upstream, if it wants one",
  },
  {
    flag: "settle-interval",
    env: "HEXS_GATEWAY_SETTLE_INTERVAL",
    help: "seconds between settlements (keep it well under the Agent's one-day refund notice)",
    default: "60",
  },
  {
    flag: "settle-max-lines",
    env: "HEXS_GATEWAY_SETTLE_MAX_LINES",
    help: "keys per settlement transaction, at most",
    default: "100",
  },
  {
    flag: "watch-interval",
    env: "HEXS_GATEWAY_WATCH_INTERVAL",
    help: "seconds between reads of the agent's events (revocations, refunds, purchases, versions)",
    default: "5",
  },
  {
    flag: "max-concurrent-per-key",
    env: "HEXS_GATEWAY_MAX_CONCURRENT_PER_KEY",
    help: "requests one key may have running at once",
    default: "4",
  },
  {
    flag: "requests-per-minute-per-key",
    env: "HEXS_GATEWAY_REQUESTS_PER_MINUTE_PER_KEY",
    help: "requests one key may start per minute",
    default: "600",
  },
  { flag: "threads", env: "HEXS_GATEWAY_THREADS", help: "onnxruntime threads of the built-in runtime", default: "1" },
  {
    flag: "keep-alive",
    env: "HEXS_GATEWAY_KEEP_ALIVE",
    help: "seconds between keep-alive comments on an idle stream",
    default: "15",
  },
] as const satisfies readonly Setting[];

export interface GatewayConfig {
  rpcUrl: string;
  agent: Address;
  operatorKey: Hex;
  receiptKey: Hex;
  registerReceiptSigner: boolean;
  ipfsGateways: string[];
  dataDir: string;
  host: string;
  port: number;
  publicUrl: string | undefined;
  upstream: { url: string; model: string | undefined; apiKey: string | undefined } | undefined;
  settleIntervalMs: number;
  settleMaxLines: number;
  watchIntervalMs: number;
  maxConcurrentPerKey: number;
  requestsPerMinutePerKey: number;
  threads: number;
  keepAliveMs: number;
}

export { ConfigError };

export function helpText(): string {
  return settingsHelp(
    "Usage: node gateway/main.ts [options]",
    "HEXS inference gateway: an OpenAI-compatible API for one agent, keys checked and usage settled on chain.",
    SETTINGS,
  );
}

/** Reads the configuration from `argv` and `env`; throws {@link ConfigError} naming what is wrong. */
export function readConfig(argv: string[], env: NodeJS.ProcessEnv): GatewayConfig | "help" {
  const value = readSettings(argv, env, SETTINGS);
  if (value === "help") return "help";
  const required = (flag: (typeof SETTINGS)[number]["flag"]): string => {
    const v = value(flag);
    if (!v) throw new ConfigError(`--${flag} is required (or ${SETTINGS.find((s) => s.flag === flag)!.env})`);
    return v;
  };
  const number = (flag: (typeof SETTINGS)[number]["flag"], min: number): number => {
    const n = Number(required(flag));
    if (!Number.isFinite(n) || n < min) throw new ConfigError(`--${flag} must be a number of at least ${min}`);
    return n;
  };
  const key = (flag: "operator-key" | "receipt-key", text: string): Hex => {
    const hex = text.startsWith("0x") ? text : `0x${text}`;
    if (!isHex(hex) || hex.length !== 66) throw new ConfigError(`--${flag} must be a 32-byte private key in hex`);
    return hex;
  };
  const agent = required("agent");
  if (!isAddress(agent)) throw new ConfigError("--agent must be an address");
  const operatorKey = key("operator-key", required("operator-key"));
  const upstreamUrl = value("upstream-url");
  return {
    rpcUrl: required("rpc-url"),
    agent: getAddress(agent),
    operatorKey,
    receiptKey: value("receipt-key") ? key("receipt-key", value("receipt-key")!) : operatorKey,
    registerReceiptSigner: value("register-receipt-signer") === "true",
    ipfsGateways: required("ipfs-gateways")
      .split(",")
      .map((g) => g.trim())
      .filter(Boolean),
    dataDir: required("data-dir"),
    host: required("host"),
    port: number("port", 0),
    publicUrl: value("public-url"),
    upstream: upstreamUrl
      ? { url: upstreamUrl.replace(/\/+$/, ""), model: value("upstream-model"), apiKey: value("upstream-api-key") }
      : undefined,
    settleIntervalMs: number("settle-interval", 0.05) * 1000,
    settleMaxLines: number("settle-max-lines", 1),
    watchIntervalMs: number("watch-interval", 0.05) * 1000,
    maxConcurrentPerKey: number("max-concurrent-per-key", 1),
    requestsPerMinutePerKey: number("requests-per-minute-per-key", 1),
    threads: number("threads", 1),
    keepAliveMs: number("keep-alive", 0.05) * 1000,
  };
}
