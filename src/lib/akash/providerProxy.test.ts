import { describe, expect, it } from "vitest";
import {
  consoleNetwork,
  leaseEndpoint,
  providerProxyOf,
  proxySocketUrl,
  readProxyMessage,
  socketOpenMessage,
} from "./providerProxy.ts";

describe("consoleNetwork", () => {
  it("names the Akash chains as Console's proxy does and keeps other chain ids", () => {
    expect(consoleNetwork("akashnet-2")).toBe("mainnet");
    expect(consoleNetwork("sandbox-01")).toBe("sandbox");
    expect(consoleNetwork("testnet-02")).toBe("testnet");
    expect(consoleNetwork("hexs-akash-standin-1")).toBe("hexs-akash-standin-1");
  });
});

describe("the proxy the settings name", () => {
  const settings = { akashProviderProxyUrl: "https://proxy.example.org", akashChainId: "akashnet-2" };

  it("is none without a proxy URL, whether or not a lease is known", () => {
    const none = { ...settings, akashProviderProxyUrl: "" };
    expect(providerProxyOf(none)).toBeUndefined();
    expect(leaseEndpoint({ hostUri: "https://p:8443", provider: "akash1p" }, none)).toEqual({
      hostUri: "https://p:8443",
      providerAddress: "akash1p",
    });
  });

  it("speaks Console's network name, before a lease (bids) and for one", () => {
    const proxy = { url: "https://proxy.example.org", network: "mainnet" };
    expect(providerProxyOf(settings)).toEqual(proxy);
    expect(leaseEndpoint({ hostUri: "https://p:8443", provider: "akash1p" }, settings)).toEqual({
      hostUri: "https://p:8443",
      providerAddress: "akash1p",
      proxy,
    });
  });
});

describe("readProxyMessage", () => {
  it("decodes a provider message relayed as a serialised Node Buffer, or as text", () => {
    const data = [...Buffer.from('{"name":"p","message":"hi"}')];
    expect(readProxyMessage(JSON.stringify({ type: "websocket", message: { type: "Buffer", data } }))).toEqual({
      kind: "message",
      text: '{"name":"p","message":"hi"}',
    });
    expect(readProxyMessage(JSON.stringify({ type: "websocket", message: "plain" }))).toEqual({
      kind: "message",
      text: "plain",
    });
  });

  it("tells the close, an expired token and an error apart", () => {
    expect(readProxyMessage('{"type":"websocket","message":"","closed":true,"code":1006,"reason":""}')).toEqual({
      kind: "closed",
      code: 1006,
      reason: "",
    });
    expect(readProxyMessage('{"type":"websocket","error":"tokenExpired"}')).toEqual({ kind: "tokenExpired" });
    expect(
      readProxyMessage('{"type":"websocket","error":"Invalid message format","message":"url: Invalid url"}'),
    ).toEqual({
      kind: "error",
      text: "Invalid message format: url: Invalid url",
    });
  });

  it("ignores pongs and text that is not JSON", () => {
    expect(readProxyMessage('{"type":"pong"}')).toBeUndefined();
    expect(readProxyMessage("not json")).toBeUndefined();
  });
});

describe("the proxy socket", () => {
  it("puts the credentials in the message, not in the URL", () => {
    const proxy = { url: "https://proxy.example/", network: "mainnet" };
    expect(proxySocketUrl(proxy)).toBe("wss://proxy.example/");
    expect(
      JSON.parse(
        socketOpenMessage(proxy, {
          url: "https://p:8443/lease/1/1/1/logs",
          providerAddress: "akash1x",
          auth: { type: "jwt", token: "t" },
        }),
      ),
    ).toEqual({
      type: "websocket",
      url: "https://p:8443/lease/1/1/1/logs",
      network: "mainnet",
      providerAddress: "akash1x",
      auth: { type: "jwt", token: "t" },
    });
  });

  it("sends a client certificate as Console's mtls auth, in the message", () => {
    const proxy = { url: "https://proxy.example/", network: "mainnet" };
    const mtls = {
      type: "mtls",
      certPem: "-----BEGIN CERTIFICATE-----",
      keyPem: "-----BEGIN PRIVATE KEY-----",
    } as const;
    expect(proxySocketUrl(proxy)).toBe("wss://proxy.example/");
    expect(
      JSON.parse(
        socketOpenMessage(proxy, { url: "https://p:8443/lease/1/1/1/logs", providerAddress: "akash1x", auth: mtls }),
      ),
    ).toMatchObject({ auth: mtls });
  });
});
