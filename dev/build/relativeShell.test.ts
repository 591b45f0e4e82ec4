import { describe, expect, it } from "vitest";
import { makeShellAssetsRelative } from "./relativeShell.ts";

describe("makeShellAssetsRelative", () => {
  it("rewrites root-absolute links, preloads and dynamic imports", () => {
    const html = `<link href="/_app/a.css"><link rel="icon" href="/favicon.svg"><script>import("/_app/start.js")</script>`;
    expect(makeShellAssetsRelative(html)).toBe(
      `<link href="./_app/a.css"><link rel="icon" href="./favicon.svg"><script>import("./_app/start.js")</script>`,
    );
  });

  it("leaves protocol-relative, absolute and already relative URLs alone", () => {
    const html = `<a href="//cdn.example/x"></a><a href="https://e.org/"></a><link href="./_app/z.js">`;
    expect(makeShellAssetsRelative(html)).toBe(html);
  });
});
