/**
 * Base of every error HEXS raises on purpose. `shortMessage` is what the UI shows; `details`
 * carries the evidence (a URL, a CID, a revert reason) and `cause` the error underneath.
 */
export class HexsError extends Error {
  override name = "HexsError";
  readonly shortMessage: string;
  readonly details: string | undefined;

  constructor(shortMessage: string, options: { details?: string; cause?: unknown } = {}) {
    super(options.details ? `${shortMessage}\n\nDetails: ${options.details}` : shortMessage, {
      cause: options.cause,
    });
    this.shortMessage = shortMessage;
    this.details = options.details;
  }

  /** The innermost cause that matches `predicate`, or the deepest cause when none is given. */
  walk(predicate?: (error: unknown) => boolean): unknown {
    let current: unknown = this;
    let last: unknown = this;
    while (current !== undefined && current !== null) {
      if (predicate?.(current)) return current;
      last = current;
      current = current instanceof Error ? current.cause : undefined;
    }
    return predicate ? undefined : last;
  }
}
