// The publish form's draft (/create; /train starts one from a fine-tune): everything the user typed or chose, kept in this browser
// (localStorage) so a rejected signature, a failed upload or a reload loses nothing.
// Files are not stored (a browser cannot keep them); their upload's CID is.
import type { Address, Hex } from "viem";
import { bytesToHex } from "viem";
import { z } from "zod";

const STORAGE_KEY = "hexs:create-draft";

const baseSchema = z.discriminatedUnion("kind", [
  /** A Hugging Face model, pinned to the commit it resolved to when picked. */
  z.object({
    kind: z.literal("hub"),
    id: z.string(),
    revision: z.string(),
    /** The repo's ONNX export (e.g. `onnx/model.onnx`), or null where it has none; absent when not read. */
    onnx: z.string().nullable().optional(),
  }),
  /** An agent on the marketplace: the new agent's parent (lineage and royalty). */
  z.object({
    kind: z.literal("agent"),
    agent: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
    name: z.string(),
    baseModel: z.string(),
    baseModelRevision: z.string(),
  }),
]);

const draftSchema = z.object({
  base: baseSchema.optional(),
  name: z.string(),
  license: z.string(),
  /** Comma-separated lists, as typed. */
  language: z.string(),
  tags: z.string(),
  datasets: z.string(),
  pipelineTag: z.string(),
  readme: z.string(),
  /** The uploaded weights folder: its root CID and the files in it. */
  weights: z.object({ cid: z.string(), files: z.array(z.object({ path: z.string(), size: z.number() })) }).optional(),
  mode: z.enum(["free", "paid"]),
  /** ETH per credit, as typed. */
  price: z.string(),
  /** Percent of revenue paid to the parent, as typed. */
  royaltyPercent: z.string(),
  /** CREATE2 salt: fixed per draft, so the agent's addresses do not change between retries. */
  salt: z.string().regex(/^0x[0-9a-f]{64}$/),
  /**
   * Set when the weights come from a fine-tune on Akash (/train): the training record the
   * agent's first version carries. Amounts and the deployment number are decimal strings.
   */
  training: z
    .object({
      dseq: z.string().regex(/^\d+$/),
      datasetCid: z.string(),
      metricsCid: z.string(),
      leaseProvider: z.string(),
      leaseCost: z.string().regex(/^\d+$/),
    })
    .optional(),
});

export type DraftData = z.infer<typeof draftSchema>;
export type TrainingOrigin = NonNullable<DraftData["training"]>;
export type BaseChoice = NonNullable<DraftData["base"]>;
export type ParentChoice = Extract<BaseChoice, { kind: "agent" }> & { agent: Address };

function emptyDraft(): DraftData {
  return {
    name: "",
    license: "mit",
    language: "en",
    tags: "",
    datasets: "",
    pipelineTag: "text-generation",
    readme: "# My model\n\nWhat it does, how it was trained, and its limits.\n",
    mode: "free",
    price: "0.0001",
    royaltyPercent: "10",
    salt: bytesToHex(crypto.getRandomValues(new Uint8Array(32))) as Hex,
  };
}

export class CreateDraft {
  data = $state<DraftData>(load());

  /** Writes the draft to localStorage; reading every field, it re-runs in an $effect on any change. */
  save(): void {
    localStorage.setItem(STORAGE_KEY, JSON.stringify($state.snapshot(this.data)));
  }

  /** Forgets the draft after the agent was created. */
  clear(): void {
    localStorage.removeItem(STORAGE_KEY);
    this.data = emptyDraft();
  }
}

/**
 * Starts a new draft from a fine-tune's result, for /train's "publish as a new agent": the base
 * it was trained from, its weights and training record, and a README saying how it was made.
 * What the user had drafted before is replaced: the result is what they chose to publish.
 */
export function saveDraftFromTraining(from: {
  base: BaseChoice;
  weightsCid: string;
  training: TrainingOrigin;
  readme: string;
}): void {
  const draft: DraftData = {
    ...emptyDraft(),
    base: from.base,
    weights: { cid: from.weightsCid, files: [] },
    training: from.training,
    readme: from.readme,
  };
  localStorage.setItem(STORAGE_KEY, JSON.stringify(draftSchema.parse(draft)));
}

function load(): DraftData {
  const stored = typeof localStorage === "undefined" ? null : localStorage.getItem(STORAGE_KEY);
  if (!stored) return emptyDraft();
  try {
    const parsed = draftSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : emptyDraft();
  } catch {
    return emptyDraft();
  }
}
