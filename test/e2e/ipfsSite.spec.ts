import { expect, test } from "@playwright/test";
import { publishDirectory } from "../../dev/scripts/publish-ipfs.ts";
import { ROOT } from "../../dev/stack/processes.ts";
import { e2eEnv, testSettings } from "./support/app.ts";

test.describe("the dApp published to IPFS", () => {
  test("loads from the local node's gateway at /ipfs/<cid>/, navigates its routes and reads the local chain", async ({
    page,
  }) => {
    const { ipfsUrl } = e2eEnv();
    const published = await publishDirectory(`${ROOT}build`, { api: ipfsUrl });
    expect(published.url).toBe(`${ipfsUrl}/ipfs/${published.cid}/`);

    await page.addInitScript(
      (settings) => localStorage.setItem("hexs:settings", JSON.stringify(settings)),
      testSettings(),
    );
    const failures: string[] = [];
    page.on("response", (response) => {
      if (response.status() >= 400) failures.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(published.url);
    await expect(page.getByTestId("agent-count")).toHaveText(/^\d+ agents on the local dev chain$/);
    await page.getByRole("link", { name: "Settings" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
    await page.getByRole("link", { name: "Marketplace" }).click();
    await page.getByTestId("agent-card").first().getByRole("link").click();
    await expect(page.getByTestId("model-card").getByRole("heading").nth(1)).toBeVisible();
    expect(page.url()).toContain(`/ipfs/${published.cid}/#/agent/0x`);
    expect(failures).toEqual([]);
  });
});
