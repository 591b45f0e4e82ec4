// The weights manifest: which files make up a model version, their sizes, formats and CIDs, so
// the playground and the inference gateway fetch (and verify) exactly those bytes.
import { CID } from "multiformats/cid";
import { z } from "zod";
import { LIMITS } from "./limits.ts";
import { parseJsonDocument, validate } from "./parse.ts";

export const WEIGHT_FORMATS = ["onnx", "safetensors", "gguf", "pytorch", "tokenizer", "config", "other"] as const;

const cid = z
  .string()
  .max(LIMITS.idChars)
  .refine((text) => {
    try {
      CID.parse(text);
      return true;
    } catch {
      return false;
    }
  }, "expected a CID");

const relativePath = z
  .string()
  .min(1)
  .max(LIMITS.urlChars)
  .refine((path) => path.split("/").every((segment) => segment !== "" && segment !== "." && segment !== ".."), {
    message: 'expected a relative path without empty, "." or ".." segments',
  });

export const weightFileSchema = z
  .object({
    path: relativePath,
    /** Bytes; files of many GiB are fine (up to 2^53 − 1). */
    size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    format: z.enum(WEIGHT_FORMATS),
    /** The file's own UnixFS CID. */
    cid,
  })
  .strict();

export const weightsManifestSchema = z
  .object({
    schema: z.literal("hexs.weights-manifest/1"),
    /** Root CID of the UnixFS directory holding every file below, when they were packed together. */
    root: cid.optional(),
    files: z.array(weightFileSchema).min(1).max(LIMITS.manifestFiles),
  })
  .strict()
  .superRefine((manifest, ctx) => {
    const seen = new Set<string>();
    manifest.files.forEach((file, index) => {
      if (seen.has(file.path))
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["files", index, "path"],
          message: `duplicate path "${file.path}"`,
        });
      seen.add(file.path);
    });
  });

export type WeightFile = z.infer<typeof weightFileSchema>;
export type WeightsManifest = z.infer<typeof weightsManifestSchema>;

/** @throws SchemaValidationError naming the failing field, e.g. `files[2].cid`. */
export function validateWeightsManifest(value: unknown): WeightsManifest {
  return validate("weights manifest", weightsManifestSchema, value);
}

export function parseWeightsManifest(input: string | Uint8Array): WeightsManifest {
  return parseJsonDocument("weights manifest", weightsManifestSchema, input, LIMITS.manifestBytes);
}

/** The format a file name suggests, for building manifests from a folder. */
export function formatOf(path: string): WeightFile["format"] {
  const name = path.toLowerCase();
  if (name.endsWith(".onnx") || name.endsWith(".onnx_data") || name.endsWith(".onnx.data")) return "onnx";
  if (name.endsWith(".safetensors")) return "safetensors";
  if (name.endsWith(".gguf")) return "gguf";
  if (name.endsWith(".bin") || name.endsWith(".pt") || name.endsWith(".pth")) return "pytorch";
  if (/(^|\/)(tokenizer[^/]*\.json|vocab\.(json|txt)|merges\.txt|tokenizer\.model)$/.test(name)) return "tokenizer";
  if (name.endsWith(".json")) return "config";
  return "other";
}
