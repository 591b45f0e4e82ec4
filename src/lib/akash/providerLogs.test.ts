import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { AkashProviderError } from "./errors.ts";
import { followProxiedLogs, PROXY_ERROR_GRACE_MS } from "./providerLogs.ts";

// A proxy that reports the provider's refused upgrade with an error message and never a close.
let proxy: WebSocketServer;
let url: string;
beforeAll(async () => {
  proxy = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise((resolve) => proxy.once("listening", resolve));
  url = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
  proxy.on("connection", (socket) =>
    socket.once("message", () =>
      socket.send(
        JSON.stringify({
          type: "websocket",
          message: "Unexpected server response: 404",
          error: "Received error from provider websocket",
        }),
      ),
    ),
  );
});
afterAll(() => new Promise((resolve) => proxy.close(resolve)));

describe("following logs through a provider proxy", () => {
  it("gives up with the proxy's error when no close follows it, instead of waiting forever", async () => {
    const started = Date.now();
    const stream = await followProxiedLogs(
      { url, network: "mainnet" },
      {
        url: "https://provider.example:8443/lease/1/1/1/logs",
        providerAddress: "akash1x",
        auth: { type: "jwt", token: "t" },
      },
      () => undefined,
    );
    const error = await stream.closed.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AkashProviderError);
    expect((error as AkashProviderError).details).toContain("Unexpected server response: 404");
    expect(Date.now() - started).toBeGreaterThanOrEqual(PROXY_ERROR_GRACE_MS - 50);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
