import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { HF_FOLDER_FILES } from "../../models/hf/writeFolder.ts";
import { agentAbi } from "../../src/lib/contracts/abis.ts";
import { chainClient } from "./support/agents.ts";
import { openApp, seededAgents } from "./support/app.ts";
import { seriousViolations } from "./support/axe.ts";

const folder = new URL("../../models/out-hf/tiny-stories-char/", import.meta.url);

test.describe("an agent's files, as on the Hub", () => {
  test("lists every file of the weights folder with its size, downloads one verified, and says how to use it", async ({
    page,
  }) => {
    const agent = seededAgents().find((a) => a.name === "StoryTeller Tiny")!;
    await openApp(page, `#/agent/${agent.agent}`);
    const files = page.getByTestId("files");
    const rows = files.getByTestId("file-row");
    await expect(rows).toHaveCount(HF_FOLDER_FILES.length, { timeout: 15_000 });
    for (const path of ["config.json", "model.safetensors", "onnx/model.onnx"]) {
      const bytes = (await readFile(new URL(path, folder))).length;
      await expect(rows.and(page.locator(`[data-path="${path}"]`)).getByTestId("file-size")).toHaveAttribute(
        "data-bytes",
        String(bytes),
      );
    }

    // A one-block file and a file of several blocks, each streamed and checked, saved byte for byte.
    for (const path of ["tokenizer.json", "onnx/model.onnx"]) {
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        files.getByRole("button", { name: `Download ${path}` }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(path.split("/").at(-1));
      const saved = await readFile((await download.path())!);
      expect(saved.equals(await readFile(new URL(path, folder))), path).toBe(true);
    }

    const { weightsCid } = await chainClient().readContract({
      address: agent.agent,
      abi: agentAbi,
      functionName: "summary",
    });
    await expect(files.getByTestId("car-link")).toHaveAttribute(
      "href",
      new RegExp(`/ipfs/${weightsCid}\\?format=car$`),
    );
    await expect(files.getByTestId("snippet-car")).toContainText(`--root ${weightsCid}`);
    await expect(files.getByTestId("snippet-python")).toContainText("AutoModelForCausalLM.from_pretrained");
    await expect(files.getByTestId("snippet-transformers-js")).toContainText('pipeline("text-generation"');
    expect(await seriousViolations(page)).toEqual([]);
  });
});
