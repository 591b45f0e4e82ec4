// IPFS errors: packing, uploading and verified reads. The UI shows `shortMessage`; `details`
// names the CID, URL or field involved.
import { HexsError } from "../errors.ts";

/** Base of every IPFS error, so callers can catch the whole domain with one `instanceof`. */
export class IpfsError extends HexsError {
  override name = "IpfsError";
}

/** Thrown when content cannot be packed into a UnixFS CAR (bad path, source changed, too big). */
export class IpfsPackError extends IpfsError {
  override name = "IpfsPackError";
}

/** Thrown when an upload adapter fails: network error, non-2xx answer, malformed answer. */
export class IpfsUploadError extends IpfsError {
  override name = "IpfsUploadError";
  readonly adapter: string;

  constructor(adapter: string, shortMessage: string, options: { details?: string; cause?: unknown } = {}) {
    super(`${adapter}: ${shortMessage}`, options);
    this.adapter = adapter;
  }
}

/** Thrown when the service reports a root CID other than the one computed locally. */
export class IpfsCidMismatchError extends IpfsUploadError {
  override name = "IpfsCidMismatchError";
  readonly expected: string;
  readonly actual: string;

  constructor(adapter: string, expected: string, actual: string) {
    super(adapter, "the service stored a different root CID than the one computed locally", {
      details: `expected ${expected}, got ${actual}`,
    });
    this.expected = expected;
    this.actual = actual;
  }
}

/** Thrown when a string is not a valid CID. */
export class IpfsInvalidCidError extends IpfsError {
  override name = "IpfsInvalidCidError";
  readonly value: string;

  constructor(value: string, cause?: unknown) {
    super("not a valid CID", { details: value, cause });
    this.value = value;
  }
}

/** Thrown when bytes read from a gateway do not hash to the CID that names them. */
export class IpfsVerificationError extends IpfsError {
  override name = "IpfsVerificationError";
  readonly cid: string;

  constructor(cid: string, options: { details?: string; cause?: unknown } = {}) {
    super(`content does not match its CID ${cid}`, options);
    this.cid = cid;
  }
}

/** Thrown when a CAR stream is malformed: bad header, truncated or oversized block, bad CID. */
export class IpfsCarFormatError extends IpfsError {
  override name = "IpfsCarFormatError";
}

/** Thrown when a CAR declares a block larger than the reader accepts, before its bytes are read. */
export class IpfsBlockTooLargeError extends IpfsCarFormatError {
  override name = "IpfsBlockTooLargeError";
  readonly size: number;
  readonly limit: number;

  constructor(size: number, limit: number) {
    super(`a block of ${size} bytes is over the ${limit}-byte block limit`);
    this.size = size;
    this.limit = limit;
  }
}

/** Thrown when no configured gateway returned the content in time. */
export class IpfsReadError extends IpfsError {
  override name = "IpfsReadError";
  readonly cid: string;

  constructor(cid: string, shortMessage: string, options: { details?: string; cause?: unknown } = {}) {
    super(shortMessage, options);
    this.cid = cid;
  }
}

/** Thrown when every gateway answered that it does not have the content (HTTP 404). */
export class IpfsNotFoundError extends IpfsReadError {
  override name = "IpfsNotFoundError";
}

/**
 * Thrown when no gateway answered at all (refused or failed connections, or silence past the
 * answer deadline): waiting longer for the same gateways would not help, so a read says so at
 * once and the page offers Retry.
 */
export class IpfsUnreachableError extends IpfsReadError {
  override name = "IpfsUnreachableError";
}
