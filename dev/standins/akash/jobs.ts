// Runs a lease's workload on this machine: every image is run as the local trainer
// (trainer/local), with the environment from the manifest — the same contract a GPU trainer
// image implements on a real provider. Output lines are kept for the logs API.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const TRAINER = fileURLToPath(new URL("../../../trainer/local/main.ts", import.meta.url));

export interface LogEntry {
  name: string;
  message: string;
}

export interface Job {
  readonly lines: LogEntry[];
  readonly startedAt: number;
  exitCode: number | null | undefined;
  /** Called with each new line, and with `undefined` when the job has ended. */
  listeners: Set<(line: LogEntry | undefined) => void>;
  stop(): void;
}

export function startJob(p: {
  service: string;
  image: string;
  env: Record<string, string>;
  extraEnv: Record<string, string>;
}): Job {
  const pod = `${p.service}-${Math.random().toString(36).slice(2, 8)}`;
  const child: ChildProcess = spawn(process.execPath, [TRAINER], {
    env: { PATH: process.env.PATH ?? "", ...p.extraEnv, ...p.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const job: Job = {
    lines: [],
    startedAt: Date.now(),
    exitCode: undefined,
    listeners: new Set(),
    stop: () => {
      if (job.exitCode === undefined) child.kill("SIGTERM");
    },
  };
  const emit = (message: string) => {
    const line = { name: pod, message };
    job.lines.push(line);
    for (const listener of job.listeners) listener(line);
  };
  emit(`stand-in provider: running image ${p.image} as the local trainer (trainer/local)`);
  const split = (stream: NodeJS.ReadableStream | null) => {
    let rest = "";
    stream?.on("data", (chunk: Buffer) => {
      const parts = (rest + chunk.toString()).split("\n");
      rest = parts.pop() ?? "";
      for (const part of parts) if (part.trim()) emit(part);
    });
    stream?.on("end", () => rest.trim() && emit(rest));
  };
  split(child.stdout);
  split(child.stderr);
  child.once("exit", (code) => {
    // Let the last stdout chunks land before announcing the end.
    setTimeout(() => {
      job.exitCode = code;
      for (const listener of job.listeners) listener(undefined);
    }, 50);
  });
  return job;
}
