// The model card: Hugging Face model card metadata (the README's YAML front matter,
// https://huggingface.co/docs/hub/model-cards) plus the README Markdown, as one JSON document
// on IPFS. Field names are Hugging Face's, so a card converts both ways without mapping.
import { z } from "zod";
import { LIMITS } from "./limits.ts";
import { parseJsonDocument, validate } from "./parse.ts";

const id = z.string().trim().min(1).max(LIMITS.idChars);
const list = <T extends z.ZodTypeAny>(item: T) => z.array(item).max(LIMITS.listItems);
const oneOrMany = <T extends z.ZodTypeAny>(item: T) => z.union([item, list(item)]);
/** A Hugging Face repo id: `name` or `org/name`. */
const repoId = z
  .string()
  .max(LIMITS.idChars)
  .regex(/^[\w.-]+(\/[\w.-]+)?$/, "expected a Hugging Face id such as org/name");
const httpUrl = z
  .string()
  .max(LIMITS.urlChars)
  .url()
  .refine((url) => /^https?:\/\//.test(url), "expected an http(s) URL");

/** Hugging Face pipeline tags (the task a model does); the list the Hub's filter offers. */
export const PIPELINE_TAGS = [
  "text-generation",
  "text2text-generation",
  "text-classification",
  "token-classification",
  "question-answering",
  "table-question-answering",
  "zero-shot-classification",
  "translation",
  "summarization",
  "feature-extraction",
  "fill-mask",
  "sentence-similarity",
  "text-ranking",
  "conversational",
  "image-text-to-text",
  "visual-question-answering",
  "document-question-answering",
  "image-classification",
  "object-detection",
  "image-segmentation",
  "image-to-text",
  "text-to-image",
  "image-to-image",
  "unconditional-image-generation",
  "depth-estimation",
  "video-classification",
  "text-to-video",
  "zero-shot-image-classification",
  "mask-generation",
  "zero-shot-object-detection",
  "automatic-speech-recognition",
  "audio-classification",
  "text-to-speech",
  "text-to-audio",
  "audio-to-audio",
  "voice-activity-detection",
  "tabular-classification",
  "tabular-regression",
  "time-series-forecasting",
  "reinforcement-learning",
  "robotics",
  "graph-ml",
  "any-to-any",
  "other",
] as const;

const metricResult = z.object({
  type: id,
  value: z.union([z.number().finite(), z.string().max(LIMITS.idChars)]),
  name: z.string().max(LIMITS.nameChars).optional(),
  config: z.string().max(LIMITS.idChars).optional(),
  verified: z.boolean().optional(),
});

/** `model-index`: evaluation results in the Papers-with-Code format the Hub renders. */
const modelIndex = list(
  z.object({
    name: z.string().max(LIMITS.nameChars),
    results: list(
      z.object({
        task: z.object({ type: id, name: z.string().max(LIMITS.nameChars).optional() }),
        dataset: z.object({
          type: id,
          name: z.string().max(LIMITS.nameChars),
          config: z.string().max(LIMITS.idChars).optional(),
          split: z.string().max(LIMITS.idChars).optional(),
          revision: z.string().max(LIMITS.idChars).optional(),
        }),
        metrics: list(metricResult),
      }),
    ),
  }),
);

export const modelCardMetadataSchema = z
  .object({
    model_name: z.string().trim().min(1).max(LIMITS.nameChars).optional(),
    language: oneOrMany(
      z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "expected an ISO 639 code such as en or pt-BR"),
    ).optional(),
    license: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.+-]*$/i, "expected a license id such as apache-2.0, mit or other")
      .max(LIMITS.idChars)
      .optional(),
    license_name: id.optional(),
    license_link: z
      .union([
        httpUrl,
        z
          .string()
          .regex(/^[\w./-]+$/)
          .max(LIMITS.idChars),
      ])
      .optional(),
    library_name: id.optional(),
    tags: list(id).optional(),
    base_model: oneOrMany(repoId).optional(),
    base_model_relation: z.enum(["adapter", "merge", "quantized", "finetune"]).optional(),
    datasets: list(id).optional(),
    metrics: list(id).optional(),
    pipeline_tag: z.enum(PIPELINE_TAGS).optional(),
    inference: z.boolean().optional(),
    thumbnail: httpUrl.optional(),
    new_version: repoId.optional(),
    "model-index": modelIndex.optional(),
  })
  // The Hub allows keys of its own and of libraries (co2_eq_emissions, widget …): keep them;
  // the document's byte limit bounds them.
  .passthrough()
  .refine((meta) => meta.license !== "other" || meta.license_name !== undefined, {
    message: 'license "other" needs license_name',
    path: ["license_name"],
  });

export const modelCardSchema = z
  .object({
    /** Document format marker, so later versions can be told apart. */
    schema: z.literal("hexs.model-card/1"),
    metadata: modelCardMetadataSchema,
    /** The README body (Markdown, without front matter); rendered sanitized. */
    readme: z.string().max(LIMITS.readmeChars),
  })
  .strict();

export type ModelCardMetadata = z.infer<typeof modelCardMetadataSchema>;
export type ModelCard = z.infer<typeof modelCardSchema>;

/** @throws SchemaValidationError naming the first failing field (all of them in `issues`). */
export function validateModelCard(value: unknown): ModelCard {
  return validate("model card", modelCardSchema, value);
}

/** Parses a model card from IPFS bytes, refusing documents over the size limit first. */
export function parseModelCard(input: string | Uint8Array): ModelCard {
  return parseJsonDocument("model card", modelCardSchema, input, LIMITS.modelCardBytes);
}
