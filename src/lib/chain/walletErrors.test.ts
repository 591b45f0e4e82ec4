import { describe, expect, it } from "vitest";
import { HttpRequestError, UserRejectedRequestError } from "viem";
import { describeError, isUserRejection } from "./walletErrors.ts";
import { HexsError } from "../errors.ts";

describe("describeError", () => {
  it("treats EIP-1193 code 4001 as a rejection however it is wrapped", () => {
    const raw = Object.assign(new Error("User denied"), { code: 4001 });
    expect(isUserRejection(new Error("outer", { cause: raw }))).toBe(true);
    expect(describeError(new UserRejectedRequestError(raw))).toBe(
      "You rejected the request in your wallet. Nothing was changed.",
    );
  });

  it("names the RPC endpoint that cannot be reached", () => {
    const error = new HttpRequestError({ url: "http://127.0.0.1:9/", body: {} });
    expect(describeError(error)).toBe("Cannot reach the RPC endpoint http://127.0.0.1:9/. Check it in Settings.");
  });

  it("shows a HexsError's short message as a sentence, without its details", () => {
    expect(describeError(new HexsError("bad card", { details: "license: required" }))).toBe("Bad card.");
  });
});
