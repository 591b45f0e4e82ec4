// Gateway benchmark: what the gateway adds on top of its model runtime, measured side by side in
// one run — the same generations through `POST /v1/completions` and straight from the runtime —
// then throughput and latency under a loopback load of concurrent keys, `/health` under that
// load, and the gas of a settlement batch.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BuiltinRuntime } from "../../gateway/src/runtime/builtin.ts";
import { startGateway } from "../../gateway/src/gateway.ts";
import { eventually, startTestStack } from "../../gateway/test/stack.ts";
import type { BenchMetric, BenchSection } from "./report.ts";

const SAMPLES = 200;
const TOKENS = 8;
const LOAD_KEYS = 8;
const LOAD_REQUESTS = 400;
const LOAD_CONCURRENCY = 16;
const TARGETS = { p50: 0.5, p99: 2 };

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

export async function run(): Promise<BenchSection> {
  const stack = await startTestStack();
  const dataDir = await mkdtemp(join(tmpdir(), "hexs-bench-gateway-"));
  const metrics: BenchMetric[] = [];
  try {
    const agent = await stack.createAgent({ owner: 1, name: "Gateway Bench" });
    const keys: string[] = [];
    for (let i = 0; i < LOAD_KEYS; i++) keys.push(await stack.userKey(agent, 2 + i, { credits: 1_000_000n, cap: 1_000_000n }));
    const gateway = await startGateway(stack.gatewayConfig(agent, 1, dataDir));
    await eventually(async () => (await fetch(`${gateway.url}/ready`)).ok, "the model", 60_000);
    const direct = new BuiltinRuntime({ gateways: [stack.ipfsUrl], threads: 1 });
    await direct.load(stack.weightsCid);

    const body = (i: number) => ({ model: gateway.modelId, prompt: "Once upon a time", max_tokens: TOKENS, temperature: 0, seed: i });
    const viaGateway = async (i: number, key = keys[0]!) => {
      const start = performance.now();
      const response = await fetch(`${gateway.url}/v1/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify(body(i)),
      });
      if (!response.ok) throw new Error(`the gateway answered ${response.status}: ${await response.text()}`);
      await response.json();
      return performance.now() - start;
    };
    const viaRuntime = async (i: number) => {
      const start = performance.now();
      await direct.countPromptTokens({ prompt: "Once upon a time" });
      await direct.generate(
        { kind: "completion", prompt: "Once upon a time", body: {}, maxTokens: TOKENS, temperature: 0, topP: undefined, seed: i, signal: new AbortController().signal },
        () => undefined,
      );
      return performance.now() - start;
    };
    // Warm both paths, then alternate them so load and caches affect each alike.
    for (let i = 0; i < 10; i++) {
      await viaGateway(i);
      await viaRuntime(i);
    }
    const gatewayMs: number[] = [];
    const runtimeMs: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      gatewayMs.push(await viaGateway(i));
      runtimeMs.push(await viaRuntime(i));
    }
    // The floor any HTTP service pays here: a loopback round trip to an endpoint that does nothing.
    const healthMs: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const start = performance.now();
      await (await fetch(`${gateway.url}/health`)).json();
      healthMs.push(performance.now() - start);
    }
    const added = { p50: percentile(gatewayMs, 50) - percentile(runtimeMs, 50), p99: percentile(gatewayMs, 99) - percentile(runtimeMs, 99) };
    metrics.push(
      { name: `runtime alone, ${TOKENS}-token completion, p50`, value: round(percentile(runtimeMs, 50)), unit: "ms" },
      { name: `through the gateway, same completion, p50`, value: round(percentile(gatewayMs, 50)), unit: "ms" },
      { name: "loopback HTTP round trip alone (GET /health), p50", value: round(percentile(healthMs, 50)), unit: "ms" },
      { name: "added by the gateway, p50", value: round(added.p50), unit: "ms", target: `≤ ${TARGETS.p50}`, met: added.p50 <= TARGETS.p50 },
      { name: "added by the gateway, p99", value: round(added.p99), unit: "ms", target: `≤ ${TARGETS.p99}`, met: added.p99 <= TARGETS.p99 },
    );

    // Load: LOAD_CONCURRENCY requests in flight over LOAD_KEYS keys, while /health is probed.
    const latencies: number[] = [];
    const health: number[] = [];
    let next = 0;
    let loading = true;
    const probe = (async () => {
      while (loading) {
        const start = performance.now();
        await fetch(`${gateway.url}/health`);
        health.push(performance.now() - start);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const start = performance.now();
    await Promise.all(
      Array.from({ length: LOAD_CONCURRENCY }, async () => {
        while (next < LOAD_REQUESTS) {
          const i = next++;
          latencies.push(await viaGateway(i, keys[i % keys.length]));
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    loading = false;
    await probe;
    metrics.push(
      { name: `load: ${LOAD_REQUESTS} completions, ${LOAD_CONCURRENCY} in flight over ${LOAD_KEYS} keys`, value: round(LOAD_REQUESTS / seconds, 1), unit: "requests/s" },
      { name: "load: latency p50", value: round(percentile(latencies, 50), 1), unit: "ms" },
      { name: "load: latency p99", value: round(percentile(latencies, 99), 1), unit: "ms" },
      { name: "load: /health p99", value: round(percentile(health, 99)), unit: "ms" },
      { name: "usage-log fsyncs per request (grouped writes)", value: round((await fsyncs(gateway.url)) / (LOAD_REQUESTS + SAMPLES + 10), 2), unit: "fsyncs" },
    );

    const report = await gateway.settler.settle();
    if (report) {
      metrics.push(
        { name: `settlement of ${report.lines} keys: gas`, value: Number(report.gasUsed), unit: "gas" },
        { name: "settlement: gas per key (each key settled for the first time, transaction base cost shared)", value: Math.round(Number(report.gasUsed) / report.lines), unit: "gas" },
      );
    }
    await direct.close();
    await gateway.close();
  } finally {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  return {
    title: "Inference gateway",
    method:
      `The gateway serving the tiny model (tiny-stories-char, built-in runtime: onnxruntime-node in a worker thread, 1 thread) on loopback, ` +
      `against a local Hardhat node and IPFS node. Overhead: ${SAMPLES} non-streaming ${TOKENS}-token completions through POST /v1/completions ` +
      `(key check, reservation and commit written to the usage log with fsync, EIP-712 receipt, JSON) alternated with the same generations ` +
      `called on a second instance of the runtime directly; added = the difference of the percentiles. Load: ${LOAD_REQUESTS} completions ` +
      `from ${LOAD_CONCURRENCY} concurrent fetch loops over ${LOAD_KEYS} keys, /health probed every 5 ms meanwhile. Settlement: one batch ` +
      `covering every key, gas from its receipt.`,
    metrics,
  };
}

async function fsyncs(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^hexs_gateway_log_fsyncs (\d+)/m.exec(text)?.[1] ?? 0);
}
