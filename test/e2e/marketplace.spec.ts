import { expect, test } from "@playwright/test";
import { hexsFactoryAbi } from "../../src/lib/contracts/abis.ts";
import { deployments } from "../../src/lib/contracts/deployments.ts";
import { toFunctionSelector } from "viem";
import { e2eEnv, openApp, seededAgents } from "./support/app.ts";
import { chainClient } from "./support/agents.ts";

test.describe("browsing the marketplace", () => {
  test("shows a card per seeded agent with its score factors, price, members, usage and rating", async ({ page }) => {
    await openApp(page);
    const search = page.getByRole("searchbox", { name: "Search" });
    // Other tests add agents; finding each seeded one by name keeps this independent of paging.
    for (const agent of seededAgents()) {
      await search.fill(agent.name);
      const card = page
        .getByTestId("agent-card")
        .filter({ has: page.getByRole("heading", { name: agent.name, exact: true }) });
      await expect(card).toHaveCount(1);
      await expect(card.getByTestId("price")).toHaveText(agent.mode === "free" ? "Free" : /ETH \/ credit$/);
      await expect(card.getByTestId("score")).toContainText("Engagement");
      await expect(card).toContainText(/\d+ members/);
      await expect(card).toContainText(/\d+ calls/);
    }
  });

  test("says what HEXS is, calls an unrated agent unrated, and explains the score on hover and focus", async ({
    page,
  }) => {
    await openApp(page);
    await expect(page.getByTestId("intro")).toContainText("marketplace for fine-tuned AI models");
    await expect(page.getByTestId("intro").getByRole("heading", { name: "Build on an API" })).toBeVisible();
    await page.getByRole("searchbox", { name: "Search" }).fill("Meadow Verse");
    const card = page.getByTestId("agent-card").filter({ hasText: "Meadow Verse" });
    await expect(card.getByTestId("score")).toContainText("Rating");
    await expect(card.getByTestId("score")).toContainText("unrated");
    const explanation = card.getByTestId("score-explanation");
    await expect(explanation).toBeHidden();
    await card.getByRole("button", { name: /%$/ }).focus();
    await expect(explanation).toBeVisible();
    await expect(explanation).toContainText("an unrated agent counts as 50%");
    await page.getByRole("searchbox", { name: "Search" }).focus();
    await expect(explanation).toBeHidden();
    await card.getByRole("button", { name: /%$/ }).hover();
    await expect(explanation).toBeVisible();
  });

  test("searches by name and by base model, and says when nothing matches", async ({ page }) => {
    await openApp(page);
    const search = page.getByRole("searchbox", { name: "Search" });
    await search.fill("garden");
    await expect(page.getByTestId("agent-card")).toHaveCount(1);
    await expect(page.getByTestId("agent-card")).toContainText("Verse Garden");

    await search.fill("tiny-verse-char");
    const verseCards = page.getByTestId("agent-card");
    await expect(verseCards.filter({ hasText: "Meadow Verse" })).toHaveCount(1);
    for (const card of await verseCards.all()) await expect(card).toContainText("tiny-verse-char");

    // Tags come from each agent's model card on IPFS: "fables" is only in Fable Engine's card.
    await search.fill("fables");
    await expect(page.getByTestId("agent-card")).toHaveCount(1);
    await expect(page.getByTestId("agent-card").getByTestId("tags")).toContainText("fables");

    await search.fill("no such model");
    await expect(page.getByTestId("agent-card")).toHaveCount(0);
    await expect(page.getByText("No agent matches")).toBeVisible();
  });

  test("opens on the newest agents, read from the end of the registry", async ({ page }) => {
    const client = chainClient();
    const factory = deployments[31337]!.HexsFactory.address;
    await openApp(page);
    await expect(page.getByLabel("Sort by")).toHaveValue("newest");
    await expect(page.getByTestId("agent-card").first()).toBeVisible();
    const count = await client.readContract({ address: factory, abi: hexsFactoryAbi, functionName: "agentCount" });
    const [newest] = await client.readContract({
      address: factory,
      abi: hexsFactoryAbi,
      functionName: "summaries",
      args: [count - 1n, 1n],
    });
    await expect(page.getByTestId("agent-card").first().getByRole("heading")).toHaveText(newest!.name);
  });

  test("a registry read that fails says so, keeps the search, and Retry finishes it", async ({ page }) => {
    const listingsSelector = toFunctionSelector("listings(uint256,uint256)").slice(2);
    let failing = false;
    await page.route(
      (url) => url.origin === new URL(e2eEnv().rpcUrl).origin,
      (route) =>
        failing && route.request().postData()?.includes(listingsSelector)
          ? route.abort("connectionrefused")
          : route.fallback(),
    );
    await openApp(page);
    await expect(page.getByTestId("agent-card").first()).toBeVisible();
    failing = true;
    const search = page.getByRole("searchbox", { name: "Search" });
    await search.fill("garden");
    await expect(page.getByTestId("marketplace-error")).toContainText("Cannot reach the RPC endpoint");
    await expect(search).toHaveValue("garden");

    failing = false;
    await page.getByTestId("marketplace-error").getByRole("button", { name: "Retry" }).click();
    await expect(page.getByTestId("agent-card")).toHaveCount(1);
    await expect(page.getByTestId("agent-card")).toContainText("Verse Garden");
    await expect(page.getByTestId("marketplace-error")).toHaveCount(0);
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
