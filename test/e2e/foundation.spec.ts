import { expect, test } from "@playwright/test";
import { parseEther } from "viem";
import { formatEth } from "../../src/lib/format.ts";
import { standInClient } from "../../dev/standins/storacha/testing.ts";
import { e2eEnv, e2eStoracha, openApp, seededAgents } from "./support/app.ts";
import { TestWallet } from "./support/testWallet.ts";
import { chainClient, devAccount } from "./support/agents.ts";
import { connectDevWallet } from "./support/devWallet.ts";

test.describe("the static build served under /ipfs/<cid>/", () => {
  test("loads every route by hash navigation without requesting anything outside the sub-path", async ({ page }) => {
    const failures: string[] = [];
    page.on("response", (response) => {
      if (response.status() >= 400) failures.push(`${response.status()} ${response.url()}`);
    });
    await openApp(page);
    await expect(page.getByRole("heading", { level: 1, name: "Marketplace" })).toBeVisible();

    await page.getByRole("link", { name: "Account" }).click();
    await expect(page).toHaveURL(/\/ipfs\/[^/]+\/#\/account$/);
    await expect(page.getByRole("heading", { level: 1, name: "Account" })).toBeVisible();

    await page.getByRole("link", { name: "Settings" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();

    await page.reload();
    await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();

    await page.getByRole("link", { name: "HEXS" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Marketplace" })).toBeVisible();
    expect(failures).toEqual([]);
  });
});

test.describe("the dev wallet", () => {
  test("connects and shows the account's balance as read from the local chain", async ({ page }) => {
    await openApp(page);
    await connectDevWallet(page, 3);
    const balance = await chainClient().getBalance({ address: devAccount(3).address });
    await expect(page.getByTestId("balance")).toHaveText(formatEth(balance));
    await expect(page.getByTestId("network")).toHaveText("Local dev chain");
  });

  test("sends a transfer between two dev accounts, shown pending and then confirmed", async ({ page }) => {
    const client = chainClient();
    const recipient = devAccount(2).address;
    const before = await client.getBalance({ address: recipient });
    await openApp(page, "#/account");
    await connectDevWallet(page, 1);
    await page.getByLabel("To").fill(recipient);
    await page.getByLabel("Amount (ETH)").fill("1.5");

    // Hold the block so the pending state is observable, then mine it.
    await client.request({ method: "evm_setAutomine" as never, params: [false] as never });
    try {
      await page.getByRole("button", { name: "Send" }).click();
      await expect(page.getByTestId("tx-status")).toHaveAttribute("data-step", "pending");
      expect(await client.getBalance({ address: recipient })).toBe(before);
      await client.request({ method: "evm_mine" as never });
    } finally {
      await client.request({ method: "evm_setAutomine" as never, params: [true] as never });
    }
    await expect(page.getByTestId("tx-status")).toHaveAttribute("data-step", "confirmed");
    await expect(page.getByTestId("tx-status")).toContainText("Confirmed in block");
    expect(await client.getBalance({ address: recipient })).toBe(before + parseEther("1.5"));
  });

  test("is not offered when the app targets another chain", async ({ page }) => {
    await openApp(page);
    await page.evaluate(
      (rpcUrl) => localStorage.setItem("hexs:settings", JSON.stringify({ chainId: 1, rpcUrl })),
      e2eEnv().rpcUrl,
    );
    // openApp's init script would restore the local settings on reload; open a fresh page instead.
    const other = await page.context().newPage();
    await other.goto(page.url());
    await other.getByRole("button", { name: "Connect wallet" }).click();
    await expect(other.getByRole("list", { name: "Wallets" })).toBeVisible();
    await expect(other.getByRole("button", { name: "HEXS dev wallet" })).toHaveCount(0);
  });
});

test.describe("an injected EIP-6963 wallet", () => {
  test("a rejected connection shows why and leaves the app disconnected", async ({ page }) => {
    const wallet = new TestWallet(e2eEnv().rpcUrl);
    wallet.rejectConnection = true;
    await wallet.install(page);
    await openApp(page);
    await page.getByRole("button", { name: "Connect wallet" }).click();
    await page.getByRole("button", { name: "HEXS Test Wallet" }).click();
    await expect(page.getByTestId("wallet-error")).toContainText("You rejected the request in your wallet");
    await expect(page.getByRole("button", { name: "HEXS Test Wallet" })).toBeVisible();
    await expect(page.getByTestId("balance")).toHaveCount(0);
  });

  test("a rejected transaction changes no balance and keeps what the user typed", async ({ page }) => {
    const wallet = new TestWallet(e2eEnv().rpcUrl);
    await wallet.fund("5");
    await wallet.install(page);
    const client = chainClient();
    const recipient = devAccount(4).address;
    const before = await client.getBalance({ address: recipient });
    await openApp(page, "#/account");
    await page.getByRole("button", { name: "Connect wallet" }).click();
    await page.getByRole("button", { name: "HEXS Test Wallet" }).click();
    await expect(page.getByTestId("balance")).toHaveText("5 ETH");

    wallet.rejectTransactions = true;
    await page.getByLabel("To").fill(recipient);
    await page.getByLabel("Amount (ETH)").fill("2");
    await page.getByRole("button", { name: "Send" }).click();
    await expect(page.getByTestId("tx-status")).toHaveAttribute("data-step", "failed");
    await expect(page.getByTestId("tx-status")).toContainText("You rejected the request in your wallet");
    expect(wallet.sentTransactions).toBe(0);
    expect(await client.getBalance({ address: recipient })).toBe(before);
    expect(await client.getBalance({ address: wallet.account.address })).toBe(parseEther("5"));
    await expect(page.getByLabel("To")).toHaveValue(recipient);
    await expect(page.getByLabel("Amount (ETH)")).toHaveValue("2");

    // The same form, accepted this time, goes through: the rejection lost nothing.
    wallet.rejectTransactions = false;
    await page.getByRole("button", { name: "Send" }).click();
    await expect(page.getByTestId("tx-status")).toHaveAttribute("data-step", "confirmed");
    expect(await client.getBalance({ address: recipient })).toBe(before + parseEther("2"));
  });

  test("on the wrong network, the app offers a switch and follows the wallet to the right chain", async ({ page }) => {
    const wallet = new TestWallet(e2eEnv().rpcUrl);
    wallet.chainId = 1;
    await wallet.install(page);
    await openApp(page);
    await page.getByRole("button", { name: "Connect wallet" }).click();
    await page.getByRole("button", { name: "HEXS Test Wallet" }).click();
    const banner = page.getByTestId("wrong-network");
    await expect(banner).toContainText("Your wallet is on Ethereum, but HEXS is set to the local dev chain.");
    await banner.getByRole("button", { name: "Switch network" }).click();
    await expect(banner).toHaveCount(0);
    expect(wallet.chainId).toBe(31337);
    await expect(page.getByTestId("network")).toHaveText("Local dev chain");
  });
});

test.describe("the marketplace", () => {
  test("reads the agent registry through the generated factory ABI and address", async ({ page }) => {
    await openApp(page);
    await expect(page.getByTestId("agent-count")).toHaveText(/^\d+ agents? on the local dev chain$/);
    const count = Number((await page.getByTestId("agent-count").textContent())!.split(" ")[0]);
    expect(count).toBeGreaterThanOrEqual(seededAgents().length);
  });

  test("names the RPC endpoint when it cannot be reached", async ({ page }) => {
    const { siteUrl } = e2eEnv();
    await page.addInitScript(() =>
      localStorage.setItem("hexs:settings", JSON.stringify({ chainId: 31337, rpcUrl: "http://127.0.0.1:9/" })),
    );
    await page.goto(siteUrl);
    await expect(page.getByTestId("marketplace-error")).toHaveText(
      "Cannot reach the RPC endpoint http://127.0.0.1:9/. Check it in Settings.",
    );
  });
});

test.describe("the settings page", () => {
  test("keeps the endpoints a user saves across reloads, and names a wrong field without saving", async ({ page }) => {
    const { siteUrl } = e2eEnv();
    await page.goto(`${siteUrl}#/settings`);
    await page.getByLabel("Gateways, one per line").fill("http://127.0.0.1:18080\nhttp://127.0.0.1:18081");
    await page.getByLabel("Kubo RPC URL").fill("http://127.0.0.1:15001");
    await page.getByRole("button", { name: "Save and reload" }).click();
    await expect(page.getByLabel("Kubo RPC URL")).toHaveValue("http://127.0.0.1:15001");
    await expect(page.getByLabel("Gateways, one per line")).toHaveValue(
      "http://127.0.0.1:18080\nhttp://127.0.0.1:18081",
    );

    await page.getByLabel("Gateways, one per line").fill("not a url");
    await page.getByRole("button", { name: "Save and reload" }).click();
    await expect(page.getByRole("alert")).toContainText("ipfsGateways.0");
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem("hexs:settings")!));
    expect(stored.ipfsGateways).toEqual(["http://127.0.0.1:18080", "http://127.0.0.1:18081"]);
  });

  // With the build's defaults (the real network, out of reach here): the choice, its persistence,
  // what the publish page says, and the missing-email refusal, which comes before any network call.
  test("switches uploads to Storacha, and the publish page says so and asks for the account email", async ({
    page,
  }) => {
    const { siteUrl } = e2eEnv();
    await page.goto(`${siteUrl}#/settings`);
    await page.getByLabel("Upload target").selectOption("storacha");
    await page.getByRole("button", { name: "Save and reload" }).click();
    await expect(page.getByLabel("Upload target")).toHaveValue("storacha");

    await page.getByRole("link", { name: "Publish" }).click();
    await expect(page.getByTestId("upload-target")).toHaveText("Uploads go to Storacha (no account email set).");
    await page
      .getByLabel(/Weights files/)
      .setInputFiles({ name: "model.onnx", mimeType: "", buffer: Buffer.from("x") });
    await page.getByRole("button", { name: "Upload weights to IPFS" }).click();
    await expect(page.getByTestId("upload-error")).toHaveText("Storacha: set your account email in Settings.");

    await page.getByRole("link", { name: "Settings" }).click();
    await page.getByLabel("Storacha account email").fill("ada@example.com");
    await page.getByRole("button", { name: "Save and reload" }).click();
    await expect(page.getByLabel("Storacha account email")).toHaveValue("ada@example.com");
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem("hexs:settings")!));
    expect(stored).toMatchObject({ ipfsUploadTarget: "storacha", storachaEmail: "ada@example.com", storachaSpace: "" });
    await page.getByRole("link", { name: "Publish" }).click();
    await expect(page.getByTestId("upload-target")).toHaveText("Uploads go to Storacha (ada@example.com).");
  });

  // Settings a user would enter to use another Storacha service: here the stand-in, which
  // confirms the emailed login link itself and also plays the gateway a new space authorizes.
  test("uploads weights through a Storacha service after an email login; the service lists the local root", async ({
    page,
  }) => {
    const { siteUrl } = e2eEnv();
    const storacha = e2eStoracha();
    const email = `eve-${Date.now()}@example.com`;
    await page.goto(`${siteUrl}#/settings`);
    await page.getByLabel("Upload target").selectOption("storacha");
    await page.getByLabel("Storacha account email").fill(email);
    await page.getByLabel("Storacha service URL").fill(storacha.url);
    await page.getByLabel("Storacha service DID").fill(storacha.did);
    await page.getByLabel("Storacha gateway URL").fill(storacha.url);
    await page.getByLabel("Storacha gateway DID").fill(storacha.did);
    await page.getByRole("button", { name: "Save and reload" }).click();
    await expect(page.getByLabel("Storacha service URL")).toHaveValue(storacha.url);

    await page.getByRole("link", { name: "Publish" }).click();
    await expect(page.getByTestId("upload-target")).toHaveText(`Uploads go to Storacha at ${storacha.url} (${email}).`);
    await page
      .getByLabel(/Weights files/)
      .setInputFiles({ name: "model.onnx", mimeType: "", buffer: Buffer.alloc(300_000, 7) });
    await page.getByRole("button", { name: "Upload weights to IPFS" }).click();
    await expect(page.getByTestId("upload-status")).toHaveText("Storacha: space ready.", { timeout: 20_000 });
    await expect(page.getByTestId("upload-percent")).toHaveText("100%");
    const cid = (await page.getByTestId("weights-cid").locator("code").textContent()) ?? "";
    expect(cid).toMatch(/^bafy/);

    // Another device of the same account sees the upload in the space the browser created.
    const device = await standInClient(storacha);
    await device.login(email as `${string}@${string}`);
    const [space] = device.spaces();
    expect(space?.name).toBe("hexs");
    await device.setCurrentSpace(space!.did());
    const uploads = await device.capability.upload.list();
    expect(uploads.results.map((upload) => upload.root.toString())).toEqual([cid]);
  });
});
