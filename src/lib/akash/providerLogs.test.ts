import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { AkashProviderError } from "./errors.ts";
import { followProxiedLogs, PROXY_ERROR_GRACE_MS } from "./providerLogs.ts";

// A proxy that answers pings, and reports the provider's refused upgrade with an error message
// and never a close.
let proxy: WebSocketServer;
let url: string;
const pings: number[] = [];
beforeAll(async () => {
  proxy = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise((resolve) => proxy.once("listening", resolve));
  url = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
  proxy.on("connection", (socket) =>
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as { type: string; url?: string };
      if (message.type === "ping") return void (pings.push(Date.now()), socket.send(JSON.stringify({ type: "pong" })));
      if (message.url?.includes("refused"))
        socket.send(
          JSON.stringify({
            type: "websocket",
            message: "Unexpected server response: 404",
            error: "Received error from provider websocket",
          }),
        );
    }),
  );
});
afterAll(() => {
  for (const client of proxy.clients) client.terminate();
  return new Promise((resolve) => proxy.close(resolve));
});

describe("following logs through a provider proxy", () => {
  it("gives up with the proxy's error when no close follows it, instead of waiting forever", async () => {
    const started = Date.now();
    const stream = await followProxiedLogs(
      { url, network: "mainnet" },
      {
        url: "https://provider.example:8443/lease/1/1/1/logs?refused",
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

  it("pings the proxy while the stream is quiet, and stops when it is closed", async () => {
    pings.length = 0;
    const stream = await followProxiedLogs(
      { url, network: "mainnet" },
      {
        url: "https://provider.example:8443/lease/1/1/1/logs",
        providerAddress: "akash1x",
        auth: { type: "jwt", token: "t" },
      },
      () => undefined,
      100,
    );
    await new Promise((resolve) => setTimeout(resolve, 450));
    stream.close();
    await stream.closed;
    const count = pings.length;
    expect(count).toBeGreaterThanOrEqual(3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(pings.length).toBe(count);
  });
});
