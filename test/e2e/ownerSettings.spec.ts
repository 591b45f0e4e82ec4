import { expect, test } from "@playwright/test";
import { agentAbi } from "../../src/lib/contracts/abis.ts";
import { openApp } from "./support/app.ts";
import { chainClient, createFreeAgent, devAccount, pinJson } from "./support/agents.ts";
import { seriousViolations } from "./support/axe.ts";
import { connectDevWallet } from "./support/devWallet.ts";

const OWNER = 9;

test.describe("an owner manages its agent from the agent page", () => {
  test("sets the price and makes it paid, names an endpoint, an operator and a royalty floor; invalid input never reaches the wallet", async ({
    page,
  }) => {
    const cid = await pinJson({ schema: "hexs.model-card/1", metadata: { license: "mit" }, readme: "# Managed" });
    const agent = await createFreeAgent({ name: "Managed Agent", modelCardCid: cid, ownerIndex: OWNER });
    await openApp(page, `#/agent/${agent}`);
    await expect(page.getByTestId("owner-settings")).toHaveCount(0);
    await connectDevWallet(page, OWNER);
    const panel = page.getByTestId("owner-settings");
    await expect(panel.getByTestId("owner-mode")).toHaveText("Now free.");

    // Price: a sentence for junk, and no transaction until the field is valid.
    const price = panel.getByLabel("Price per credit (ETH)");
    await price.fill("a lot");
    await expect(panel.getByText("Enter a price in ETH")).toBeVisible();
    await expect(panel.getByRole("button", { name: "Save price" })).toBeDisabled();
    await expect(panel.getByRole("button", { name: "Make it paid" })).toBeDisabled();
    await price.fill("0.0002");
    await panel.getByRole("button", { name: "Save price" }).click();
    await expect(panel.getByRole("button", { name: "Make it paid" })).toBeEnabled();
    await panel.getByRole("button", { name: "Make it paid" }).click();
    await expect(panel.getByTestId("owner-mode")).toHaveText("Now paid, 0.0002 ETH per credit (one credit per token).");
    await expect(page.getByTestId("inference").getByTestId("no-endpoint")).toBeVisible();

    // Endpoint: only http(s) URLs; once saved the API panel calls it and says it does not answer.
    const endpoint = panel.getByLabel(/Base URL of the gateway/);
    await endpoint.fill("javascript:alert(1)");
    await expect(panel.getByText("The endpoint must be an http(s) URL")).toBeVisible();
    await expect(panel.getByRole("button", { name: "Save endpoint" })).toBeDisabled();
    await endpoint.fill("http://127.0.0.1:9/v1");
    await panel.getByRole("button", { name: "Save endpoint" }).click();
    const api = page.getByTestId("inference");
    await expect(api.getByTestId("endpoint")).toHaveText("http://127.0.0.1:9/v1");
    await expect(api.getByTestId("gateway-status")).toContainText("did not answer", { timeout: 15_000 });
    await expect(api.getByRole("button", { name: "Retry" })).toBeVisible();

    // Operator: an address, never zero.
    const operator = panel.getByLabel(/Address that runs the gateway/);
    await operator.fill("0x0000000000000000000000000000000000000000");
    await expect(panel.getByText("The operator cannot be the zero address.")).toBeVisible();
    const newOperator = devAccount(8).address;
    await operator.fill(newOperator);
    await panel.getByRole("button", { name: "Save operator" }).click();
    // The button is disabled while the transaction is pending too: wait for the chain itself.
    await expect
      .poll(() => chainClient().readContract({ address: agent, abi: agentAbi, functionName: "operator" }))
      .toBe(newOperator);
    await expect(panel.getByRole("button", { name: "Save operator" })).toBeDisabled();

    // Royalty floor: within what the contract allows, shown on the page once set.
    const floor = panel.getByLabel(/Least royalty agents fine-tuned from this one/);
    await floor.fill("60");
    await expect(panel.getByText("The floor is between 0 and 50%.")).toBeVisible();
    await floor.fill("12.5");
    await panel.getByRole("button", { name: "Save royalty floor" }).click();
    await expect(page.getByTestId("royalty-floor")).toContainText("at least 12.5%");

    await panel.getByRole("button", { name: "Make it free" }).click();
    await expect(panel.getByTestId("owner-mode")).toHaveText("Now free.");
    expect(await seriousViolations(page)).toEqual([]);
  });
});
