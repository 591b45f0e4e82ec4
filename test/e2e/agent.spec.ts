import { expect, test } from "@playwright/test";
import { openApp, seededAgents } from "./support/app.ts";
import {
  advanceChainTime,
  chainClient,
  createFreeAgent,
  devAccountIndexOf,
  pinJson,
  sendAsDev,
  settleAsOperator,
} from "./support/agents.ts";
import { connectDevWallet, connectTestWallet, installFreshWallet } from "./support/devWallet.ts";

function seeded(name: string) {
  const agent = seededAgents().find((a) => a.name === name);
  if (!agent) throw new Error(`the seed has no agent named ${name}`);
  return agent;
}

test.describe("the agent page", () => {
  test("shows the verified model card, versions, score factors and the parent of a derived agent", async ({ page }) => {
    const derived = seeded("StoryTeller Verse");
    await openApp(page, `#/agent/${derived.agent}`);
    await expect(page.getByRole("heading", { level: 1, name: "StoryTeller Verse" })).toBeVisible();
    const card = page.getByTestId("model-card");
    await expect(card.getByRole("heading", { name: "StoryTeller Verse" })).toBeVisible();
    await expect(card.getByText("fine-tuned", { exact: true })).toBeVisible();
    // Each version shows its training record, read from the ledger's VersionRecorded event.
    const firstVersion = page.getByTestId("version").first();
    await expect(firstVersion).toContainText("v0 by");
    await expect(firstVersion).toContainText("Data set");
    await expect(firstVersion).toContainText("Metrics");
    await expect(firstVersion).toContainText("shares minted");
    await expect(page.getByTestId("score")).toContainText("Popularity");
    await page.getByTestId("parent-link").click();
    await expect(page.getByRole("heading", { level: 1, name: "StoryTeller Tiny" })).toBeVisible();
    // …and the parent lists it among the agents fine-tuned from it.
    await page.getByTestId("children").getByRole("link", { name: "StoryTeller Verse" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "StoryTeller Verse" })).toBeVisible();
  });

  test("charts usage and ratings over time from the agent's events, agreeing with its counters", async ({ page }) => {
    const agent = seeded("Fable Engine");
    await openApp(page, `#/agent/${agent.agent}`);
    const header = await page.locator("header.agent").textContent();
    const calls = /(\d+) calls/.exec(header ?? "")?.[1];
    expect(Number(calls)).toBeGreaterThan(0);
    const summaries = page.getByTestId("activity").getByTestId("chart-summary");
    await expect(summaries.first()).toContainText(`Calls (settled usage): ${calls} calls after`);
    await expect(summaries.nth(1)).toContainText("Average rating: ★");
  });

  test("renders a hostile model card without running any of its script or handlers", async ({ page }) => {
    const cid = await pinJson({
      schema: "hexs.model-card/1",
      metadata: { license: "mit", tags: ["xss"] },
      readme: [
        "# Hostile card",
        "<script>window.__pwned = 'script'</script>",
        `<img src="x" onerror="window.__pwned = 'onerror'">`,
        `<a href="javascript:window.__pwned='link'">click me</a>`,
        `<iframe src="javascript:window.top.__pwned='iframe'"></iframe>`,
      ].join("\n\n"),
    });
    const agent = await createFreeAgent({ name: "Hostile Card", modelCardCid: cid });
    await openApp(page, `#/agent/${agent}`);
    const card = page.getByTestId("model-card");
    await expect(card.getByRole("heading", { name: "Hostile card" })).toBeVisible();
    await card.getByText("click me").click();
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as { __pwned?: string }).__pwned)).toBeUndefined();
    await expect(card.locator("script, iframe, [onerror]")).toHaveCount(0);
    await expect(card.locator("a[href^='javascript']")).toHaveCount(0);
  });

  test("names the gateways when no IPFS gateway can be reached, and still shows the agent", async ({ page }) => {
    const agent = seeded("Verse Garden");
    await openApp(page, `#/agent/${agent.agent}`, { ipfsGateways: ["http://127.0.0.1:9"] });
    await expect(page.getByRole("heading", { level: 1, name: "Verse Garden" })).toBeVisible();
    const error = page.getByTestId("model-card-error");
    await expect(error).toContainText("tried http://127.0.0.1:9", { timeout: 20_000 });
    await expect(page.getByTestId("version").first()).toBeVisible();
  });

  test("says which field of a malformed model card is wrong", async ({ page }) => {
    const cid = await pinJson({ schema: "hexs.model-card/1", metadata: { license: "not a license!" }, readme: "# x" });
    const agent = await createFreeAgent({ name: "Malformed Card", modelCardCid: cid });
    await openApp(page, `#/agent/${agent}`);
    await expect(page.getByTestId("model-card-error")).toContainText("license");
  });
});

test.describe("an application developer", () => {
  test("finds an agent by search, buys credits, creates an API key shown once, and revokes it", async ({ page }) => {
    const paid = seeded("Fable Engine");
    await installFreshWallet(page);
    await openApp(page);
    await connectTestWallet(page);
    await page.getByRole("searchbox", { name: "Search" }).fill("fable");
    await page.getByTestId("agent-card").getByRole("link", { name: paid.name }).click();
    await expect(page).toHaveURL(new RegExp(`#/agent/${paid.agent}$`, "i"));
    await expect(page.getByTestId("credits")).toContainText("Your credits: 0");

    await page.getByLabel("Credits to buy").fill("250");
    await page.getByRole("button", { name: "Buy credits" }).click();
    await expect(page.getByTestId("credits")).toContainText("Your credits: 250");

    await page.getByLabel("Spend cap (credits)").fill("100");
    await page.getByRole("button", { name: "Create API key" }).click();
    const secret = await page.getByTestId("api-key-secret").textContent();
    expect(secret).toMatch(/^sk-hexs-[0-9a-f]{112}$/);
    const row = page.getByTestId("api-key-row");
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("0 / 100");
    await expect(row).toContainText("active");
    await page.getByRole("button", { name: "I saved it" }).click();
    await expect(page.getByTestId("api-key-secret")).toHaveCount(0);
    // Only the hash is public: the secret appears nowhere on the page or in the chain's logs.
    await expect(page.locator("body")).not.toContainText(secret!);

    await row.getByRole("button", { name: "Revoke" }).click();
    await expect(row).toContainText("revoked");

    // The account page gathers the credits held in every agent.
    await page.getByRole("link", { name: "Account" }).click();
    const position = page.getByTestId("positions").getByRole("row", { name: /Fable Engine/ });
    await expect(position).toContainText("250");
    await expect(position).toContainText("member");
  });
});

test.describe("a user", () => {
  test("joins a free agent without gaining votes or a rating; on a paid agent rates once its usage is settled, then takes the rest back", async ({
    page,
  }) => {
    test.setTimeout(60_000);
    const free = seeded("Meadow Verse");
    await installFreshWallet(page);
    await openApp(page, `#/agent/${free.agent}`);
    await connectTestWallet(page);
    await page.getByRole("button", { name: "Join" }).click();
    await expect(page.getByTestId("membership")).toHaveText("You are a member of this agent's DAO.");
    // Ratings need settled spending behind them: the page says so instead of offering a doomed transaction.
    await expect(page.getByTestId("rating-needs-spending")).toContainText("Ratings count only with settled usage");
    await expect(page.getByRole("button", { name: "Rate" })).toHaveCount(0);

    const paid = seeded("StoryTeller Tiny");
    await page.getByRole("link", { name: "Marketplace" }).click();
    await page.getByRole("link", { name: "StoryTeller Tiny" }).click();
    await expect(page.getByRole("heading", { level: 1, name: paid.name })).toBeVisible();
    await page.getByLabel("Credits to buy").fill("30");
    await page.getByRole("button", { name: "Buy credits" }).click();
    await expect(page.getByTestId("credits")).toContainText("Your credits: 30");
    await expect(page.getByTestId("rating-needs-spending")).toBeVisible();

    // The user calls the API with a key; the operator settles 20 credits of it.
    await page.getByLabel("Spend cap (credits)").fill("30");
    await page.getByRole("button", { name: "Create API key" }).click();
    const key = (await page.getByTestId("api-key-secret").textContent())!;
    await page.getByRole("button", { name: "I saved it" }).click();
    await settleAsOperator(paid.agent, key, 20n);
    await page.reload();
    await expect(page.getByTestId("credits")).toContainText("Your credits: 10");
    // 20 credits of 0.0001 ETH: 0.002 ETH spent, 200 votes once activated.
    await expect(page.getByTestId("your-votes")).toContainText("0.002 ETH");
    await page.getByRole("button", { name: "Activate 200 votes" }).click();
    await expect(page.getByTestId("your-votes")).toContainText("200 votes in its DAO.");
    await page.getByLabel("4", { exact: true }).check();
    await page.getByRole("button", { name: "Rate" }).click();
    await expect(page.getByTestId("your-rating")).toHaveText("Your rating: ★★★★☆");

    // The 10 unspent credits come back after the notice; the rating goes with them.
    await page.getByLabel("Usage not yet billed (credits)").fill("0");
    await page.getByRole("button", { name: "Request refund" }).click();
    await expect(page.getByTestId("refund-pending")).toContainText("0.001 ETH for 10 credits");
    await advanceChainTime(24 * 60 * 60);
    await page.reload();
    await expect(page.getByTestId("refund-ready")).toBeVisible();
    await page.getByRole("button", { name: "Withdraw 0.001 ETH" }).click();
    await expect(page.getByTestId("credits")).toContainText("Your credits: 0");
    await expect(page.getByTestId("your-rating")).toHaveCount(0);
    await expect(page.getByTestId("your-votes")).toContainText("200 votes", { timeout: 10_000 });
  });
});

test.describe("an LLM developer", () => {
  test("withdraws earnings from settled usage, lists the agent for sale, and a buyer takes it over", async ({
    page,
  }) => {
    const agent = seeded("Fable Engine");
    const client = chainClient();
    await openApp(page, `#/agent/${agent.agent}`);
    await connectDevWallet(page, devAccountIndexOf(agent.owner));
    await expect(page.getByTestId("withdrawable")).not.toHaveText("Withdrawable: 0 ETH");
    const before = await client.getBalance({ address: agent.owner });
    await page.getByRole("button", { name: "Withdraw" }).click();
    await expect(page.getByTestId("withdrawable")).toHaveText("Withdrawable: 0 ETH");
    expect(await client.getBalance({ address: agent.owner })).toBeGreaterThan(before - 10n ** 15n);

    await page.getByLabel("Sale price (ETH)").fill("2");
    await page.getByRole("button", { name: "List for sale" }).click();
    await expect(page.getByTestId("sale")).toHaveText("Listed for sale at 2 ETH.");

    await page.getByLabel("Dev account").selectOption("6");
    await page.getByRole("button", { name: "Buy this agent" }).click();
    await expect(page.locator("header.agent")).toContainText("Owner 0x976E");
    await expect(page.getByTestId("sale")).toHaveCount(0);

    // The seller's proceeds (2 ETH less the 2.5 % protocol fee) wait on its account page.
    await page.getByLabel("Dev account").selectOption(String(devAccountIndexOf(agent.owner)));
    await page.getByRole("link", { name: "Account" }).click();
    const sold = page.getByTestId("positions").getByRole("row", { name: /Fable Engine/ });
    await expect(sold).toContainText("sold it");
    await expect(sold).toContainText("1.95 ETH");
  });
});

test.describe("a buyer of credits", () => {
  test("still sees its prepaid credits and their value on /account after the agent turns free", async ({ page }) => {
    const owner = 9;
    const cid = await pinJson({ schema: "hexs.model-card/1", metadata: { license: "mit" }, readme: "# Turns free" });
    const agent = await createFreeAgent({ name: "Turns Free", modelCardCid: cid, ownerIndex: owner });
    await sendAsDev(owner, agent, "setPrice", [10n ** 15n]);
    await sendAsDev(owner, agent, "setMode", [1]);
    await installFreshWallet(page);
    await openApp(page, `#/agent/${agent}`);
    await connectTestWallet(page);
    await page.getByLabel("Credits to buy").fill("900");
    await page.getByRole("button", { name: "Buy credits" }).click();
    await expect(page.getByTestId("credits")).toContainText("Your credits: 900");
    await sendAsDev(owner, agent, "setMode", [0]);

    await page.getByRole("link", { name: "Account" }).click();
    const row = page.getByTestId("positions").getByRole("row", { name: /Turns Free/ });
    await expect(row).toContainText("900 (0.9 ETH)");
    await expect(row).toContainText("the agent is free now: take them back with a refund");
    await expect(page.getByTestId("position-totals")).toContainText("Prepaid credits worth 0.9 ETH");
  });
});
