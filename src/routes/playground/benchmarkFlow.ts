// The steps of the benchmark panel that are not UI: the demo set and its CID, reading sets and
// results by CID, and building the result document an owner publishes.
import {
  BENCHMARK_RESULT_FORMAT,
  parseBenchmarkSet,
  type BenchmarkResult,
  type BenchmarkSet,
  type TaskScore,
} from "#lib/onnx/benchmark.ts";
import { documentCid, readDocument } from "#lib/onnx/documents.ts";
import { HexsError } from "#lib/errors.ts";
import demoSetJson from "#lib/onnx/benchmarks/tiny-char-v1.json";

export const demoSet: BenchmarkSet = parseBenchmarkSet(demoSetJson);

let demoCid: Promise<string> | undefined;
/** The CID of the shipped set, computed here exactly as pinning computes it. */
export function demoSetCid(): Promise<string> {
  demoCid ??= documentCid(demoSet);
  return demoCid;
}

export class BenchmarkResultError extends HexsError {
  override name = "BenchmarkResultError";
}

export async function loadBenchmarkSet(cid: string, gateways: readonly string[]): Promise<BenchmarkSet> {
  return parseBenchmarkSet(await readDocument(cid, gateways));
}

export function resultDocument(
  scores: TaskScore[],
  runtime: string,
  ids: { benchmarkSetCid: string; weightsCid: string; agent: string },
): BenchmarkResult {
  return { format: BENCHMARK_RESULT_FORMAT, ...ids, scores, runtime, createdAt: new Date().toISOString() };
}

/** Reads a published result by CID and checks its shape. */
export async function loadBenchmarkResult(cid: string, gateways: readonly string[]): Promise<BenchmarkResult> {
  const value = (await readDocument(cid, gateways)) as Partial<BenchmarkResult>;
  const ok =
    value?.format === BENCHMARK_RESULT_FORMAT &&
    typeof value.benchmarkSetCid === "string" &&
    typeof value.weightsCid === "string" &&
    Array.isArray(value.scores);
  if (!ok) throw new BenchmarkResultError("Not a benchmark result document", { details: cid });
  return value as BenchmarkResult;
}
