// The model card the form describes, checked with the shared schema; each schema issue is
// mapped back to the form field that caused it, so the page can say which one is wrong.
import { SchemaValidationError } from "#lib/schemas/errors.ts";
import { validateModelCard, type ModelCard } from "#lib/schemas/modelCard.ts";
import type { DraftData } from "./draft.svelte.ts";

export type CardField =
  "name" | "license" | "language" | "tags" | "datasets" | "pipelineTag" | "readme" | "base" | "card";

export interface CardCheck {
  card: ModelCard | undefined;
  /** The first problem per form field, with the card field it concerns, e.g. "metadata.license: …". */
  issues: Partial<Record<CardField, string>>;
}

const FIELD_OF: Record<string, CardField> = {
  model_name: "name",
  license: "license",
  license_name: "license",
  language: "language",
  tags: "tags",
  datasets: "datasets",
  pipeline_tag: "pipelineTag",
  base_model: "base",
};

/** "a, b  c" → ["a", "b", "c"]. */
export function splitList(text: string): string[] {
  return text.split(/[\s,]+/).filter((item) => item !== "");
}

/** The card document as the form describes it (not yet validated). */
export function cardOf(draft: DraftData): unknown {
  const baseModel = draft.base?.kind === "hub" ? draft.base.id : draft.base?.baseModel;
  const optional = (value: string) => (value.trim() === "" ? undefined : value.trim());
  const list = (value: string) => (splitList(value).length === 0 ? undefined : splitList(value));
  return {
    schema: "hexs.model-card/1",
    metadata: {
      model_name: optional(draft.name),
      license: optional(draft.license),
      language: list(draft.language),
      tags: list(draft.tags),
      datasets: list(draft.datasets),
      pipeline_tag: optional(draft.pipelineTag),
      base_model: baseModel || undefined,
      base_model_relation: baseModel ? "finetune" : undefined,
    },
    readme: draft.readme,
  };
}

export function checkCard(draft: DraftData): CardCheck {
  try {
    return { card: validateModelCard(cardOf(draft)), issues: {} };
  } catch (error) {
    if (!(error instanceof SchemaValidationError)) throw error;
    const issues: CardCheck["issues"] = {};
    for (const issue of error.issues) {
      const [scope, key = ""] = issue.field.split(/[.[]/);
      const field = scope === "readme" ? "readme" : (FIELD_OF[key] ?? "card");
      if (issues[field] === undefined) issues[field] = `${issue.field}: ${issue.message}`;
    }
    return { card: undefined, issues };
  }
}
