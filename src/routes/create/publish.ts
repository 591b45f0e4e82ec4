// The publish steps that talk to IPFS and the chain: weights and card to IPFS (CID computed in
// the browser first), then `createAgent` on the factory, and the new agent read from the receipt.
import { parseEther, parseEventLogs, zeroAddress, type Address, type Hex, type TransactionReceipt } from "viem";
import { hexsFactoryAbi } from "#lib/contracts/abis.ts";
import { packFile, packFiles, packJson } from "#lib/ipfs/car.ts";
import { uploadCar, type UploadAdapter, type UploadProgress } from "#lib/ipfs/upload.ts";
import type { ModelCard } from "#lib/schemas/modelCard.ts";
import { formatOf, validateWeightsManifest, type WeightsManifest } from "#lib/schemas/weightsManifest.ts";
import type { DraftData } from "#lib/state/createDraft.svelte.ts";

/** The manifest's name inside the weights folder. */
export const MANIFEST_PATH = "weights-manifest.json";
/** Royalty ceiling of the Agent contract (MAX_ROYALTY_BPS). */
export const MAX_ROYALTY_BPS = 5_000;
const LOCAL_CHAIN_ID = 31337;

export interface WeightEntry {
  path: string;
  content: Blob;
}

export type UploadPhase = { step: "hashing"; bytes: number; total: number } | ({ step: "uploading" } & UploadProgress);

/**
 * Packs the files as one UnixFS folder with a weights manifest (each file's own CID, size and
 * format) beside them, uploads it through `adapter` and checks the service stored that root.
 */
export async function uploadWeights(
  entries: WeightEntry[],
  adapter: UploadAdapter,
  onProgress: (phase: UploadPhase) => void,
) {
  const total = entries.reduce((sum, entry) => sum + entry.content.size, 0);
  let hashed = 0;
  const files: WeightsManifest["files"] = [];
  for (const entry of entries) {
    const car = await packFile(entry.content, {
      onProgress: ({ bytes }) => onProgress({ step: "hashing", bytes: hashed + bytes, total }),
    });
    hashed += entry.content.size;
    files.push({ path: entry.path, size: entry.content.size, format: formatOf(entry.path), cid: car.root.toString() });
  }
  const manifest = validateWeightsManifest({ schema: "hexs.weights-manifest/1", files });
  const car = await packFiles([...entries, { path: MANIFEST_PATH, content: JSON.stringify(manifest, null, 2) }]);
  const { cid } = await uploadCar(adapter, car, {
    onProgress: (progress) => onProgress({ step: "uploading", ...progress }),
  });
  return { cid: cid.toString(), files: files.map(({ path, size }) => ({ path, size })) };
}

/** Uploads the validated card as JSON; resolves with its CID. */
export async function uploadCard(card: ModelCard, adapter: UploadAdapter): Promise<string> {
  const { cid } = await uploadCar(adapter, await packJson(card));
  return cid.toString();
}

/** "0.01" → wei, or undefined when it is not a positive amount of ETH. */
export function priceWei(text: string): bigint | undefined {
  try {
    const wei = parseEther(text.trim());
    return wei > 0n ? wei : undefined;
  } catch {
    return undefined;
  }
}

/** "12.5" (%) → 1250 bps, or undefined outside 0–50 %. */
export function royaltyBps(text: string): number | undefined {
  const percent = Number(text.trim());
  if (text.trim() === "" || !Number.isFinite(percent)) return undefined;
  const bps = Math.round(percent * 100);
  return bps >= 0 && bps <= MAX_ROYALTY_BPS ? bps : undefined;
}

/**
 * `CreateAgentParams` for the factory. The creator operates the agent until the DAO names an
 * inference gateway. Governance: short votes on the local chain, a week elsewhere.
 */
export function createAgentArgs(draft: DraftData, owner: Address, modelCardCid: string, chainId: number) {
  const base = draft.base;
  if (!base || !draft.weights) throw new Error("choose a base model and upload the weights first");
  const parent: Address = base.kind === "agent" ? (base.agent as Address) : zeroAddress;
  const local = chainId === LOCAL_CHAIN_ID;
  return {
    salt: draft.salt as Hex,
    metadata: {
      name: draft.name.trim(),
      modelCardCid,
      baseModel: base.kind === "hub" ? base.id : base.baseModel,
      baseModelRevision: base.kind === "hub" ? base.revision : base.baseModelRevision,
      initialWeightsCid: draft.weights.cid,
    },
    parent,
    settings: {
      mode: draft.mode === "paid" ? 1 : 0,
      pricePerCredit: draft.mode === "paid" ? (priceWei(draft.price) ?? 0n) : 0n,
      royaltyBps: parent === zeroAddress ? 0 : (royaltyBps(draft.royaltyPercent) ?? 0),
      operator: owner,
      endpoint: "",
    },
    // Weights trained on Akash carry their training record; uploaded ones have none to tell.
    firstVersion: {
      contributor: owner,
      baseVersion: 0,
      datasetCid: draft.training?.datasetCid ?? "",
      metricsCid: draft.training?.metricsCid ?? "",
      leaseProvider: draft.training?.leaseProvider ?? "",
      leaseDseq: BigInt(draft.training?.dseq ?? 0),
      leaseCost: BigInt(draft.training?.leaseCost ?? 0),
    },
    votingDelay: local ? 0 : 24 * 60 * 60,
    votingPeriod: local ? 60 * 60 : 7 * 24 * 60 * 60,
    quorumPercent: 4,
  } as const;
}

/** The agent address from the factory's `AgentCreated` event in `receipt`. */
export function createdAgent(receipt: TransactionReceipt): Address | undefined {
  const [created] = parseEventLogs({ abi: hexsFactoryAbi, eventName: "AgentCreated", logs: receipt.logs });
  return created?.args.agent;
}
