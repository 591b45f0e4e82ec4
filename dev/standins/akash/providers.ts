// The providers of the stand-in: who bids, at what price, with which attributes. Configurable;
// the defaults give the /train page a choice of three with different prices and GPUs.
import { sha256 } from "@cosmjs/crypto";
import { toBech32 } from "@cosmjs/encoding";

export interface StandInProvider {
  /** Short name; also the path under which the stand-in serves its provider API. */
  name: string;
  /** Price per block in uakt (decimal string allowed, e.g. "12.5"). */
  pricePerBlock: string;
  /** GPU models it offers (lower case, as Akash attributes name them); empty for CPU only. */
  gpuModels: string[];
  attributes: { key: string; value: string }[];
  /** Answers no bid at all (to test the "no bids" path). */
  silent?: boolean;
  /**
   * The host it registers on chain. Default: the stand-in's own provider API for this name;
   * a URL nobody answers on gives a provider that bids but cannot be reached.
   */
  hostUri?: string;
}

export const DEFAULT_PROVIDERS: StandInProvider[] = [
  {
    name: "provider-a",
    pricePerBlock: "8",
    gpuModels: ["a100", "rtx4090"],
    attributes: [
      { key: "region", value: "eu-west" },
      { key: "organization", value: "Stand-in Compute A" },
      { key: "capabilities/gpu/vendor/nvidia/model/a100", value: "true" },
    ],
  },
  {
    name: "provider-b",
    pricePerBlock: "12.5",
    gpuModels: ["h100", "a100"],
    attributes: [
      { key: "region", value: "us-east" },
      { key: "organization", value: "Stand-in Compute B" },
      { key: "capabilities/gpu/vendor/nvidia/model/h100", value: "true" },
    ],
  },
  {
    name: "provider-c",
    pricePerBlock: "5",
    gpuModels: [],
    attributes: [
      { key: "region", value: "ap-south" },
      { key: "organization", value: "Stand-in Compute C (CPU only)" },
    ],
  },
];

/** A stable bech32 address for a provider name (the stand-in holds no provider keys). */
export function providerAddress(name: string): string {
  return toBech32("akash", sha256(new TextEncoder().encode(`hexs-standin-provider:${name}`)).slice(0, 20));
}
