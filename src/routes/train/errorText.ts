// One line of text for an error the /train page shows: what failed, then the evidence.
import { HexsError } from "#lib/errors.ts";

export function errorText(error: unknown): string {
  if (error instanceof HexsError) return `${error.shortMessage}${error.details ? ` — ${error.details}` : ""}`;
  return String(error);
}
