// The model card the form describes, checked with the shared schema; each schema issue is
// mapped back to the form field that caused it, so the page can say which one is wrong.
import { SchemaValidationError } from "#lib/schemas/errors.ts";
import { validateModelCard, type ModelCard } from "#lib/schemas/modelCard.ts";
import type { DraftData } from "#lib/state/createDraft.svelte.ts";

export type CardField =
  "name" | "license" | "language" | "tags" | "datasets" | "pipelineTag" | "readme" | "base" | "card";

export interface CardCheck {
  card: ModelCard | undefined;
  /**
   * The first problem per form field, in the form's words: the field shows it beside itself, and
   * the publish button lists it with the field's label ("License: expected a license id …").
   */
  issues: Partial<Record<CardField, string>>;
}

/** The form's label of each field, for problems listed away from the field. */
export const FIELD_LABELS: Record<CardField, string> = {
  name: "Agent name",
  license: "License",
  language: "Languages",
  tags: "Tags",
  datasets: "Datasets",
  pipelineTag: "Task",
  readme: "README",
  base: "Base model",
  card: "Model card",
};

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
  const document = cardOf(draft);
  try {
    return { card: validateModelCard(document), issues: {} };
  } catch (error) {
    if (!(error instanceof SchemaValidationError)) throw error;
    const issues: CardCheck["issues"] = {};
    for (const issue of error.issues) {
      const [scope, key = ""] = issue.field.split(/[.[]/);
      const field = scope === "readme" ? "readme" : (FIELD_OF[key] ?? "card");
      if (issues[field] === undefined) issues[field] = describeIssue(document, issue.field, issue.message);
    }
    return { card: undefined, issues };
  }
}

/**
 * A schema problem as the form says it: the message alone for a single value, the offending
 * entry quoted for one of a list ("english": expected an ISO 639 code …). The card's own field
 * paths are for documents read from IPFS, not for someone filling in a form.
 */
function describeIssue(document: unknown, path: string, message: string): string {
  const index = /\[(\d+)\]$/.exec(path);
  if (!index) return message;
  const value = valueAt(document, path);
  return typeof value === "string" ? `"${value}": ${message}` : `entry ${Number(index[1]) + 1}: ${message}`;
}

function valueAt(document: unknown, path: string): unknown {
  return path
    .split(/[.[\]]/)
    .filter(Boolean)
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], document);
}
