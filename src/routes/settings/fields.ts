import type { Settings } from "#lib/state/settings.svelte.ts";

/** How a setting is typed in: one line of text, a number, a list with one item per line, or a choice. */
type FieldKind = "text" | "number" | "list" | "choice";

export interface SettingField {
  key: keyof Settings;
  label: string;
  kind: FieldKind;
  /** Empty allowed (the setting is optional). */
  optional?: boolean;
  /** The values a `choice` offers, with their labels. */
  options?: { value: string; label: string }[];
}

export const SETTING_GROUPS: { legend: string; fields: SettingField[] }[] = [
  {
    legend: "Chain",
    fields: [
      { key: "chainId", label: "Chain id", kind: "number" },
      { key: "rpcUrl", label: "RPC URL", kind: "text" },
    ],
  },
  {
    legend: "IPFS",
    fields: [
      {
        key: "ipfsUploadTarget",
        label: "Upload target",
        kind: "choice",
        options: [
          { value: "kubo", label: "Kubo RPC node" },
          { value: "storacha", label: "Storacha (login by email)" },
        ],
      },
      { key: "ipfsApiUrl", label: "Kubo RPC URL", kind: "text" },
      {
        key: "ipfsApiToken",
        label: "Kubo RPC token (for a node guarded by API.Authorizations; empty: none)",
        kind: "text",
        optional: true,
      },
      { key: "storachaEmail", label: "Storacha account email", kind: "text", optional: true },
      {
        key: "storachaSpace",
        label: "Storacha space (DID or name; empty: the first, or a new one)",
        kind: "text",
        optional: true,
      },
      { key: "storachaServiceUrl", label: "Storacha service URL", kind: "text" },
      { key: "storachaServiceDid", label: "Storacha service DID", kind: "text" },
      { key: "storachaGatewayUrl", label: "Storacha gateway URL (serves the space's content)", kind: "text" },
      { key: "storachaGatewayDid", label: "Storacha gateway DID", kind: "text" },
      {
        key: "ipfsGateways",
        label: "Gateways, one per line, nearest first (every byte read is verified against its CID)",
        kind: "list",
      },
    ],
  },
  { legend: "Hugging Face", fields: [{ key: "hubUrl", label: "Hub URL", kind: "text" }] },
  {
    legend: "Playground",
    fields: [
      {
        key: "inferenceDevice",
        label: "Runs models on",
        kind: "choice",
        options: [
          { value: "auto", label: "Automatic: WebGPU on a GPU, WASM otherwise" },
          { value: "webgpu", label: "WebGPU (any adapter the browser offers, a software one too)" },
          { value: "wasm", label: "WASM on the CPU" },
        ],
      },
    ],
  },
  {
    legend: "Akash",
    fields: [
      { key: "akashRestUrl", label: "Node REST URL", kind: "text" },
      { key: "akashRpcUrl", label: "Node RPC URL (for Keplr)", kind: "text" },
      { key: "akashChainId", label: "Chain id", kind: "text" },
      {
        key: "akashProviderProxyUrl",
        label: "Provider proxy URL (Akash Console protocol; needed for logs)",
        kind: "text",
        optional: true,
      },
    ],
  },
];

/** The text a form shows for a setting's current value. */
export function toText(settings: Settings, field: SettingField): string {
  const value = settings[field.key];
  return Array.isArray(value) ? value.join("\n") : String(value);
}

/** The value a form's text stands for; the settings schema then checks it. */
export function fromText(text: string, field: SettingField): unknown {
  if (field.kind === "number") return Number(text);
  if (field.kind === "list")
    return text
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
  return text.trim();
}
