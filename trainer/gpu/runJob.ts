// Runs the GPU trainer (Python) as a job on this machine, as a container would: `python -m
// hexs_trainer` from trainer/gpu/.venv (built by trainer/gpu/setup.sh) with the job's variables.
// Shared by its tests, the Akash stand-in and the benchmark.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseProgress, type ProgressEvent } from "../../src/lib/akash/progress.ts";

export const GPU_TRAINER_DIR = fileURLToPath(new URL("./", import.meta.url));
export const GPU_TRAINER_PYTHON = `${GPU_TRAINER_DIR}.venv/bin/python`;
export const GPU_TRAINER_ARGS = ["-m", "hexs_trainer"];

export interface GpuTrainerRun {
  events: ProgressEvent[];
  stdout: string;
  stderr: string;
  code: number | null;
  wallMs: number;
}

/** Runs one job with `env` (and PATH) only; resolves when the process has exited. */
export function runGpuTrainer(env: Record<string, string>): Promise<GpuTrainerRun> {
  if (!existsSync(GPU_TRAINER_PYTHON))
    return Promise.reject(new Error("trainer/gpu/.venv is missing: run trainer/gpu/setup.sh (npm test does)"));
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(GPU_TRAINER_PYTHON, GPU_TRAINER_ARGS, {
      cwd: GPU_TRAINER_DIR,
      env: { PATH: process.env.PATH ?? "", HF_HUB_OFFLINE: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => {
      const events = stdout
        .split("\n")
        .map(parseProgress)
        .filter((event): event is ProgressEvent => event !== undefined);
      resolve({ events, stdout, stderr, code, wallMs: performance.now() - started });
    });
  });
}
