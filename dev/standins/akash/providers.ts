// The providers of the stand-in: who bids, at what price, with which attributes, and how it
// authenticates lease owners. Configurable; the defaults give the /train page a choice of four
// with different prices and GPUs, one of which (provider-d) accepts only mTLS client
// certificates, as Akash providers older than JWT auth (AEP-64) do.
import { sha256 } from "@cosmjs/crypto";
import { toBech32 } from "@cosmjs/encoding";
import { AKASH_AUDITOR } from "../../../src/lib/akash/audit.ts";
import type { GpuKind } from "../../../src/lib/akash/gpus.ts";

export interface StandInProvider {
  /** Short name; also the path under which the stand-in serves its provider API. */
  name: string;
  /** Price per block in uakt (decimal string allowed, e.g. "12.5"). */
  pricePerBlock: string;
  /** The GPUs it offers (models in lower case, as providers publish them); empty for CPU only. */
  gpus: GpuKind[];
  /** Its own attributes (region, organization…); the GPU capabilities are added from `gpus`. */
  attributes: { key: string; value: string }[];
  /** Its uptime as Console's indexer reports it (shares of checks answered, 0–1); absent: not indexed. */
  uptime?: { uptime1d: number; uptime7d: number; uptime30d: number; isOnline: boolean };
  /** Auditors that signed its attributes on chain (x/audit). */
  auditedBy?: string[];
  /** Answers no bid at all (to test the "no bids" path). */
  silent?: boolean;
  /**
   * The host it registers on chain. Default: the stand-in's own provider API for this name;
   * a URL nobody answers on gives a provider that bids but cannot be reached.
   */
  hostUri?: string;
  /**
   * How it authenticates lease owners. "jwt" (default): a Bearer JWT, over plain HTTP under the
   * stand-in's own URL. "mtls": only a client certificate published on chain, over HTTPS on a
   * port of its own, with a server certificate the stand-in publishes on chain at start.
   */
  auth?: "jwt" | "mtls";
}

export const DEFAULT_PROVIDERS: StandInProvider[] = [
  {
    name: "provider-a",
    pricePerBlock: "8",
    gpus: [
      { vendor: "nvidia", model: "a100", ram: "80Gi", interface: "sxm" },
      { vendor: "nvidia", model: "rtx4090", ram: "24Gi", interface: "pcie" },
    ],
    attributes: [
      { key: "region", value: "eu-west" },
      { key: "organization", value: "Stand-in Compute A" },
    ],
    auditedBy: [AKASH_AUDITOR],
    uptime: { uptime1d: 1, uptime7d: 0.998, uptime30d: 0.995, isOnline: true },
  },
  {
    name: "provider-b",
    pricePerBlock: "12.5",
    gpus: [
      { vendor: "nvidia", model: "h100", ram: "80Gi", interface: "sxm" },
      { vendor: "nvidia", model: "a100", ram: "40Gi", interface: "pcie" },
      { vendor: "amd", model: "mi300x", ram: "192Gi" },
    ],
    attributes: [
      { key: "region", value: "us-east" },
      { key: "organization", value: "Stand-in Compute B" },
    ],
    auditedBy: [AKASH_AUDITOR],
    uptime: { uptime1d: 1, uptime7d: 0.991, uptime30d: 0.987, isOnline: true },
  },
  {
    name: "provider-c",
    pricePerBlock: "5",
    gpus: [],
    attributes: [
      { key: "region", value: "ap-south" },
      { key: "organization", value: "Stand-in Compute C (CPU only)" },
    ],
    uptime: { uptime1d: 0.9, uptime7d: 0.874, uptime30d: 0.912, isOnline: true },
  },
  {
    // Dearer than a CPU job's usual maximum (10) and with a GPU no test asks for, so it bids
    // only where a job allows it, and the other providers' bids stay as they were.
    name: "provider-d",
    pricePerBlock: "11",
    gpus: [{ vendor: "nvidia", model: "rtx3090", ram: "24Gi", interface: "pcie" }],
    attributes: [
      { key: "region", value: "sa-east" },
      { key: "organization", value: "Stand-in Compute D (mTLS only)" },
    ],
    auth: "mtls",
  },
];

/** A stable bech32 address for a provider name (the stand-in holds no provider keys). */
export function providerAddress(name: string): string {
  return toBech32("akash", sha256(new TextEncoder().encode(`hexs-standin-provider:${name}`)).slice(0, 20));
}

/**
 * The attributes a provider publishes on chain: its own, then a GPU capability attribute for each
 * card as providers write them, from the model alone to the model with its memory and interface
 * (`capabilities/gpu/vendor/nvidia/model/a100/ram/80Gi/interface/sxm`).
 */
export function publishedAttributes(provider: StandInProvider): { key: string; value: string }[] {
  const gpus = provider.gpus.flatMap((gpu) => {
    const model = `capabilities/gpu/vendor/${gpu.vendor}/model/${gpu.model}`;
    return [
      model,
      ...(gpu.ram ? [`${model}/ram/${gpu.ram}`] : []),
      ...(gpu.interface ? [`${model}/interface/${gpu.interface}`] : []),
      ...(gpu.ram && gpu.interface ? [`${model}/ram/${gpu.ram}/interface/${gpu.interface}`] : []),
    ];
  });
  return [...provider.attributes, ...gpus.map((key) => ({ key, value: "true" }))];
}
