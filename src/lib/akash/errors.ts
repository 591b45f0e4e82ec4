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

/**
 * A transaction was refused by the node, or included with a non-zero code: either way the chain
 * did not execute its messages (an included one still paid its fee).
 */
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

/**
 * A broadcast transaction was not seen in a block within the waiting time. Its outcome is
 * unknown: it may still land (up to its timeout height) or never will.
 */
export class AkashTxTimeoutError extends HexsError {
  override name = "AkashTxTimeoutError";
  readonly txHash: string;
  constructor(what: string, txHash: string, waitedMs: number) {
    super(`${what}: the transaction is not in a block yet`, {
      details: `tx ${txHash}, waited ${Math.round(waitedMs / 1000)} s`,
    });
    this.txHash = txHash;
  }
}

/** The node answers for another chain than the one a record or a wallet is for. */
export class AkashChainMismatchError extends HexsError {
  override name = "AkashChainMismatchError";
  readonly expected: string;
  readonly actual: string;
  constructor(url: string, expected: string, actual: string) {
    super(`The Akash node serves chain ${actual || "(unknown)"}, not ${expected}`, {
      details: `${url} — set the Akash endpoints of ${expected} in Settings`,
    });
    this.expected = expected;
    this.actual = actual;
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

  /** The lease's pod is not running yet (its image still being pulled): the logs socket closed with 4000. */
  get noRunningPods(): boolean {
    return /no running pods/.test(String(this.details));
  }

  /** The provider has not yet seen the lease on chain (404 "no lease for deployment"). */
  get leaseNotSeen(): boolean {
    return this.status === 404 && /no lease for deployment/.test(String(this.details));
  }

  /** Unreachable, failing on its side, or not yet aware of the lease: the same request may succeed later. */
  get retryable(): boolean {
    return this.status === undefined || this.status >= 500 || this.leaseNotSeen;
  }
}

/**
 * Where a user sets a provider proxy, and where one comes from: Akash Console's public proxy
 * answers Console's own origins only, so HEXS ships one to run (provider-proxy/).
 */
const SET_A_PROXY =
  "Set Settings → Akash → Provider proxy URL to a provider proxy that allows this site's origin " +
  "(HEXS's provider-proxy service, run by you or someone you trust)";

/**
 * The logs stream cannot be followed without a provider proxy: providers read the JWT only from
 * the `Authorization` header, and a browser cannot set headers on a WebSocket. Putting the token
 * in the URL would leak it into logs and is refused by providers anyway.
 */
export class AkashLogsNeedProxyError extends HexsError {
  override name = "AkashLogsNeedProxyError";
  constructor() {
    super("The job's logs cannot be followed without a provider proxy", {
      details: `A browser cannot send the Authorization header that providers require on a WebSocket. ${SET_A_PROXY}.`,
    });
  }
}

/**
 * A provider that accepts only client certificates cannot be reached from the page itself: a
 * browser presents a client certificate only from its own certificate store, never one a page
 * hands it. A provider proxy presents it instead.
 */
export class AkashMtlsNeedsProxyError extends HexsError {
  override name = "AkashMtlsNeedsProxyError";
  constructor() {
    super("A client certificate (mTLS) can only be presented through a provider proxy", {
      details: `${SET_A_PROXY}, or authenticate with a JWT.`,
    });
  }
}

/** No Cosmos wallet is available, or it could not do what was asked. */
export class CosmosWalletError extends HexsError {
  override name = "CosmosWalletError";
}

/** The user declined a request in their wallet (Keplr answers "Request rejected"). */
export class CosmosWalletRejectedError extends CosmosWalletError {
  override name = "CosmosWalletRejectedError";
  readonly walletName: string;
  readonly request: string;
  /**
   * @param request what was asked, as the start of a sentence ("Adding the chain akashnet-2")
   * @param cause the wallet's own error
   */
  constructor(walletName: string, request: string, cause: unknown) {
    super(`${request} was rejected in ${walletName}`, { cause });
    this.walletName = walletName;
    this.request = request;
  }
}

/**
 * The wallet did not sign a transaction (the user declined, or the wallet failed): nothing was
 * broadcast, so the chain holds nothing of it.
 */
export class AkashTxNotSignedError extends HexsError {
  override name = "AkashTxNotSignedError";
  constructor(what: string, cause: unknown) {
    const reason =
      cause instanceof HexsError
        ? `${cause.shortMessage}${cause.details ? ` (${cause.details})` : ""}`
        : cause instanceof Error
          ? cause.message
          : String(cause);
    super(`${what} was not signed`, { details: `${reason}; nothing was sent to the chain`, cause });
  }
}
