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

  /** The first error in the cause chain (this one included) that matches `predicate`, or the deepest one. */
  walk(predicate?: (error: unknown) => boolean): unknown {
    const chain: unknown[] = [this];
    for (let cause = this.cause; cause !== undefined && cause !== null;) {
      chain.push(cause);
      cause = cause instanceof Error ? cause.cause : undefined;
    }
    return predicate ? chain.find(predicate) : chain.at(-1);
  }
}
