import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { startAkashStandIn, type AkashStandIn } from "../../dev/standins/akash/server.ts";
import { providerAddress } from "../../dev/standins/akash/providers.ts";
import { freePort } from "../../dev/stack/ports.ts";
import { consoleNetwork } from "../../src/lib/akash/providerProxy.ts";
import { readConfig, type ProxyConfig } from "./config.ts";
import { requestProvider } from "./connections.ts";
import { providerLookup } from "./network.ts";
import { startProviderProxy, type RunningProxy } from "./server.ts";

const APP = "https://app.hexs.example";
let standIn: AkashStandIn;
let proxy: RunningProxy;
let network: string;

/** The proxy as an operator runs it: defaults but for the dApp's origin and the chain it checks. */
function config(overrides: Partial<ProxyConfig> = {}): ProxyConfig {
  const base = readConfig(["--port", "0", "--allowed-origins", APP], {});
  if (base === "help") throw new Error("unexpected --help");
  // Nothing outside this machine: no indexer unless a test names one.
  return { ...base, networks: { [network]: standIn.nodeUrl }, indexerUrl: undefined, ...overrides };
}

beforeAll(async () => {
  standIn = await startAkashStandIn({ blockMs: 200 });
  network = consoleNetwork(standIn.chainId);
  proxy = await startProviderProxy(config(), () => {});
});
afterAll(async () => {
  await proxy?.close();
  await standIn?.stop();
});

const post = (body: unknown, origin?: string) =>
  fetch(`${proxy.url}/`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(origin ? { origin } : {}) },
    body: JSON.stringify(body),
  });

/** A lease status request, which a provider refuses (401) without credentials. */
const statusRequest = (url: string, provider = "provider-a") => ({
  method: "GET",
  url,
  network,
  providerAddress: providerAddress(provider),
});

describe("the provider proxy's origin allow-list", () => {
  it("answers a preflight from an allowed origin with CORS headers, and refuses any other origin", async () => {
    const allowed = await fetch(`${proxy.url}/`, { method: "OPTIONS", headers: { origin: APP } });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(APP);
    expect(allowed.headers.get("vary")).toBe("origin");

    for (const method of ["OPTIONS", "POST"]) {
      const other = await fetch(`${proxy.url}/`, { method, headers: { origin: "https://evil.example" } });
      expect(other.status).toBe(403);
      expect(other.headers.get("access-control-allow-origin")).toBeNull();
      expect(await other.text()).toBe(
        "origin https://evil.example is not allowed by this provider proxy (see its --allowed-origins)",
      );
    }
  });

  it("refuses a WebSocket upgrade from another origin, which CORS would not stop", async () => {
    const refused = new WebSocket(proxy.url.replace(/^http/, "ws"), { origin: "https://evil.example" });
    const status = await new Promise((resolve) =>
      refused.on("unexpected-response", (_req, res) => resolve(res.statusCode)),
    );
    expect(status).toBe(403);

    const allowed = new WebSocket(proxy.url.replace(/^http/, "ws"), { origin: APP });
    await new Promise((resolve) => allowed.on("open", resolve));
    allowed.send(JSON.stringify({ type: "ping" }));
    const pong = await new Promise((resolve) => allowed.once("message", (data) => resolve(JSON.parse(String(data)))));
    expect(pong).toEqual({ type: "pong" });
    allowed.close();
  });

  it("accepts wildcard subdomains and * when configured", async () => {
    const wide = await startProviderProxy(config({ allowedOrigins: ["https://*.ipfs.example"] }), () => {});
    try {
      const ok = await fetch(`${wide.url}/`, { method: "OPTIONS", headers: { origin: "https://bafy.ipfs.example" } });
      expect(ok.status).toBe(204);
      const suffixOnly = await fetch(`${wide.url}/`, {
        method: "OPTIONS",
        headers: { origin: "https://evilipfs.example" },
      });
      expect(suffixOnly.status).toBe(403);
    } finally {
      await wide.close();
    }
  });
});

describe("where the provider proxy connects", () => {
  it("reaches providers over https only, and never a private or loopback address, by default", async () => {
    const jwtHost = standIn.providerHostUri("provider-a");
    const plain = await post(statusRequest(`${jwtHost}/status`), APP);
    expect([plain.status, await plain.text()]).toEqual([400, "url: providers are reached over https only, not http"]);
    const loopback = await post(
      statusRequest(`${standIn.providerHostUri("provider-d")}/lease/1/1/1/status`, "provider-d"),
      APP,
    );
    expect([loopback.status, await loopback.text()]).toEqual([400, "url: 127.0.0.1 is a private or loopback address"]);
  });

  it("refuses a host name that resolves to a private address", async () => {
    const lookup = providerLookup({ allowInsecure: false })!;
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      lookup("localhost", {}, (e) => resolve(e)),
    );
    expect(error?.code).toBe("EFORBIDDEN");
    expect(error?.message).toMatch(/^localhost resolved to the private address /);
    expect(providerLookup({ allowInsecure: true })).toBeUndefined();
  });

  it("proxies to the registered host of a provider, and to no other", async () => {
    const local = await startProviderProxy(config({ allowInsecureProviders: true }), () => {});
    try {
      const send = (body: unknown) =>
        fetch(`${local.url}/`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      // Reached, and refused by the provider for want of credentials: the provider's own answer.
      const reached = await send(statusRequest(`${standIn.providerHostUri("provider-a")}/lease/1/1/1/status`));
      expect(reached.status).toBe(401);
      const elsewhere = await send(statusRequest(`${standIn.providerHostUri("provider-d")}/lease/1/1/1/status`));
      expect(elsewhere.status).toBe(403);
      expect(await elsewhere.text()).toContain(`is not the host ${providerAddress("provider-a")} registered on chain`);
      const unknown = await send({
        ...statusRequest(`${standIn.providerHostUri("provider-a")}/lease/1/1/1/status`),
        network: "moon",
      });
      expect([unknown.status, await unknown.text()]).toEqual([
        400,
        `network: Invalid enum value. Expected '${network}', received 'moon'`,
      ]);
    } finally {
      await local.close();
    }
  });

  it("lets a provider it has never seen through while the chain is down, and keeps a known host", async () => {
    const local = await startProviderProxy(config({ allowInsecureProviders: true }), () => {});
    const send = (body: unknown) =>
      fetch(`${local.url}/`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    try {
      expect(
        (await send(statusRequest(`${standIn.providerHostUri("provider-b")}/lease/1/1/1/status`, "provider-b"))).status,
      ).toBe(401);
      standIn.testControls.setNodeReachable(false);
      const known = await send(
        statusRequest(`${standIn.providerHostUri("provider-d")}/lease/1/1/1/status`, "provider-b"),
      );
      expect(known.status).toBe(403);
      const unseen = await send(
        statusRequest(`${standIn.providerHostUri("provider-c")}/lease/1/1/1/status`, "provider-c"),
      );
      expect(unseen.status).toBe(401);
    } finally {
      standIn.testControls.setNodeReachable(true);
      await local.close();
    }
  });

  it("answers 503 when the chain cannot say whether the provider's certificate is the one it published", async () => {
    // A fresh proxy: no certificate of provider-d known yet, so the check must ask the chain.
    const local = await startProviderProxy(config({ allowInsecureProviders: true }), () => {});
    standIn.testControls.setNodeReachable(false);
    try {
      const answer = await fetch(`${local.url}/`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(
          statusRequest(`${standIn.providerHostUri("provider-d")}/lease/1/1/1/status`, "provider-d"),
        ),
      });
      expect(answer.status).toBe(503);
      expect(await answer.text()).toMatch(/^Cannot check the provider's certificate: the chain did not answer \(/);
    } finally {
      standIn.testControls.setNodeReachable(true);
      await local.close();
    }
  });

  it("answers 413 with its reason for an oversized request, after reading it", async () => {
    const big = await post({ ...statusRequest("https://provider.example/status"), body: "x".repeat(2 << 20) }, APP);
    expect([big.status, await big.text()]).toEqual([413, "request body over 1048576 bytes"]);
  });
});

describe("providers' uptime from Console's indexer", () => {
  it("relays a provider's uptime, says which the indexer does not know, and refuses what is not an address", async () => {
    const withIndexer = await startProviderProxy(config({ indexerUrl: standIn.url }), () => {});
    try {
      const uptime = (provider: string) => fetch(`${withIndexer.url}/providers/${provider}/uptime`);
      const a = await uptime(providerAddress("provider-a"));
      expect(await a.json()).toMatchObject({ uptime1d: 1, uptime7d: 0.998, uptime30d: 0.995, isOnline: true });
      const unknown = await uptime(providerAddress("provider-d"));
      expect([unknown.status, await unknown.text()]).toEqual([
        404,
        `the indexer ${standIn.url} knows no provider ${providerAddress("provider-d")}`,
      ]);
      expect((await uptime("not-an-address")).status).toBe(400);
    } finally {
      await withIndexer.close();
    }
    // The default proxy of these tests has none configured.
    const none = await fetch(`${proxy.url}/providers/${providerAddress("provider-a")}/uptime`);
    expect([none.status, await none.text()]).toEqual([404, "this provider proxy has no indexer to read uptime from"]);
  });

  it("answers 502 while the indexer is down, and asks again once it is back", async () => {
    const port = await freePort();
    const indexer = createServer((req, res) =>
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ uptime7d: 0.5, isOnline: false })),
    );
    const withIndexer = await startProviderProxy(config({ indexerUrl: `http://127.0.0.1:${port}` }), () => {});
    try {
      const path = `${withIndexer.url}/providers/${providerAddress("provider-a")}/uptime`;
      const down = await fetch(path);
      expect(down.status).toBe(502);
      expect(await down.text()).toMatch(/^the indexer http:\/\/127\.0\.0\.1:\d+ did not answer: /);
      await listen(indexer, port);
      expect(await (await fetch(path)).json()).toMatchObject({ uptime7d: 0.5, uptime1d: null, isOnline: false });
    } finally {
      indexer.close();
      await withIndexer.close();
    }
  });
});

const listen = (server: Server, port: number) =>
  new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));

describe("retries, as Console's proxy retries", () => {
  const context = { published: async () => null, policy: { allowInsecure: true } };
  const request = (url: string) => ({
    url,
    providerAddress: providerAddress("provider-a"),
    auth: undefined,
    method: "GET",
    timeout: 5_000,
  });

  it("tries a refused connection again until the provider's gateway is up", async () => {
    const port = await freePort();
    const server = createServer((_req, res) => res.end("up"));
    setTimeout(() => void listen(server, port), 300);
    try {
      const answer = await requestProvider(request(`http://127.0.0.1:${port}/status`), context);
      expect(answer).toMatchObject({ ok: true, status: 200, body: "up" });
    } finally {
      server.close();
    }
  });

  it("retries an answer above 500 three times, then passes the last one on", async () => {
    let calls = 0;
    const server = createServer((_req, res) => res.writeHead(++calls < 3 ? 502 : 200).end(String(calls)));
    await listen(server, 0);
    const flaky = await requestProvider(
      request(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`),
      context,
    );
    expect(flaky).toMatchObject({ ok: true, status: 200, body: "3" });
    calls = -100;
    const down = await requestProvider(request(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`), context);
    expect(down).toMatchObject({ ok: true, status: 502 });
    expect(calls).toBe(-96);
    server.close();
  });

  it("gives up on a provider that never comes up, with the reason", async () => {
    const port = await freePort();
    const answer = await requestProvider(request(`http://127.0.0.1:${port}/`), context);
    expect(answer).toMatchObject({ ok: false, code: "connectionError" });
    expect((answer as { message: string }).message).toContain("ECONNREFUSED");
  });
});
