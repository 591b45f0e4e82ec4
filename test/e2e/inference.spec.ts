import { expect, test } from "@playwright/test";
import OpenAI from "openai";
import { formatEth } from "../../src/lib/format.ts";
import { agentAbi } from "../../src/lib/contracts/abis.ts";
import { chainClient, devAccountIndexOf } from "./support/agents.ts";
import { e2eGateway, openApp, seededAgents } from "./support/app.ts";
import { connectDevWallet, connectTestWallet, installFreshWallet } from "./support/devWallet.ts";

test.describe("an application developer calls an agent through its API", () => {
  test("creates a key on the agent page, calls the endpoint with the openai client, and sees the usage settle and the holders' earnings grow", async ({
    page,
  }) => {
    test.setTimeout(60_000);
    const agent = seededAgents().find((a) => a.name === "StoryTeller Verse")!;
    const gateway = e2eGateway(agent.agent);
    const client = chainClient();
    const holderEarnings = () =>
      client.readContract({ address: agent.agent, abi: agentAbi, functionName: "withdrawable", args: [agent.owner] });
    const before = await holderEarnings();

    await installFreshWallet(page);
    await openApp(page, `#/agent/${agent.agent}`);
    await connectTestWallet(page);
    const api = page.getByTestId("inference");
    await expect(api.getByTestId("endpoint")).toHaveText(gateway.endpoint);
    await expect(api.getByTestId("model-id")).toHaveText(gateway.model);
    await expect(api.getByTestId("token-price")).toContainText("0.1 ETH per 1 000 tokens");
    await expect(api.getByTestId("gateway-status")).toContainText("Serving the latest version");

    await page.getByLabel("Credits to buy").fill("300");
    await page.getByRole("button", { name: "Buy credits" }).click();
    await expect(page.getByTestId("credits")).toContainText("Your credits: 300");
    await page.getByLabel("Spend cap (credits)").fill("200");
    await page.getByRole("button", { name: "Create API key" }).click();
    const key = (await page.getByTestId("api-key-secret").textContent())!;
    // While the key is on screen, the snippets carry it, ready to paste.
    await expect(api.getByTestId("snippet")).toContainText(`Authorization: Bearer ${key}`);
    await api.getByRole("button", { name: "JavaScript" }).click();
    await expect(api.getByTestId("snippet")).toContainText(`baseURL: "${gateway.endpoint}", apiKey: "${key}"`);
    await page.getByRole("button", { name: "I saved it" }).click();
    await expect(page.locator("body")).not.toContainText(key);

    // The official client, unchanged but for the base URL and key the page gave.
    const openai = new OpenAI({ baseURL: gateway.endpoint, apiKey: key });
    const answer = await openai.chat.completions.create({
      model: gateway.model,
      messages: [{ role: "user", content: "Tell me a story about a fox." }],
      max_tokens: 16,
    });
    expect(answer.choices[0]!.message.content!.length).toBeGreaterThan(0);
    const billed = answer.usage!.total_tokens;

    // The gateway settles within seconds; the page follows the key's pending usage and receipts.
    const report = page.getByTestId("key-report");
    await expect(report.getByTestId("key-pending")).toContainText(`Settled: ${billed} of a 200-credit cap`, {
      timeout: 15_000,
    });
    await expect(report.getByTestId("key-pending")).toContainText("Not yet settled: 0 credits");
    const receipt = report.getByTestId("receipt-row");
    await expect(receipt).toHaveCount(1);
    await expect(receipt).toContainText(`${answer.usage!.prompt_tokens} + ${answer.usage!.completion_tokens}`);
    await expect(receipt).toContainText("valid");

    // After a reload the page no longer holds the secret; the chain still tells the story.
    await page.reload();
    await expect(page.getByTestId("key-settled")).toHaveText(`${billed} / 200`);
    await expect(page.getByTestId("credits")).toContainText(`Your credits: ${300 - billed}`);
    await expect(page.getByTestId("chart-summary").filter({ hasText: "credits settled" })).toContainText(
      `${billed} credits after 1 events`,
    );
    const after = await holderEarnings();
    expect(after).toBeGreaterThan(before);

    // The account page lists the key with what it has settled.
    await page.getByRole("link", { name: "Account" }).click();
    const row = page.getByTestId("account-key-row");
    await expect(row).toContainText(agent.name);
    await expect(row).toContainText(`${billed} / 200`);
    await expect(row).toContainText(gateway.endpoint);

    // The agent's holder (its owner holds every training share) sees the earnings on the agent page.
    const holder = await page.context().newPage();
    await openApp(holder, `#/agent/${agent.agent}`);
    await connectDevWallet(holder, devAccountIndexOf(agent.owner));
    await expect(holder.getByTestId("withdrawable")).toHaveText(`Withdrawable: ${formatEth(after)}`);
  });
});
