import { describe, expect, it } from "vitest";
import { HexsError } from "./errors.ts";

describe("HexsError", () => {
  it("keeps the short message apart from the details", () => {
    const error = new HexsError("Upload failed", { details: "CID mismatch" });
    expect(error.shortMessage).toBe("Upload failed");
    expect(error.message).toContain("Details: CID mismatch");
  });

  it("walks the cause chain to the deepest error, or to the first that matches", () => {
    const root = new TypeError("fetch failed");
    const middle = new HexsError("RPC unreachable", { cause: root });
    const top = new HexsError("Could not load agents", { cause: middle });
    expect(top.walk()).toBe(root);
    expect(top.walk((e) => e instanceof HexsError && e.shortMessage.startsWith("RPC"))).toBe(middle);
    expect(top.walk((e) => e instanceof RangeError)).toBeUndefined();
  });
});
