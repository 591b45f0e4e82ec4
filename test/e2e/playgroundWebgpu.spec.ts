// Issue 15, item 2: models in the Hugging Face layout run on WebGPU where the browser has a GPU,
// on WASM otherwise, and the column says which. Headless Chromium offers WebGPU only with
// --enable-unsafe-webgpu, and then only SwiftShader's software adapter (a fallback adapter):
// Automatic keeps to WASM on it, and WebGPU chosen in Settings runs on it.
import { expect, test, type Locator, type Page } from "@playwright/test";
import type { Address } from "viem";
import { CHROMIUM_ARGS, chromiumExecutablePath } from "../../dev/chromium.ts";
import { openApp } from "./support/app.ts";
import { createAgentWithWeights, hfModelFiles, pinFolder } from "./support/playground.ts";

const OWNER = 8;
const NEW_TOKENS = "12";

let agent: Address;
test.beforeAll(async () => {
  agent = await createAgentWithWeights(
    "WebGPU Stories",
    await pinFolder(await hfModelFiles("tiny-stories-char")),
    OWNER,
  );
});

async function openColumn(page: Page, inferenceDevice: "auto" | "webgpu"): Promise<Locator> {
  await openApp(page, `#/playground?agent=${agent}`, { inferenceDevice });
  return page.getByRole("article", { name: "WebGPU Stories" });
}

/** Greedy, so WASM and WebGPU must write the same text. */
async function generate(page: Page, column: Locator): Promise<string> {
  await page.getByLabel("Prompt").fill("Once upon a time");
  const shared = page.getByRole("group", { name: "Parameters", exact: true });
  await shared.locator('input[name="temperature"]').fill("0");
  await shared.locator('input[name="maxNewTokens"]').fill(NEW_TOKENS);
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  await expect(column.getByTestId("token-count")).toHaveText(NEW_TOKENS, { timeout: 60_000 });
  return column.getByTestId("column-output").innerText();
}

test("with only a software WebGPU adapter, Automatic runs on WASM (faster); WebGPU chosen in Settings runs on it and writes the same text", async ({
  playwright,
}) => {
  test.setTimeout(120_000);
  const browser = await playwright.chromium.launch({
    executablePath: chromiumExecutablePath(),
    args: [...CHROMIUM_ARGS, "--enable-unsafe-webgpu"],
  });
  try {
    const page = await browser.newPage();
    const auto = await openColumn(page, "auto");
    await expect(auto).toHaveAttribute("data-status", "ready", { timeout: 30_000 });
    await expect(auto.getByTestId("runtime")).toHaveText(/\(onnxruntime 1\.\d+\.\d+ wasm, \d+ threads?\)$/);
    const onWasm = await generate(page, auto);

    const gpu = await openColumn(page, "webgpu");
    await expect(gpu).toHaveAttribute("data-status", "ready", { timeout: 60_000 });
    await expect(gpu.getByTestId("runtime")).toHaveText(
      /^transformers\.js 4\.\d+\.\d+ \(onnxruntime 1\.\d+\.\d+ webgpu\)$/,
    );
    expect(await generate(page, gpu)).toBe(onWasm);
  } finally {
    await browser.close();
  }
});

test("WebGPU chosen in Settings on a browser without an adapter says so in the column", async ({ page }) => {
  const column = await openColumn(page, "webgpu");
  const error = column.getByTestId("column-error");
  await expect(error).toContainText("This browser offers no WebGPU adapter", { timeout: 30_000 });
  await expect(error).toContainText("Choose Automatic or WASM in Settings");
});
