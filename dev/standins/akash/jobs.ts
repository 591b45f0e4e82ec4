// Runs a lease's workload on this machine, with the environment from the manifest: an image of
// HEXS's GPU trainer runs trainer/gpu (Python, on CPU, from its environment trainer/gpu/.venv);
// an image of HEXS's inference gateway runs gateway/ on a loopback port of its own, which the
// stand-in reports as the service's URI as a provider reports its ingress host; every other image
// runs as the tiny trainer (trainer/local) — the contract any trainer image implements on a real
// provider. Output lines are kept for the logs API.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isGatewayImage } from "../../../src/lib/akash/gatewayService.ts";
import { freePort } from "../../stack/ports.ts";
import { trainerOfImage } from "../../../src/lib/akash/trainers.ts";
import { GPU_TRAINER_ARGS, GPU_TRAINER_DIR, GPU_TRAINER_PYTHON } from "../../../trainer/gpu/runJob.ts";

const TINY_TRAINER = fileURLToPath(new URL("../../../trainer/local/main.ts", import.meta.url));
const GATEWAY = fileURLToPath(new URL("../../../gateway/main.ts", import.meta.url));

interface Command {
  file: string;
  args: string[];
  cwd?: string;
  says: string;
  /** Environment the stand-in sets over the manifest's (where a container's own network and disk differ from this machine's). */
  env?: Record<string, string>;
  /** The service's URI, as the provider's ingress would give it. */
  uri?: string;
  cleanUp?: () => Promise<void>;
}

/** The command that stands in for `image`'s entry point here, and how to say so in the log. */
async function commandFor(image: string): Promise<Command> {
  if (isGatewayImage(image)) {
    // The container listens on its own 8787 behind the ingress; here it gets a free loopback port
    // and a data folder of its own (a pod's ephemeral storage), removed with the lease.
    const port = await freePort();
    const dataDir = await mkdtemp(join(tmpdir(), "hexs-lease-gateway-"));
    return {
      file: process.execPath,
      args: [GATEWAY],
      says: `running image ${image} as the inference gateway (gateway/) on 127.0.0.1:${port}`,
      env: { HEXS_GATEWAY_HOST: "127.0.0.1", HEXS_GATEWAY_PORT: String(port), HEXS_GATEWAY_DATA_DIR: dataDir },
      uri: `127.0.0.1:${port}`,
      cleanUp: () => rm(dataDir, { recursive: true, force: true }),
    };
  }
  if (trainerOfImage(image) === "gpu")
    return {
      file: GPU_TRAINER_PYTHON,
      args: GPU_TRAINER_ARGS,
      cwd: GPU_TRAINER_DIR,
      says: `running image ${image} as the GPU trainer (trainer/gpu, on this machine's CPU)`,
    };
  return {
    file: process.execPath,
    args: [TINY_TRAINER],
    says: `running image ${image} as the local trainer (trainer/local)`,
  };
}

export interface LogEntry {
  name: string;
  message: string;
}

/** A Kubernetes event about the lease's objects, as a provider relays it (cluster/types LeaseEvent). */
export interface LeaseEvent {
  type: "Normal" | "Warning";
  reportingController: string;
  reportingInstance?: string;
  reason: string;
  note: string;
  object: { kind: string; namespace: string; name: string };
}

export interface Job {
  /** False while the pod is being scheduled and its image pulled (`startDelayMs`). */
  readonly running: boolean;
  /** The manifest's service this job runs. */
  readonly service: string;
  readonly lines: LogEntry[];
  /** The lease namespace's events so far, oldest first. */
  readonly events: LeaseEvent[];
  /** Called with each new event, and with `undefined` when the lease's namespace is gone. */
  eventListeners: Set<(event: LeaseEvent | undefined) => void>;
  readonly startedAt: number;
  /** The service's URIs once it runs (a gateway's ingress host), null for a service that exposes nothing. */
  readonly uris: string[] | null;
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
  /** The lease's namespace on the provider's cluster. */
  namespace: string;
  /** How long the pod takes to start (its image pulled) before the trainer runs. */
  startDelayMs?: number;
}): Job {
  const suffix = () => Math.random().toString(36).slice(2, 7);
  const replicaSet = `${p.service}-${suffix()}${suffix()}`;
  const pod = `${replicaSet}-${suffix()}`;
  let child: ChildProcess | undefined;
  let stopped = false;
  const job: Job = {
    running: false,
    service: p.service,
    lines: [],
    events: [],
    eventListeners: new Set(),
    startedAt: Date.now(),
    uris: null,
    exitCode: undefined,
    listeners: new Set(),
    stop: () => {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      if (child && job.exitCode === undefined) {
        event("kubelet", "Killing", "Pod", pod, `Stopping container ${p.service}`);
        child.kill("SIGTERM");
      }
      // The lease's namespace is deleted: event watches end.
      for (const listener of job.eventListeners) listener(undefined);
    },
  };
  const event = (controller: string, reason: string, kind: string, name: string, note: string) => {
    const happened: LeaseEvent = {
      type: "Normal",
      reportingController: controller,
      ...(controller === "kubelet" ? { reportingInstance: "node-1" } : {}),
      reason,
      note,
      object: { kind, namespace: p.namespace, name },
    };
    job.events.push(happened);
    for (const listener of job.eventListeners) listener(happened);
  };
  // What Kubernetes reports for a provider's Deployment of one replica, in order.
  event(
    "deployment-controller",
    "ScalingReplicaSet",
    "Deployment",
    p.service,
    `Scaled up replica set ${replicaSet} from 0 to 1`,
  );
  event("replicaset-controller", "SuccessfulCreate", "ReplicaSet", replicaSet, `Created pod: ${pod}`);
  event("default-scheduler", "Scheduled", "Pod", pod, `Successfully assigned ${p.namespace}/${pod} to node-1`);
  event("kubelet", "Pulling", "Pod", pod, `Pulling image "${p.image}"`);
  const pullStarted = Date.now();
  const timer = setTimeout(() => {
    if (stopped) return;
    const seconds = ((Date.now() - pullStarted) / 1000).toFixed(3);
    event("kubelet", "Pulled", "Pod", pod, `Successfully pulled image "${p.image}" in ${seconds}s`);
    event("kubelet", "Created", "Pod", pod, `Created container: ${p.service}`);
    event("kubelet", "Started", "Pod", pod, `Started container ${p.service}`);
    (job as { running: boolean }).running = true;
    void run(p, pod, job).then((started) => {
      if (stopped) started.kill("SIGTERM");
      child = started;
    });
  }, p.startDelayMs ?? 0);
  return job;
}

/** Starts the workload for `job`, feeding its output lines and its end to the job's listeners. */
async function run(
  p: { image: string; env: Record<string, string>; extraEnv: Record<string, string> },
  pod: string,
  job: Job,
): Promise<ChildProcess> {
  const command = await commandFor(p.image);
  if (command.uri) (job as { uris: string[] | null }).uris = [command.uri];
  const child = spawn(command.file, command.args, {
    env: { PATH: process.env.PATH ?? "", ...p.extraEnv, ...p.env, ...command.env },
    stdio: ["ignore", "pipe", "pipe"],
    ...(command.cwd ? { cwd: command.cwd } : {}),
  });
  const emit = (message: string) => {
    const line = { name: pod, message };
    job.lines.push(line);
    for (const listener of job.listeners) listener(line);
  };
  emit(`stand-in provider: ${command.says}`);
  if (!existsSync(command.file))
    emit("stand-in provider: the GPU trainer's environment is missing; run trainer/gpu/setup.sh");
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
  let ended = false;
  const end = (code: number | null) => {
    if (ended) return;
    ended = true;
    // Let the last stdout chunks land before announcing the end.
    setTimeout(() => {
      job.exitCode = code;
      for (const listener of job.listeners) listener(undefined);
    }, 50);
  };
  child.once("exit", (code) => {
    end(code);
    void command.cleanUp?.();
  });
  // A command that cannot start (a missing environment) ends the pod as a crash would.
  child.once("error", (error) => (emit(`stand-in provider: ${error.message}`), end(127)));
  return child;
}
