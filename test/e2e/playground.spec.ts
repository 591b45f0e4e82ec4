import { expect, test, type Locator, type Page } from "@playwright/test";
import { readFile } from "node:fs/promises";
import { documentCid } from "../../src/lib/onnx/documents.ts";
import { parseBenchmarkSet } from "../../src/lib/onnx/benchmark.ts";
import { shortAddress } from "../../src/lib/format.ts";
import { devAccount } from "./support/agents.ts";
import { e2eEnv, openApp } from "./support/app.ts";
import { connectDevWallet } from "./support/devWallet.ts";
import { createAgentWithWeights, demoModelFiles, hfModelFiles, pinFolder, pinWeights } from "./support/playground.ts";

const OWNER = 8;
const SETTINGS = { temperature: "0.9", topK: "30", topP: "0.95", maxNewTokens: "40", seed: "42" };

async function setParameters(page: Page, values: Record<string, string>) {
  const shared = page.getByRole("group", { name: "Parameters", exact: true });
  for (const [name, value] of Object.entries(values)) await shared.locator(`input[name="${name}"]`).fill(value);
}

async function generateAll(page: Page, columns: Locator[]): Promise<string[]> {
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  for (const column of columns) await expect(column.getByTestId("token-count")).toHaveText(SETTINGS.maxNewTokens);
  return Promise.all(columns.map((column) => column.getByTestId("column-output").innerText()));
}

test("compares the two demo models, benchmarks them, publishes a result and sees it reproduce", async ({ page }) => {
  test.setTimeout(180_000);
  // The stories model in HEXS's first format, the verse model in the Hugging Face layout.
  const [stories, verse] = await Promise.all([demoModelFiles("tiny-stories-char"), hfModelFiles("tiny-verse-char")]);
  const [storiesCid, verseCid, brokenCid] = await Promise.all([
    pinWeights(stories),
    pinFolder(verse),
    pinWeights({ model: new TextEncoder().encode("these bytes are not an ONNX model"), tokenizer: stories.tokenizer }),
  ]);
  const storyAgent = await createAgentWithWeights("Playground Stories", storiesCid, OWNER);
  const verseAgent = await createAgentWithWeights("Playground Verse", verseCid, OWNER);
  const brokenAgent = await createAgentWithWeights("Playground Broken", brokenCid, OWNER);

  // Opened from an agent page's link: both demo agents preselected; the broken one added by hand.
  await openApp(page, `#/playground?agent=${storyAgent}&agent=${verseAgent}`);
  await connectDevWallet(page, OWNER);
  const storyColumn = page.getByRole("article", { name: "Playground Stories" });
  const verseColumn = page.getByRole("article", { name: "Playground Verse" });
  await expect(storyColumn).toHaveAttribute("data-status", "ready", { timeout: 30_000 });
  await expect(verseColumn).toHaveAttribute("data-status", "ready");
  await expect(storyColumn.getByTestId("model-size")).toHaveText(`${Math.round(stories.model.length / 1024)} KiB`);
  await expect(storyColumn.getByTestId("load-source")).toContainText("from IPFS (verified)");
  await expect(storyColumn.getByTestId("runtime")).toHaveText(/^onnxruntime-web 1\.\d+\.\d+ wasm, \d+ threads?$/);
  await expect(verseColumn.getByTestId("runtime")).toHaveText(
    /^transformers\.js 4\.\d+\.\d+ \(onnxruntime 1\.\d+\.\d+ wasm, \d+ threads?\)$/,
  );
  await expect(verseColumn.getByTestId("model-size")).toHaveText(
    `${Math.round(verse["onnx/model.onnx"]!.length / 1024)} KiB`,
  );

  await page.getByLabel("Agent").selectOption(brokenAgent);
  await page.getByRole("button", { name: "Add to comparison" }).click();
  const brokenColumn = page.getByRole("article", { name: "Playground Broken" });
  await expect(brokenColumn.getByTestId("column-error")).toHaveAttribute("data-kind", "bad-onnx");
  await expect(brokenColumn.getByTestId("column-error")).toContainText("not an ONNX model");

  // Side by side on one prompt: streamed text, latency, speed; the same seed gives the same text.
  await page.getByLabel("Prompt").fill("Once upon a time");
  await setParameters(page, SETTINGS);
  const first = await generateAll(page, [storyColumn, verseColumn]);
  expect(first[0]).toHaveLength(40);
  expect(first[0]).not.toBe(first[1]);
  for (const column of [storyColumn, verseColumn]) {
    await expect(column.getByTestId("first-token")).toHaveText(/^\d+ ms$/);
    await expect(column.getByTestId("tokens-per-second")).toHaveText(/^\d+\.\d tokens\/s$/);
  }
  expect(await generateAll(page, [storyColumn, verseColumn])).toEqual(first);

  // A long generation can be stopped.
  await setParameters(page, { maxNewTokens: "2000" });
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  await expect(storyColumn.getByTestId("column-output")).not.toBeEmpty();
  await page.getByRole("button", { name: "Stop all" }).click();
  await expect(storyColumn.getByTestId("token-count")).toContainText("(stopped)");

  // The shipped benchmark set, pinned from the UI, named by its CID.
  const shipped = parseBenchmarkSet(JSON.parse(await readFile("src/lib/onnx/benchmarks/tiny-char-v1.json", "utf8")));
  const setCid = await documentCid(shipped);
  await expect(page.getByLabel("Benchmark set CID")).toHaveValue(setCid);
  await page.getByRole("button", { name: "Load set" }).click();
  await page.getByRole("button", { name: /Pin the demo set/ }).click();
  await expect(page.getByTestId("set-loaded")).toContainText("tiny-char-v1");
  await page.getByRole("button", { name: "Run on 2 agents" }).click();
  const rows = page.getByTestId("benchmark-row");
  await expect(rows).toHaveCount(2, { timeout: 30_000 });
  const scoreOf = async (agent: string, task: number) =>
    Number(
      await rows
        .and(page.locator(`[data-agent="${agent}"]`))
        .getByTestId("score")
        .nth(task)
        .getAttribute("data-value"),
    );
  // Each model is better (lower perplexity) on its own corpus.
  expect(await scoreOf(storyAgent, 0)).toBeLessThan(await scoreOf(verseAgent, 0));
  expect(await scoreOf(verseAgent, 1)).toBeLessThan(await scoreOf(storyAgent, 1));

  // The owner publishes the stories result: the result document is pinned, then recorded.
  const storyRow = rows.and(page.locator(`[data-agent="${storyAgent}"]`));
  await storyRow.getByRole("button", { name: "Publish result" }).click();
  const resultCid = (await storyRow.getByTestId("result-cid").innerText()).trim();
  expect(resultCid).toMatch(/^bafk/);
  await storyRow.getByRole("button", { name: "Record on the ledger" }).click();
  await expect(storyRow.getByTestId("tx-status")).toHaveAttribute("data-step", "confirmed");

  // The record is listed under the re-run panel (recorder, set, weights, block); anyone re-runs it
  // in their own browser from there, without typing a CID: it reproduces.
  const record = page.getByTestId("published-result").and(page.locator(`[data-result-cid="${resultCid}"]`));
  await expect(record).toHaveCount(1);
  await expect(record).toContainText("Playground Stories #0");
  await expect(record).toContainText(shortAddress(devAccount(OWNER).address));
  await expect(record).toContainText(setCid);
  await expect(record).toContainText(storiesCid);
  await expect(record).toContainText(/block \d+/);
  await record.getByRole("button", { name: "Re-run" }).click();
  await expect(page.getByLabel("Published result CID")).toHaveValue(resultCid);
  await expect(page.getByTestId("reproduction")).toHaveAttribute("data-reproduces", "true", { timeout: 30_000 });
  await expect(page.getByTestId("reproduction")).toContainText("Reproduces");

  // The agent page lists it too; its link opens the playground with the agent loaded and the CID
  // pre-filled, and the typed-CID path reproduces as well.
  await page.goto(`${e2eEnv().siteUrl}#/agent/${storyAgent}`);
  const published = page.getByRole("region", { name: "Published benchmark results" });
  await expect(published.getByTestId("metric-record")).toHaveCount(1);
  await expect(published.getByTestId("metric-record")).toContainText(storiesCid);
  await published.getByRole("link", { name: "Result #0" }).click();
  await expect(page).toHaveURL(new RegExp(`#/playground\\?agent=${storyAgent}&result=${resultCid}$`));
  await expect(page.getByLabel("Published result CID")).toHaveValue(resultCid);
  await expect(page.getByRole("article", { name: "Playground Stories" })).toHaveAttribute("data-status", "ready", {
    timeout: 30_000,
  });
  await page.getByRole("button", { name: "Re-run in this browser" }).click();
  await expect(page.getByTestId("reproduction")).toHaveAttribute("data-reproduces", "true", { timeout: 30_000 });
  await expect(page.getByTestId("reproduction")).toContainText("Reproduces");
});

test("a broken model folder in the Hugging Face layout says what is wrong, in its own column", async ({ page }) => {
  test.setTimeout(90_000);
  const verse = await hfModelFiles("tiny-verse-char");
  const legacy = await demoModelFiles("tiny-verse-char");
  const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
  const { "config.json": _config, ...withoutConfig } = verse;
  const broken: [name: string, files: Record<string, Uint8Array>, kind: string, message: string][] = [
    ["No Config", withoutConfig, "bad-config", "has no config.json"],
    [
      "Unknown Type",
      { ...verse, "config.json": json({ model_type: "nonesuch", vocab_size: 97 }) },
      "bad-config",
      'models of type "nonesuch"',
    ],
    ["No KV Cache", { ...verse, "onnx/model.onnx": legacy.model }, "wrong-inputs", "inputs and outputs"],
    [
      "Bad Tokenizer",
      { ...verse, "tokenizer.json": new TextEncoder().encode("<html>not json</html>") },
      "bad-tokenizer",
      "tokenizer.json is missing or invalid",
    ],
  ];
  // One account creates them, one transaction after another.
  const agents: string[] = [];
  for (const [name, files] of broken)
    agents.push(await createAgentWithWeights(`Broken ${name}`, await pinFolder(files), OWNER));
  await openApp(page, `#/playground?${agents.map((agent) => `agent=${agent}`).join("&")}`);
  for (const [name, , kind, message] of broken) {
    const error = page.getByRole("article", { name: `Broken ${name}` }).getByTestId("column-error");
    await expect(error).toHaveAttribute("data-kind", kind, { timeout: 30_000 });
    await expect(error).toContainText(message);
  }
});

test("chat mode: a model with a chat template answers in its own conversation; one without says so", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const verse = await hfModelFiles("tiny-verse-char");
  const config = JSON.parse(new TextDecoder().decode(verse["tokenizer_config.json"])) as Record<string, unknown>;
  // A template in the shape chat models ship (roles, turns, the generation prompt), over this model's characters.
  config.chat_template =
    "{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}{% if add_generation_prompt %}assistant: {% endif %}";
  const chatCid = await pinFolder({
    ...verse,
    "tokenizer_config.json": new TextEncoder().encode(JSON.stringify(config)),
  });
  const chatAgent = await createAgentWithWeights("Chat Verse", chatCid, OWNER);
  const plainAgent = await createAgentWithWeights("Plain Verse", await pinFolder(verse), OWNER);

  await openApp(page, `#/playground?agent=${chatAgent}&agent=${plainAgent}`);
  await connectDevWallet(page, OWNER);
  const chat = page.getByRole("article", { name: "Chat Verse" });
  const plain = page.getByRole("article", { name: "Plain Verse" });
  await expect(chat.getByTestId("runtime")).toContainText("transformers.js", { timeout: 60_000 });
  await expect(plain.getByTestId("runtime")).toContainText("transformers.js", { timeout: 60_000 });

  await page.getByRole("radio", { name: "Chat" }).check();
  await expect(plain.getByTestId("no-chat-template")).toBeVisible();
  await setParameters(page, { maxNewTokens: "12", seed: "3" });
  await page.getByLabel("Message").fill("the willow");
  await page.getByRole("button", { name: "Send", exact: true }).click();

  await expect(chat.getByTestId("chat-turn")).toHaveCount(2, { timeout: 30_000 });
  await expect(chat.getByTestId("chat-turn").first()).toHaveAttribute("data-role", "user");
  await expect(chat.getByTestId("chat-turn").last()).toHaveAttribute("data-role", "assistant");
  await expect(chat.getByTestId("token-count")).toHaveText("12");
  await chat.getByText("What the model was given").click();
  expect(await chat.getByTestId("chat-prompt").textContent()).toBe("user: the willow\nassistant: ");
  await expect(plain.getByTestId("column-error")).toContainText("This model has no chat template");

  // A second turn carries the first: the template renders the whole conversation.
  await page.getByLabel("Message").fill("and the river");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await expect(chat.getByTestId("chat-turn")).toHaveCount(4, { timeout: 30_000 });
  await expect(chat.getByTestId("chat-prompt")).toContainText("user: the willow");
  await expect(chat.getByTestId("chat-prompt")).toContainText("user: and the river");
  await page.getByRole("button", { name: "New chat" }).click();
  await expect(chat.getByTestId("chat-turn")).toHaveCount(0);
});
