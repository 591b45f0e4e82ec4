// Errors the Akash client raises on purpose. Each names the step of the lease lifecycle that
// failed and carries what the UI needs to offer a way out (close the deployment, retry).
import { HexsError } from "../errors.ts";

/** The SDL built from a job description does not pass the SDK's validation. */
export class AkashSdlInvalidError extends HexsError {
  override name = "AkashSdlInvalidError";
  readonly problems: string[];
  constructor(problems: string[]) {
    super("The deployment description (SDL) is invalid", { details: problems.join("; ") });
    this.problems = problems;
  }
}

/** A transaction was refused by the node, or included with a non-zero code. */
export class AkashTxError extends HexsError {
  override name = "AkashTxError";
  readonly code: number;
  readonly txHash: string | undefined;
  constructor(what: string, code: number, log: string, txHash?: string) {
    super(`${what} failed on the Akash chain${code === 5 ? ": insufficient funds" : ""}`, {
      details: `code ${code}${txHash ? `, tx ${txHash}` : ""}: ${log}`,
    });
    this.code = code;
    this.txHash = txHash;
  }

  get insufficientFunds(): boolean {
    return this.code === 5;
  }
}

/** The Akash node (REST endpoint) could not be reached or answered garbage. */
export class AkashNodeError extends HexsError {
  override name = "AkashNodeError";
  constructor(url: string, cause: unknown) {
    super("The Akash node could not be reached", { details: url, cause });
  }
}

/** No provider bid on the deployment within the waiting time. */
export class AkashNoBidsError extends HexsError {
  override name = "AkashNoBidsError";
  readonly dseq: string;
  constructor(dseq: string, waitedMs: number) {
    super("No provider bid on the deployment", {
      details: `dseq ${dseq}, waited ${Math.round(waitedMs / 1000)} s — raise the price or lower the resources, or close the deployment to get the deposit back`,
    });
    this.dseq = dseq;
  }
}

/** The provider refused a request or could not be reached. */
export class AkashProviderError extends HexsError {
  override name = "AkashProviderError";
  readonly status: number | undefined;
  constructor(what: string, url: string, status: number | undefined, body: string, cause?: unknown) {
    super(
      `The provider ${status === undefined ? "could not be reached" : `refused the request (HTTP ${status})`}: ${what}`,
      {
        details: `${url}${body ? ` — ${body.slice(0, 300)}` : ""}`,
        cause,
      },
    );
    this.status = status;
  }
}

/** No Cosmos wallet is available, or the user refused it. */
export class CosmosWalletError extends HexsError {
  override name = "CosmosWalletError";
}
