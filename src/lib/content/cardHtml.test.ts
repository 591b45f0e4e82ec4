import { describe, expect, it } from "vitest";
import { parseIpfsImage, sniffImageType } from "./cardHtml.ts";

describe("card images", () => {
  it("splits an ipfs:// source into its CID and the path inside it", () => {
    expect(parseIpfsImage("ipfs://bafkqaaa")).toEqual({ cid: "bafkqaaa" });
    expect(parseIpfsImage("ipfs://bafybeicid/images/logo%20v2.png")).toEqual({
      cid: "bafybeicid",
      path: "images/logo v2.png",
    });
  });

  it("refuses sources that are not ipfs:// or carry a query", () => {
    expect(parseIpfsImage("https://example.org/logo.png")).toBeUndefined();
    expect(parseIpfsImage("ipfs://bafybeicid/logo.png?track=1")).toBeUndefined();
    expect(parseIpfsImage("ipfs://")).toBeUndefined();
  });

  it("names image bytes by their signature and nothing else", () => {
    expect(sniffImageType(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a))).toBe("image/png");
    expect(sniffImageType(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0))).toBe("image/jpeg");
    expect(sniffImageType(new TextEncoder().encode("GIF89a"))).toBe("image/gif");
    expect(sniffImageType(new TextEncoder().encode("RIFF\0\0\0\0WEBPVP8 "))).toBe("image/webp");
    expect(sniffImageType(new TextEncoder().encode("<svg onload=alert(1)>"))).toBeUndefined();
    expect(sniffImageType(new TextEncoder().encode("<html>"))).toBeUndefined();
  });
});
