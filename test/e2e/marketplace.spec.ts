import { expect, test } from "@playwright/test";
import { openApp, seededAgents } from "./support/app.ts";

test.describe("browsing the marketplace", () => {
  test("shows a card per seeded agent with its score factors, price, members, usage and rating", async ({ page }) => {
    await openApp(page);
    const cards = page.getByTestId("agent-card");
    for (const agent of seededAgents()) {
      const card = cards.filter({ has: page.getByRole("heading", { name: agent.name, exact: true }) });
      await expect(card).toHaveCount(1);
      await expect(card.getByTestId("price")).toHaveText(agent.mode === "free" ? "Free" : /ETH \/ credit$/);
      await expect(card.getByTestId("score")).toContainText("Engagement");
      await expect(card).toContainText(/\d+ members/);
      await expect(card).toContainText(/\d+ calls/);
    }
  });

  test("searches by name and by base model, and says when nothing matches", async ({ page }) => {
    await openApp(page);
    const search = page.getByRole("searchbox", { name: "Search" });
    await search.fill("garden");
    await expect(page.getByTestId("agent-card")).toHaveCount(1);
    await expect(page.getByTestId("agent-card")).toContainText("Verse Garden");

    await search.fill("tiny-verse-char");
    await expect(page.getByTestId("agent-card")).toHaveCount(2);

    await search.fill("no such model");
    await expect(page.getByTestId("agent-card")).toHaveCount(0);
    await expect(page.getByText("No agent matches")).toBeVisible();
  });

  test("sorts by price with free agents first, and by usage with the most called first", async ({ page }) => {
    await openApp(page);
    await page.getByLabel("Sort by").selectOption("price");
    const prices = page.getByTestId("agent-card").getByTestId("price");
    await expect(prices.first()).toHaveText("Free");
    await page.getByLabel("Sort by").selectOption("usage");
    const calls = await page
      .getByTestId("agent-card")
      .getByText(/^\d+ calls$/)
      .allTextContents();
    const numbers = calls.map((text) => Number(text.split(" ")[0]));
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
  });
});
