// The trainer images HEXS publishes (.github/workflows/images.yml) and what each can fine-tune.
// Any other image that honours trainer/README.md's contract can be named instead.

export const TRAINER_IMAGES = {
  /** trainer/local: the repo's tiny character models, on CPU. */
  tiny: "ghcr.io/hexs/trainer-tiny:0.1.0",
  /** trainer/gpu: any Hugging Face causal LM with safetensors weights (transformers + PEFT). */
  gpu: "ghcr.io/hexs/trainer-gpu:0.1.0",
} as const;

export type TrainerKind = keyof typeof TRAINER_IMAGES;

/** The HEXS trainer an image reference is a build of (any tag or digest), if it is one. */
export function trainerOfImage(image: string): TrainerKind | undefined {
  const name = image.trim().replace(/[:@].*$/, "");
  return (Object.keys(TRAINER_IMAGES) as TrainerKind[]).find(
    (kind) => TRAINER_IMAGES[kind].replace(/:.*$/, "") === name,
  );
}
