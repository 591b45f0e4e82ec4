import { expect, test } from "@playwright/test";
import { openApp } from "./support/app.ts";
import { connectDevWallet } from "./support/devWallet.ts";
import { routes } from "./support/routes.ts";

/** A laptop and a phone (an iPhone's CSS width). */
const WIDTHS = [1360, 390];

test.describe("layout", () => {
  for (const width of WIDTHS) {
    for (const { route, ready } of routes()) {
      const name = route.replace(/0x[0-9a-fA-F]{40}/, "<address>");
      test(`${name} at ${width} px fits the window, and its screenshot is kept`, async ({ page }, testInfo) => {
        await page.setViewportSize({ width, height: 900 });
        await openApp(page, route);
        await connectDevWallet(page, 5);
        await expect(ready(page)).toBeVisible();
        // What sticks out past the right edge, for the failure message.
        const overflow = await page.evaluate(() => {
          const limit = document.documentElement.clientWidth;
          const past = (element: Element) => element.getBoundingClientRect().right > limit + 1;
          // The innermost culprits: elements past the edge none of whose children are.
          const wide = [...document.querySelectorAll("body *")]
            .filter((element) => past(element) && ![...element.children].some(past))
            .map((element) => {
              const id = element.getAttribute("data-testid") ?? element.className;
              const text = (element.textContent ?? "").trim().slice(0, 24);
              return `${element.tagName.toLowerCase()}${id ? `[${String(id).slice(0, 40)}]` : ""} "${text}" → ${Math.round(element.getBoundingClientRect().right)} px`;
            });
          return { scrollWidth: document.documentElement.scrollWidth, limit, wide: wide.slice(0, 8) };
        });
        // Kept with the test's results (and in the HTML report) for a person to look at.
        const file = testInfo.outputPath(`${name.replace(/[^a-z0-9]+/gi, "-")}-${width}.png`);
        await page.screenshot({ path: file, fullPage: true });
        await testInfo.attach(`${width} px`, { path: file, contentType: "image/png" });
        expect(overflow.wide, `elements past ${overflow.limit} px`).toEqual([]);
        expect(overflow.scrollWidth).toBeLessThanOrEqual(overflow.limit);
      });
    }
  }
});
