import { HexsError } from "../errors.ts";

/** The Hugging Face hub (or the stand-in at the configured hub URL) could not answer. */
export class HubRequestError extends HexsError {
  override name = "HubRequestError";
  readonly status: number | undefined;

  constructor(shortMessage: string, options: { status?: number; details?: string; cause?: unknown } = {}) {
    super(shortMessage, options);
    this.status = options.status;
  }
}

/** The hub has no model (or no such revision or file) under that name. */
export class HubNotFoundError extends HubRequestError {
  override name = "HubNotFoundError";
}
