// Every domain error class the app shows, built once, read as a sentence through describeError:
// the UI never shows a bare phrase like "no gateway has bafy…" or "kubo: HTTP 500".
import { describe, expect, it } from "vitest";
import { describeError } from "./chain/walletErrors.ts";
import { HubNotFoundError, HubRequestError } from "./hub/errors.ts";
import * as ipfs from "./ipfs/errors.ts";
import { SchemaValidationError } from "./schemas/errors.ts";

const CID = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";

describe("domain errors", () => {
  const samples: Error[] = [
    new ipfs.IpfsError("the IPFS layer failed"),
    new ipfs.IpfsPackError("a path leaves its folder"),
    new ipfs.IpfsUploadError("kubo", "HTTP 500 from the node"),
    new ipfs.IpfsCidMismatchError("kubo", CID, "bafyother"),
    new ipfs.IpfsInvalidCidError("nope"),
    new ipfs.IpfsVerificationError(CID),
    new ipfs.IpfsCarFormatError("header is truncated"),
    new ipfs.IpfsBlockTooLargeError(5_000_000, 2_097_152),
    new ipfs.IpfsReadError(CID, `no gateway returned ${CID}`),
    new ipfs.IpfsNotFoundError(CID, `no gateway has ${CID}`),
    new ipfs.IpfsUnreachableError(CID, "no gateway answered (tried http://127.0.0.1:9)"),
    new HubRequestError("the hub at https://hub.example answered 500", { status: 500 }),
    new HubNotFoundError("the hub has no model hexs-demo/nothing", { status: 404 }),
    new SchemaValidationError("model card", [{ field: "metadata.license", message: "expected a license id" }]),
  ];

  it("read as sentences, each class of the IPFS layer included", () => {
    const ipfsClasses = Object.values(ipfs).filter((value) => typeof value === "function");
    for (const type of ipfsClasses)
      expect(
        samples.some((sample) => sample.constructor === type),
        type.name,
      ).toBe(true);
    for (const error of samples) expect(describeError(error), error.name).toMatch(/^[A-Z0-9].*[.!?]$/s);
  });

  it("keep the evidence: a CID or a URL in the sentence is left as it is", () => {
    expect(describeError(new ipfs.IpfsNotFoundError(CID, `no gateway has ${CID}`))).toBe(`No gateway has ${CID}.`);
    expect(describeError(new ipfs.IpfsUploadError("storacha", "set your account email in Settings"))).toBe(
      "Storacha: set your account email in Settings.",
    );
  });
});
