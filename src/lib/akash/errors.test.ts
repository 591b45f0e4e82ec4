import { describe, expect, it } from "vitest";
import { AkashTxNotSignedError, CosmosWalletError, CosmosWalletRejectedError } from "./errors.ts";

describe("AkashTxNotSignedError", () => {
  it("says the user declined, and that nothing reached the chain", () => {
    const error = new AkashTxNotSignedError(
      "Creating the deployment",
      new CosmosWalletRejectedError("Keplr", "The transaction", new Error("Request rejected")),
    );
    expect(error.shortMessage).toBe("Creating the deployment was not signed");
    expect(error.details).toBe("The transaction was rejected in Keplr; nothing was sent to the chain");
  });

  it("keeps the wallet's own words when it failed for another reason", () => {
    const error = new AkashTxNotSignedError(
      "Closing the deployment",
      new CosmosWalletError("The transaction failed in Keplr", { details: "Unknown signer address" }),
    );
    expect(error.details).toBe(
      "The transaction failed in Keplr (Unknown signer address); nothing was sent to the chain",
    );
  });
});
