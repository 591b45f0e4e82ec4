import { expect, test } from "@playwright/test";
import { e2eEnv, openApp, seededAgents } from "./support/app.ts";
import { createAgentWithWeights, demoModelFiles, pinWeights } from "./support/playground.ts";
import { startSwitchableGateway, type SwitchableGateway } from "./support/switchableGateway.ts";

let gateway: SwitchableGateway;
test.beforeEach(async () => {
  gateway = await startSwitchableGateway(e2eEnv().ipfsUrl);
});
test.afterEach(() => gateway?.stop());

test.describe("an IPFS gateway that goes down and comes back", () => {
  test("the model card says no gateway answered within 15 s, and Retry reads it once the gateway is back, without a reload", async ({
    page,
  }) => {
    const agent = seededAgents().find((a) => a.name === "Verse Garden")!;
    await gateway.down();
    let loads = 0;
    page.on("load", () => loads++);
    await openApp(page, `#/agent/${agent.agent}`, { ipfsGateways: [gateway.url] });
    const error = page.getByTestId("model-card-error");
    await expect(error).toContainText(`No gateway answered (tried ${gateway.url}).`, { timeout: 15_000 });
    await gateway.up();
    await error.getByRole("button", { name: "Retry" }).click();
    await expect(page.getByTestId("model-card").getByRole("heading", { name: "Verse Garden" })).toBeVisible();
    await expect(page.getByTestId("model-card-error")).toHaveCount(0);
    expect(loads).toBe(1);
  });

  test("a playground column says so within 15 s and loads on Retry once the gateway is back", async ({ page }) => {
    const weightsCid = await pinWeights(await demoModelFiles("tiny-stories-char"));
    const agent = await createAgentWithWeights("Outage Stories", weightsCid, 8);
    await gateway.down();
    await openApp(page, `#/playground?agent=${agent}`, { ipfsGateways: [gateway.url] });
    const column = page.getByRole("article", { name: "Outage Stories" });
    await expect(column.getByTestId("column-error")).toHaveAttribute("data-kind", "unreachable", { timeout: 15_000 });
    await gateway.up();
    await column.getByRole("button", { name: "Retry" }).click();
    await expect(column).toHaveAttribute("data-status", "ready", { timeout: 30_000 });
    await expect(column.getByTestId("load-source")).toContainText("from IPFS (verified)");
  });
});
