// The gateway against a real chain, a real IPFS node and the tiny model, called with the official
// `openai` client, unchanged but for its base URL and key.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import type { Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseApiKey } from "../../src/lib/apiKey.ts";
import { agentAbi } from "../../src/lib/contracts/abis.ts";
import { abortAfterTokens } from "../test/abort.ts";
import { eventually, startTestStack, type TestStack } from "../test/stack.ts";
import { startGateway, type Gateway } from "./gateway.ts";
import { verifyReceipt, type Receipt } from "../../src/lib/inference/receipts.ts";

let stack: TestStack;
let agent: Address;
let gateway: Gateway;
let dataDir: string;
let key: string;
/** Requests that reached the gateway, by path (to see what the client retried). */
const hits: string[] = [];

const OWNER = 1;
const USER = 2;
const client = (apiKey: string, options: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}) =>
  new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey, ...options });

beforeAll(async () => {
  stack = await startTestStack();
  agent = await stack.createAgent({ owner: OWNER, name: "Gateway Test" });
  key = await stack.userKey(agent, USER, { credits: 5_000n, cap: 4_000n });
  dataDir = await mkdtemp(join(tmpdir(), "hexs-gateway-"));
  gateway = await startGateway(stack.gatewayConfig(agent, OWNER, dataDir));
  gateway.server.prependListener("request", (request) => hits.push(request.url ?? ""));
  await eventually(async () => (await fetch(`${gateway.url}/ready`)).ok, "the model to load", 60_000);
}, 180_000);

afterAll(async () => {
  await gateway?.close();
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe("the OpenAI-compatible surface", () => {
  it("lists the agent as a model with its context length, price and HEXS details", async () => {
    const models = await client(key).models.list();
    expect(models.data).toHaveLength(1);
    const model = models.data[0] as unknown as Record<string, unknown> & { hexs: Record<string, unknown> };
    expect(model.id).toBe(agent.toLowerCase());
    expect(model.context_length).toBe(64);
    expect(model.pricing).toEqual({ currency: "ETH", prompt: "0.000001", completion: "0.000001", unit: "token" });
    expect(model.hexs.agent).toBe(agent);
    expect(model.hexs.weightsCid).toBe(stack.weightsCid);
    // Weights in the Hugging Face layout run on transformers.js.
    expect(model.hexs.runtime).toMatch(/^transformers\.js 4\.\d+\.\d+ \(onnxruntime [\d.]+ cpu\)$/);
    expect((await client(key).models.retrieve(agent.toLowerCase())).id).toBe(agent.toLowerCase());
    await expect(client(key).models.retrieve("gpt-4o")).rejects.toMatchObject({ status: 404, code: "model_not_found" });
  });

  it("answers a chat completion with usage and a receipt signed by the registered signer", async () => {
    const response = await client(key)
      .chat.completions.create({
        model: agent.toLowerCase(),
        messages: [{ role: "user", content: "Once upon a time" }],
        max_tokens: 12,
        seed: 7,
        temperature: 0,
      })
      .withResponse();
    const completion = response.data;
    expect(response.response.headers.get("x-request-id")).toMatch(/^req_/);
    expect(completion.object).toBe("chat.completion");
    expect(completion.choices[0]!.message.role).toBe("assistant");
    expect(completion.choices[0]!.message.content!.length).toBeGreaterThan(0);
    expect(completion.choices[0]!.finish_reason).toBe("length");
    expect(completion.usage!.completion_tokens).toBe(12);
    expect(completion.usage!.total_tokens).toBe(completion.usage!.prompt_tokens + 12);
    const receipt = (completion as unknown as { hexs: { receipt: Receipt } }).hexs.receipt;
    expect(receipt.cost).toBe(completion.usage!.total_tokens);
    const signer = await stack.publicClient.readContract({
      address: agent,
      abi: agentAbi,
      functionName: "receiptSigner",
    });
    expect(await verifyReceipt(31337, receipt, signer)).toBe(true);
    expect(await verifyReceipt(31337, { ...receipt, cost: receipt.cost + 1 }, signer)).toBe(false);
    // The same seed gives the same text.
    const again = await client(key).chat.completions.create({
      model: agent.toLowerCase(),
      messages: [{ role: "user", content: "Once upon a time" }],
      max_tokens: 12,
      seed: 7,
      temperature: 0,
    });
    expect(again.choices[0]!.message.content).toBe(completion.choices[0]!.message.content);
  });

  it("streams a chat completion: usage null on every chunk, then one chunk with no choices and the usage", async () => {
    const stream = await client(key).chat.completions.create({
      model: agent.toLowerCase(),
      messages: [{ role: "user", content: "The cat" }],
      max_tokens: 10,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage!.completion_tokens).toBe(10);
    expect(chunks.slice(0, -1).every((c) => c.usage === null && c.choices.length === 1)).toBe(true);
    expect(chunks[0]!.choices[0]!.delta.role).toBe("assistant");
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe("length");
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    expect(text.length).toBeGreaterThan(0);
  });

  it("serves the completions API, streaming and not, and ends before a stop sequence", async () => {
    const plain = await client(key).completions.create({
      model: agent.toLowerCase(),
      prompt: "Once upon",
      max_tokens: 20,
      temperature: 0,
      seed: 1,
    });
    expect(plain.object).toBe("text_completion");
    const text = plain.choices[0]!.text;
    const stop = text.slice(3, 5);
    const stopped = await client(key).completions.create({
      model: agent.toLowerCase(),
      prompt: "Once upon",
      max_tokens: 20,
      temperature: 0,
      seed: 1,
      stop: [stop],
    });
    expect(stopped.choices[0]!.text).toBe(text.slice(0, text.indexOf(stop)));
    expect(stopped.choices[0]!.finish_reason).toBe("stop");
    const stream = await client(key).completions.create({
      model: agent.toLowerCase(),
      prompt: "Once upon",
      max_tokens: 20,
      temperature: 0,
      seed: 1,
      stream: true,
    });
    let streamed = "";
    for await (const chunk of stream) streamed += chunk.choices[0]?.text ?? "";
    expect(streamed).toBe(text);
  });
});

describe("errors, as the OpenAI client raises them", () => {
  const body = () => ({
    model: agent.toLowerCase(),
    messages: [{ role: "user" as const, content: "hi" }],
    max_tokens: 4,
  });

  it("401 for a malformed, unknown or revoked key", async () => {
    await expect(client("sk-hexs-nonsense").chat.completions.create(body())).rejects.toMatchObject({
      status: 401,
      code: "invalid_api_key",
    });
    const unknown = `sk-hexs-${"ab".repeat(56)}`;
    await expect(client(unknown).chat.completions.create(body())).rejects.toMatchObject({ status: 401 });
    const doomed = await stack.userKey(agent, USER, { cap: 100n, label: "doomed" });
    await client(doomed).chat.completions.create(body());
    await stack.send(USER, agent, "revokeApiKey", [parseApiKey(doomed).keyId]);
    await eventually(
      () =>
        client(doomed)
          .chat.completions.create(body())
          .then(
            () => false,
            (e: { status?: number }) => e.status === 401,
          ),
      "the revocation to be seen",
    );
  });

  it("402 when the credits do not cover the request, reaching the server once (the client never retries it)", async () => {
    const poor = await stack.userKey(agent, 3, { credits: 10n, cap: 1_000n });
    const before = hits.length;
    await expect(client(poor).chat.completions.create({ ...body(), max_tokens: 50 })).rejects.toMatchObject({
      status: 402,
      code: "insufficient_credits",
      type: "insufficient_quota",
    });
    expect(hits.length - before).toBe(1);
  });

  it("400 naming an unsupported parameter, and 404 for an unknown model", async () => {
    await expect(client(key).chat.completions.create({ ...body(), tools: [] } as never)).rejects.toMatchObject({
      status: 400,
      param: "tools",
      code: "unsupported_parameter",
    });
    await expect(client(key).chat.completions.create({ ...body(), n: 2 })).rejects.toMatchObject({
      status: 400,
      param: "n",
    });
    await expect(client(key).chat.completions.create({ ...body(), model: "gpt-4o" })).rejects.toMatchObject({
      status: 404,
      code: "model_not_found",
    });
  });

  it("429 with retry-after beyond a key's concurrency", async () => {
    // A second gateway of the same agent, so a key of its own: each gateway numbers its keys' receipts.
    const limitedKey = await stack.userKey(agent, USER, { credits: 500n, cap: 500n, label: "limited" });
    const limitedDir = await mkdtemp(join(tmpdir(), "hexs-gateway-limited-"));
    const limited = await startGateway(stack.gatewayConfig(agent, OWNER, limitedDir, { maxConcurrentPerKey: 1 }));
    try {
      await eventually(async () => (await fetch(`${limited.url}/ready`)).ok, "the model", 60_000);
      const api = new OpenAI({ baseURL: `${limited.url}/v1`, apiKey: limitedKey, maxRetries: 0 });
      const results = await Promise.allSettled(
        Array.from({ length: 4 }, () => api.chat.completions.create({ ...body(), max_tokens: 30 })),
      );
      const refused = results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason);
      expect(refused.length).toBeGreaterThan(0);
      expect(refused[0]).toMatchObject({ status: 429, code: "rate_limit_exceeded" });
      expect(refused[0].headers.get("retry-after")).toBe("1");
    } finally {
      await limited.close();
      await rm(limitedDir, { recursive: true, force: true });
    }
  });
});

describe("metering and settlement", () => {
  it("runs only what the credits cover when 50 requests arrive at once", async () => {
    const tight = await stack.userKey(agent, 4, { credits: 60n, cap: 10_000n });
    const api = client(tight, { maxRetries: 0 });
    // Each may cost its prompt (about 10 tokens) + 4: at most 60 / 14 of them fit.
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () =>
        api.chat.completions.create({
          model: agent.toLowerCase(),
          messages: [{ role: "user", content: "hi" }],
          max_tokens: 4,
        }),
      ),
    );
    const served = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r) => r.status === "rejected");
    expect(refused.every((r) => (r as PromiseRejectedResult).reason.status === 402)).toBe(true);
    const billed = served.reduce(
      (sum, r) => sum + (r as PromiseFulfilledResult<OpenAI.ChatCompletion>).value.usage!.total_tokens,
      0,
    );
    expect(billed).toBeLessThanOrEqual(60);
    expect(served.length).toBeGreaterThan(0);
  });

  it("bills an aborted stream only for the tokens delivered", async () => {
    const requestId = await abortAfterTokens(client(key), agent.toLowerCase(), 5);
    await eventually(async () => gateway.meter.receipt(requestId) !== undefined, "the aborted request to be committed");
    const receipt = gateway.meter.receipt(requestId)!;
    expect(receipt.interrupted).toBe(true);
    expect(receipt.completionTokens).toBeGreaterThanOrEqual(5);
    expect(receipt.completionTokens).toBeLessThan(400);
    expect(receipt.cost).toBe(receipt.promptTokens + receipt.completionTokens);
  });

  it("charges a request retried with the same Idempotency-Key once", async () => {
    const fresh = await stack.userKey(agent, 5, { credits: 1_000n, cap: 1_000n });
    const api = client(fresh);
    const request = {
      model: agent.toLowerCase(),
      messages: [{ role: "user" as const, content: "once" }],
      max_tokens: 6,
    };
    const first = await api.chat.completions.create(request, { headers: { "Idempotency-Key": "order-42" } });
    const second = await api.chat.completions.create(request, { headers: { "Idempotency-Key": "order-42" } });
    expect(second.choices[0]!.message.content).toBe(first.choices[0]!.message.content);
    const status = (await (
      await fetch(`${gateway.url}/v1/key`, { headers: { authorization: `Bearer ${fresh}` } })
    ).json()) as Record<string, number>;
    expect(status.unsettled).toBe(first.usage!.total_tokens);
  });

  it("settles what was served on chain, once, and /v1/key tells the holder where it stands", async () => {
    const status = async () =>
      (await (await fetch(`${gateway.url}/v1/key`, { headers: { authorization: `Bearer ${key}` } })).json()) as Record<
        string,
        unknown
      >;
    const before = await status();
    expect(before.unsettled).toBeGreaterThan(0);
    const report = await gateway.settler.settle();
    expect(report?.lines).toBeGreaterThan(0);
    const { keyId } = parseApiKey(key);
    const onChain = await stack.publicClient.readContract({
      address: agent,
      abi: agentAbi,
      functionName: "apiKey",
      args: [keyId],
    });
    expect(Number(onChain.spent)).toBe((before.unsettled as number) + (before.spent as number));
    const after = await status();
    expect(after.unsettled).toBe(0);
    expect((after.last_settlement as { tx: string }).tx).toBe(report!.tx);
    // Nothing new served: nothing to settle again.
    expect(await gateway.settler.settle()).toBeUndefined();
  });

  it("lists a key's latest receipts to its holder only, newest first, each signed and adding up to the running total", async () => {
    const list = async (apiKey: string) =>
      (await (
        await fetch(`${gateway.url}/v1/receipts`, { headers: { authorization: `Bearer ${apiKey}` } })
      ).json()) as {
        data: Receipt[];
      };
    const { data } = await list(key);
    expect(data.length).toBeGreaterThan(3);
    const { keyId } = parseApiKey(key);
    const signer = await stack.publicClient.readContract({
      address: agent,
      abi: agentAbi,
      functionName: "receiptSigner",
    });
    for (const [i, receipt] of data.entries()) {
      expect(receipt.keyId).toBe(keyId);
      expect(await verifyReceipt(31337, receipt, signer)).toBe(true);
      const older = data[i + 1];
      if (older) {
        expect(receipt.sequence).toBe(older.sequence + 1);
        expect(receipt.runningTotal).toBe(older.runningTotal + receipt.cost);
      }
    }
    // The newest receipt's running total is what the chain has charged the key, nothing more.
    const onChain = await stack.publicClient.readContract({
      address: agent,
      abi: agentAbi,
      functionName: "apiKey",
      args: [keyId],
    });
    expect(data[0]!.runningTotal).toBe(Number(onChain.spent));
    const other = await stack.userKey(agent, USER + 1, { credits: 100n, cap: 100n, label: "stranger" });
    expect((await list(other)).data).toEqual([]);
    expect((await fetch(`${gateway.url}/v1/receipts`)).status).toBe(401);
  });
});
