import { createServer } from "node:net";

export class PortInUseError extends Error {
  override name = "PortInUseError";
  constructor(port: number, service: string, envVar: string) {
    super(
      `Port ${port} (${service}) is already in use on 127.0.0.1. Stop whatever uses it, ` +
        `or choose another port: ${envVar}=<port> npm start`,
    );
  }
}

/** Resolves when `port` can be bound on 127.0.0.1; otherwise rejects with a message naming the fix. */
export function assertPortFree(port: number, service: string, envVar: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new PortInUseError(port, service, envVar) : error),
    );
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}

/** A port the OS has just handed out as free, for tests that must not collide. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Reads a port from the environment, with a clear error for junk values. */
export function portFromEnv(envVar: string, fallback: number): number {
  const raw = process.env[envVar];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`${envVar}=${raw} is not a TCP port (1–65535).`);
  return port;
}
