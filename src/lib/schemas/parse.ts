// Parsing with a byte limit first, then the schema; failures name the field.
import type { ZodType, ZodTypeDef } from "zod";
import { SchemaValidationError } from "./errors.ts";

/** Validates an already-parsed value. */
export function validate<T>(document: string, schema: ZodType<T, ZodTypeDef, unknown>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw SchemaValidationError.fromZod(document, result.error);
  return result.data;
}

/** Decodes JSON bytes or text no larger than `maxBytes`, then validates them. */
export function parseJsonDocument<T>(
  document: string,
  schema: ZodType<T, ZodTypeDef, unknown>,
  input: string | Uint8Array,
  maxBytes: number,
): T {
  const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
  if (bytes.length > maxBytes) {
    throw new SchemaValidationError(document, [
      { field: "", message: `${bytes.length} bytes is over the ${maxBytes}-byte limit` },
    ]);
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (cause) {
    throw new SchemaValidationError(
      document,
      [{ field: "", message: `not valid UTF-8 JSON: ${(cause as Error).message}` }],
      cause,
    );
  }
  return validate(document, schema, value);
}
