import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import type { AkashStandIn } from "../../dev/standins/akash/server.ts";
import { providerAddress } from "../../dev/standins/akash/providers.ts";
import { connectTrain, createDeployment, startStandIn } from "./support/akash.ts";
import { seriousViolations } from "./support/axe.ts";

let standIn: AkashStandIn;
test.beforeAll(async () => {
  standIn = await startStandIn();
});
test.afterAll(async () => {
  await standIn?.stop();
});

const MTLS_PROVIDER = "provider-d";

test.describe("/train: a provider that accepts only client certificates (mTLS)", () => {
  test.setTimeout(150_000);

  test("refuses the JWT; a certificate published from the page gets the job through the provider proxy", async ({
    page,
  }) => {
    const verse = (await readFile(new URL("../../models/corpus/verse.txt", import.meta.url), "utf8")).slice(0, 6000);
    await connectTrain(page, standIn);
    // The GPU picker lists what the providers publish on chain, by vendor, model, memory and interface.
    await expect(page.getByLabel("GPU", { exact: true }).locator("option")).toHaveText([
      "None (CPU only)",
      "NVIDIA A100 40Gi PCIE — 1 provider",
      "NVIDIA A100 80Gi SXM — 1 provider",
      "NVIDIA H100 80Gi SXM — 1 provider",
      "NVIDIA RTX3090 24Gi PCIE — 1 provider",
      "NVIDIA RTX4090 24Gi PCIE — 1 provider",
      "AMD MI300X 192Gi — 1 provider",
      "Another model…",
    ]);
    // Only the mTLS provider offers this GPU within this price.
    await createDeployment(page, { datasetText: verse, steps: 10, gpuModel: "rtx3090", maxPrice: 12 });
    const bids = page.getByTestId("bids");
    await expect(bids).toContainText("mTLS only", { timeout: 15_000 });
    await expect(bids.getByRole("row")).toHaveCount(2);

    // The default, a wallet-signed JWT: the lease is made, the provider refuses the manifest.
    await bids.getByRole("button", { name: "Accept" }).click();
    await expect(page.getByTestId("provider-refused")).toBeVisible({ timeout: 15_000 });
    await expect(page.getByTestId("train-error")).toContainText("HTTP 401");
    await expect(page.getByTestId("train-error")).toContainText("mTLS");
    await expect(page.getByTestId("provider-refused")).toContainText('choose "Client certificate"');
    const dseq = (await page.getByTestId("dseq").textContent())!;
    const owner = standIn.chain.leases.at(-1)!.ref.owner;
    expect(standIn.chain.leases.at(-1)!.ref.provider).toBe(providerAddress(MTLS_PROVIDER));

    // Switch to a client certificate: none yet; make one and publish it with the Cosmos key.
    const auth = page.getByTestId("provider-auth");
    await auth.getByLabel("Client certificate (mTLS)").check();
    await expect(auth).toContainText(`proxy ${standIn.providerProxyUrl}`);
    await expect(auth).toContainText("private key");
    await expect(page.getByTestId("certificate-status")).toContainText("No client certificate");
    await auth.getByRole("button", { name: "Create and publish certificate" }).click();
    await expect(page.getByTestId("certificate-status")).toContainText("is valid on chain until", {
      timeout: 20_000,
    });
    const serial = (await page.getByTestId("certificate-status").locator("code").textContent())!;
    expect(standIn.chain.certificate(owner, serial)?.state).toBe("valid");
    await expect(page.getByTestId("provider-refused")).toContainText("Retry to present your client certificate");
    // The refusal, the authentication choice and the certificate, all on screen at once.
    expect(await seriousViolations(page)).toEqual([]);

    // Retry presents the certificate through the proxy: manifest accepted, logs followed to the end.
    await page.getByRole("button", { name: "Retry" }).click();
    await expect(page.getByTestId("provider-refused")).toHaveCount(0);
    await expect(page.getByTestId("logs")).toContainText('"event":"started"', { timeout: 30_000 });
    await expect(page.getByTestId("lease-status")).toContainText("1 / 1");
    await expect(page.getByTestId("outcome")).toContainText("Job finished", { timeout: 60_000 });
    await expect(page.getByTestId("closed")).toContainText(`Deployment ${dseq} closed`);
    expect(standIn.chain.deployments.get(`${owner}/${dseq}`)?.state).toBe("closed");
  });

  test("revoking the certificate on chain; without a valid one no bid is accepted until a new one is published", async ({
    page,
  }) => {
    await connectTrain(page, standIn);
    const owner = (await page.getByTestId("cosmos-account").locator("code").textContent())!;
    const auth = page.getByTestId("provider-auth");
    await auth.getByLabel("Client certificate (mTLS)").check();
    await auth.getByRole("button", { name: "Create and publish certificate" }).click();
    const status = page.getByTestId("certificate-status");
    await expect(status).toContainText("is valid on chain until", { timeout: 20_000 });
    const serial = (await status.locator("code").textContent())!;

    await auth.getByRole("button", { name: "Revoke certificate" }).click();
    await expect(status).toContainText("No client certificate", { timeout: 20_000 });
    expect(standIn.chain.certificate(owner, serial)?.state).toBe("revoked");

    await createDeployment(page, { datasetText: "any text will do here", steps: 5, gpuModel: "rtx3090", maxPrice: 12 });
    const bids = page.getByTestId("bids");
    await expect(bids).toContainText("mTLS only", { timeout: 15_000 });
    const leasesBefore = standIn.chain.leases.length;
    await bids.getByRole("button", { name: "Accept" }).click();
    await expect(page.getByTestId("train-error")).toContainText("Publish a client certificate first");
    expect(standIn.chain.leases.length).toBe(leasesBefore);

    // The bids stay on screen: publish a new certificate and accept the same bid.
    await auth.getByRole("button", { name: "Create and publish certificate" }).click();
    await expect(status).toContainText("is valid on chain until", { timeout: 20_000 });
    await bids.getByRole("button", { name: "Accept" }).click();
    await expect(page.getByTestId("logs")).toContainText('"event":"started"', { timeout: 30_000 });
    expect(standIn.chain.leases.length).toBe(leasesBefore + 1);
    // Too little text to train on: the job fails and the page closes the deployment itself.
    await expect(page.getByTestId("job-failure")).toContainText("FineTuneDatasetTooSmallError", { timeout: 30_000 });
    await expect(page.getByTestId("closed")).toContainText("closed", { timeout: 20_000 });
  });

  test("a run on the mTLS provider resumes after the tab closed, with the certificate kept in this browser", async ({
    page,
  }) => {
    const verse = (await readFile(new URL("../../models/corpus/verse.txt", import.meta.url), "utf8")).slice(0, 6000);
    await connectTrain(page, standIn);
    const auth = page.getByTestId("provider-auth");
    await auth.getByLabel("Client certificate (mTLS)").check();
    await auth.getByRole("button", { name: "Create and publish certificate" }).click();
    await expect(page.getByTestId("certificate-status")).toContainText("is valid on chain until", { timeout: 20_000 });
    await createDeployment(page, { datasetText: verse, steps: 20, gpuModel: "rtx3090", maxPrice: 12 });
    await expect(page.getByTestId("bids")).toContainText("mTLS only", { timeout: 15_000 });
    await page.getByTestId("bids").getByRole("button", { name: "Accept" }).click();
    await expect(page.getByTestId("logs")).toContainText('"event":"started"', { timeout: 30_000 });
    const dseq = (await page.getByTestId("dseq").textContent())!;

    const context = page.context();
    await page.close();
    const again = await context.newPage();
    await connectTrain(again, standIn, true);
    await expect(again.getByTestId("inflight")).toContainText(dseq);
    // A new tab starts with JWT; the run remembers it went by certificate.
    await expect(again.getByLabel("JWT signed by your wallet")).toBeChecked();
    await again.getByRole("button", { name: "Resume" }).click();
    await expect(again.getByLabel("Client certificate (mTLS)")).toBeChecked();
    await expect(again.getByTestId("outcome")).toContainText("Job finished", { timeout: 60_000 });
    await expect(again.getByTestId("closed")).toContainText(`Deployment ${dseq} closed`);
  });
});
