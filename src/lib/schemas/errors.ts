// Validation errors for documents HEXS reads from IPFS or the user: each names the field.
import type { ZodError } from "zod";
import { HexsError } from "../errors.ts";

export interface SchemaIssue {
  /** Dotted path of the failing field, e.g. `metadata.tags[2]`; empty for the whole document. */
  field: string;
  message: string;
}

/** Thrown when a model card, manifest or other document does not match its schema. */
export class SchemaValidationError extends HexsError {
  override name = "SchemaValidationError";
  readonly document: string;
  readonly issues: readonly SchemaIssue[];

  constructor(document: string, issues: SchemaIssue[], cause?: unknown) {
    const first = issues[0];
    super(`invalid ${document}: ${first ? `${first.field || "(document)"}: ${first.message}` : "unknown problem"}`, {
      details: issues.map((issue) => `${issue.field || "(document)"}: ${issue.message}`).join("\n"),
      cause,
    });
    this.document = document;
    this.issues = issues;
  }

  static fromZod(document: string, error: ZodError): SchemaValidationError {
    return new SchemaValidationError(
      document,
      error.issues.map((issue) => ({ field: fieldPath(issue.path), message: issue.message })),
      error,
    );
  }
}

function fieldPath(path: (string | number)[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${key}` : key),
    "",
  );
}
