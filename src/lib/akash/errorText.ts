// One line of text for an error the Akash pages (/train, serving an agent) show: what failed, then the evidence.
import { HexsError } from "#lib/errors.ts";

export function errorText(error: unknown): string {
  if (error instanceof HexsError) return `${error.shortMessage}${error.details ? ` — ${error.details}` : ""}`;
  return String(error);
}
