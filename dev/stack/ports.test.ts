import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { assertPortFree, freePort, PortInUseError, portFromEnv } from "./ports.ts";

describe("assertPortFree", () => {
  let blocker: Server | undefined;
  afterEach(() => blocker?.close());

  it("resolves for a free port", async () => {
    await expect(assertPortFree(await freePort(), "test", "X_PORT")).resolves.toBeUndefined();
  });

  it("names the port, the service and the variable that moves it when the port is taken", async () => {
    const port = await freePort();
    blocker = createServer();
    await new Promise<void>((resolve) => blocker!.listen(port, "127.0.0.1", resolve));
    const error = await assertPortFree(port, "local chain", "HEXS_CHAIN_PORT").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortInUseError);
    expect((error as Error).message).toContain(`Port ${port} (local chain)`);
    expect((error as Error).message).toContain("HEXS_CHAIN_PORT=<port> npm start");
  });
});

describe("portFromEnv", () => {
  afterEach(() => {
    delete process.env.TEST_PORT;
  });
  it("falls back when unset", () => expect(portFromEnv("TEST_PORT", 8545)).toBe(8545));
  it("reads a valid port", () => {
    process.env.TEST_PORT = "9000";
    expect(portFromEnv("TEST_PORT", 8545)).toBe(9000);
  });
  it("rejects junk with the variable's name", () => {
    process.env.TEST_PORT = "80a";
    expect(() => portFromEnv("TEST_PORT", 8545)).toThrow("TEST_PORT=80a is not a TCP port");
  });
});
