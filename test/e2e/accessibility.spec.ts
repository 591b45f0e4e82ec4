import { expect, test, type Locator, type Page } from "@playwright/test";
import { settleAsOperator } from "./support/agents.ts";
import { openApp, seededAgents } from "./support/app.ts";
import { seriousViolations } from "./support/axe.ts";
import { connectDevWallet, installFreshWallet } from "./support/devWallet.ts";
import { routes } from "./support/routes.ts";

/** Presses Tab until `target` has focus, failing when it is not in the tab order. */
async function tabTo(page: Page, target: Locator, maxPresses = 80): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press("Tab");
    if (await target.evaluate((element) => element === document.activeElement)) return;
  }
  throw new Error(`${target.toString()} was not reached in ${maxPresses} presses of Tab`);
}

test.describe("accessibility", () => {
  for (const { route, ready } of routes()) {
    const name = route.replace(/0x[0-9a-fA-F]{40}/, "<address>");
    test(`axe finds no serious or critical violation on ${name}`, async ({ page }) => {
      await openApp(page, route);
      await connectDevWallet(page, 5);
      await expect(ready(page)).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });
  }

  test("the main journey controls are reachable by keyboard", async ({ page }) => {
    await openApp(page);
    await expect(page.getByTestId("agent-card").first()).toBeVisible();
    const reached = new Set<string>();
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press("Tab");
      reached.add(
        await page.evaluate(
          () =>
            document.activeElement?.textContent?.trim() ||
            document.activeElement?.getAttribute("aria-label") ||
            document.activeElement?.tagName ||
            "",
        ),
      );
    }
    for (const label of ["Marketplace", "Publish", "Train", "Playground", "Account", "Settings", "Connect wallet"]) {
      expect(reached).toContain(label);
    }
    await page.getByRole("button", { name: "Connect wallet" }).focus();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("list", { name: "Wallets" })).toBeVisible();
  });

  test("a user connects a wallet, buys credits, creates a key and rates an agent with the keyboard alone", async ({
    page,
  }) => {
    const paid = seededAgents().find((agent) => agent.name === "StoryTeller Tiny")!;
    await installFreshWallet(page);
    await openApp(page, `#/agent/${paid.agent}`);
    await expect(page.getByRole("heading", { level: 1, name: paid.name })).toBeVisible();

    await tabTo(page, page.getByRole("button", { name: "Connect wallet" }));
    await page.keyboard.press("Enter");
    await tabTo(page, page.getByRole("button", { name: "HEXS Test Wallet" }));
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("balance")).toBeVisible();

    await tabTo(page, page.getByLabel("Credits to buy"));
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type("3");
    await tabTo(page, page.getByRole("button", { name: "Buy credits" }));
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("credits")).toContainText("Your credits: 3");

    await tabTo(page, page.getByRole("button", { name: "Create API key" }));
    await page.keyboard.press("Enter");
    const key = (await page.getByTestId("api-key-secret").textContent())!;
    await settleAsOperator(paid.agent, key, 2n);
    await page.reload();

    // Tab enters the star group on its checked radio (5); an arrow key moves to 4.
    await tabTo(page, page.getByLabel("5", { exact: true }));
    await page.keyboard.press("ArrowLeft");
    await expect(page.getByLabel("4", { exact: true })).toBeChecked();
    await tabTo(page, page.getByRole("button", { name: "Rate" }));
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("your-rating")).toHaveText("Your rating: ★★★★☆");
  });
});
