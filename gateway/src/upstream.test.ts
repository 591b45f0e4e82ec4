// Upstream mode (issue 13, item 8): a gateway metering and settling in front of an OpenAI-compatible
// server, tested against a second gateway instance in built-in mode as that server, called with the
// official `openai` client. The front gateway bills its own keys by the upstream's token counts and
// signs its own receipts; the upstream is reached with a key of its own.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import type { Address } from "viem";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { freePort } from "../../dev/stack/ports.ts";
import { abortAfterTokens } from "../test/abort.ts";
import { eventually, startTestStack, type TestStack } from "../test/stack.ts";
import { startGateway, type Gateway } from "./gateway.ts";
import { UpstreamRuntime } from "./runtime/upstream.ts";

const OWNER = 1;
const USER = 2;

let stack: TestStack;
let agent: Address;
let upstream: Gateway | undefined;
let front: Gateway;
let key: string;
let upstreamKey: string;
const dirs: string[] = [];
const dataDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), "hexs-upstream-"));
  dirs.push(dir);
  return dir;
};

/** The front gateway's log lines (JSON on stdout) about loading its model. */
const loadLog: { event: string; error?: string }[] = [];

beforeAll(async () => {
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, "write").mockImplementation((chunk, ...rest) => {
    for (const line of String(chunk).split("\n")) {
      if (!line.includes('"event":"model-load')) continue;
      const entry = JSON.parse(line) as { event: string; error?: string; weightsCid?: string };
      if (entry.weightsCid === "upstream")
        loadLog.push({ event: entry.event, ...(entry.error ? { error: entry.error } : {}) });
    }
    return write(chunk, ...(rest as []));
  });
  stack = await startTestStack();
  agent = await stack.createAgent({ owner: OWNER, name: "Upstream Test" });
  key = await stack.userKey(agent, USER, { credits: 5_000n, cap: 5_000n });
  // The operator's own key on the upstream (as it would give the front gateway vLLM's --api-key).
  upstreamKey = await stack.userKey(agent, OWNER, { credits: 100_000n, cap: 100_000n, label: "upstream" });
  // The front gateway starts first, as on Akash where vLLM takes minutes to load: it waits for it.
  const upstreamPort = await freePort();
  front = await startGateway(
    stack.gatewayConfig(agent, OWNER, await dataDir(), {
      upstream: { url: `http://127.0.0.1:${upstreamPort}/v1`, model: agent.toLowerCase(), apiKey: upstreamKey },
    }),
  );
  expect((await fetch(`${front.url}/ready`)).status).toBe(503);
  upstream = await startGateway(stack.gatewayConfig(agent, OWNER, await dataDir(), { port: upstreamPort }));
  await eventually(
    async () => (await fetch(`${front.url}/ready`)).ok,
    "the front gateway to reach its upstream",
    90_000,
  );
}, 180_000);

afterAll(async () => {
  vi.restoreAllMocks();
  await front?.close();
  await upstream?.close();
  await stack?.stop();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

const client = (apiKey: string) => new OpenAI({ baseURL: `${front.url}/v1`, apiKey, maxRetries: 0 });
const keyStatus = async (secret: string) =>
  (await (await fetch(`${front.url}/v1/key`, { headers: { authorization: `Bearer ${secret}` } })).json()) as Record<
    string,
    number
  >;

describe("a gateway in front of an upstream", () => {
  it("waited for its upstream, retrying every watch interval and logging each new reason once", () => {
    // Unreachable until it listened (tried every 200 ms for seconds), maybe still loading its own
    // model, then loaded: each reason logged once.
    expect(loadLog.at(-1)).toEqual({ event: "model-loaded" });
    const failures = loadLog.filter((entry) => entry.event === "model-load-failed").map((entry) => entry.error);
    expect(failures[0]).toMatch(/fetch failed|cannot be reached/);
    expect(failures[0]).toMatch(/^the upstream http:\/\/127\.0\.0\.1:\d+\/v1 cannot be reached: /);
    expect(failures.filter((error, i) => error === failures[i - 1])).toEqual([]);
  });

  it("lists the agent with the upstream's weights and context, in upstream mode", async () => {
    const [model] = (await client(key).models.list()).data as unknown as {
      id: string;
      context_length: number;
      hexs: { weightsCid: string; runtime: string };
    }[];
    expect(model!.id).toBe(agent.toLowerCase());
    expect(model!.context_length).toBe(64);
    expect(model!.hexs.weightsCid).toBe(stack.weightsCid);
    expect(model!.hexs.runtime).toBe(
      `upstream http://127.0.0.1:${new URL(upstream!.url).port}/v1 (${agent.toLowerCase()})`,
    );
  });

  it("answers chat and completions, streaming and not, billing its own key by the upstream's counts", async () => {
    const before = (await keyStatus(key)).unsettled ?? 0;
    const chat = await client(key).chat.completions.create({
      model: agent.toLowerCase(),
      messages: [{ role: "user", content: "Once upon a time" }],
      max_tokens: 10,
      temperature: 0,
      seed: 3,
    });
    expect(chat.choices[0]!.message.content!.length).toBeGreaterThan(0);
    expect(chat.usage!.completion_tokens).toBe(10);
    const receipt = (chat as unknown as { hexs: { receipt: { cost: number; keyHash: string } } }).hexs.receipt;
    expect(receipt.cost).toBe(chat.usage!.total_tokens);

    // The same request straight to the upstream, with the operator's key there, counts the same tokens.
    const direct = await new OpenAI({
      baseURL: `${upstream!.url}/v1`,
      apiKey: upstreamKey,
      maxRetries: 0,
    }).chat.completions.create({
      model: agent.toLowerCase(),
      messages: [{ role: "user", content: "Once upon a time" }],
      max_tokens: 10,
      temperature: 0,
      seed: 3,
    });
    expect(direct.usage).toEqual(chat.usage);
    expect(direct.choices[0]!.message.content).toBe(chat.choices[0]!.message.content);

    const stream = await client(key).completions.create({
      model: agent.toLowerCase(),
      prompt: "The cat",
      max_tokens: 6,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.text ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(usage!.completion_tokens).toBe(6);
    expect((await keyStatus(key)).unsettled).toBe(before + chat.usage!.total_tokens + usage!.total_tokens);
  });

  it("bills an aborted stream only for the tokens delivered", async () => {
    const requestId = await abortAfterTokens(client(key), agent.toLowerCase(), 5);
    await eventually(async () => front.meter.receipt(requestId) !== undefined, "the aborted request to be committed");
    const receipt = front.meter.receipt(requestId)!;
    expect(receipt.interrupted).toBe(true);
    expect(receipt.completionTokens).toBeGreaterThanOrEqual(5);
    expect(receipt.completionTokens).toBeLessThan(400);
  });

  it("settles what its keys used on chain", async () => {
    const report = await front.settler.settle();
    expect(report?.lines).toBeGreaterThan(0);
    expect((await keyStatus(key)).unsettled).toBe(0);
  });
});

describe("the upstream's model", () => {
  it("is vLLM's model card read as vLLM writes it: the CID it was started with, its max_model_len", async () => {
    const cid = "bafybeiei7hwbvcyrwycyeddnjyh75mcchogyjmenh3vyu3okjcydcfi4u4";
    // GET /v1/models as vLLM's OpenAI server answers it (vllm/entrypoints/openai/protocol.py, ModelList).
    const vllm = createServer((request, response) => {
      if (request.url === "/v1/chat/completions") {
        // As llama.cpp's server answers while it loads, or any server over capacity.
        response.writeHead(503, { "content-type": "application/json" });
        return response.end(
          JSON.stringify({ error: { code: 503, message: "Loading model", type: "unavailable_error" } }),
        );
      }
      response.writeHead(request.url === "/v1/models" ? 200 : 404, { "content-type": "application/json" });
      response.end(
        JSON.stringify({
          object: "list",
          data: [
            {
              id: cid,
              object: "model",
              created: 0,
              owned_by: "vllm",
              root: "/models/x",
              parent: null,
              max_model_len: 4096,
              permission: [],
            },
          ],
        }),
      );
    });
    await new Promise<void>((resolve) => vllm.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(vllm.address() as AddressInfo).port}/v1`;
      const info = await new UpstreamRuntime({ url, model: cid, apiKey: undefined }).load();
      expect(info).toMatchObject({ weightsCid: cid, contextLength: 4096 });
      // An upstream that cannot take the request now: a 503 the client may retry, not a server error.
      const runtime = new UpstreamRuntime({ url, model: cid, apiKey: undefined });
      await runtime.load();
      const refused = await runtime
        .generate(
          {
            kind: "chat",
            prompt: "",
            body: { messages: [{ role: "user", content: "hi" }] },
            maxTokens: 4,
            temperature: 1,
            topP: undefined,
            seed: 0,
            signal: new AbortController().signal,
          },
          () => undefined,
        )
        .catch((error: unknown) => error);
      expect(refused).toMatchObject({ status: 503, code: "model_loading" });
      expect((refused as Error).message).toContain("Loading model");
      await expect(new UpstreamRuntime({ url, model: "another", apiKey: undefined }).load()).rejects.toThrow(
        `the upstream ${url} has no model another`,
      );
    } finally {
      await new Promise((resolve) => vllm.close(resolve));
    }
  });
});
