import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { freePort } from "../../../dev/stack/ports.ts";
import { readFile } from "node:fs/promises";
import { yaml } from "@akashnetwork/chain-sdk/web";
import { prepareSdl } from "./deployment.ts";
import {
  buildGatewaySdl,
  gatewayEndpoints,
  isGatewayImage,
  isPlainHttpRemote,
  probeGateway,
  type GatewayService,
} from "./gatewayService.ts";

const service: GatewayService = {
  agent: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  rpcUrl: "https://rpc.example.org",
  operatorKey: `0x${"11".repeat(32)}`,
  ipfsGateways: ["https://ipfs.example.org", "https://trustless.example.net"],
  resources: { cpu: 2, memory: "4Gi", storage: "8Gi" },
  maxPricePerBlock: 200,
};

describe("an agent's gateway as an Akash deployment", () => {
  it("is an SDL the SDK validates, exposing the gateway's port on the ingress, configured by its environment", async () => {
    const prepared = await prepareSdl(buildGatewaySdl(service));
    const [group] = JSON.parse(prepared.manifestJson) as {
      services: {
        name: string;
        image: string;
        env: string[];
        expose: { port: number; externalPort: number; global: boolean }[];
      }[];
    }[];
    const [gateway] = group!.services;
    expect(gateway).toMatchObject({ name: "gateway", image: "ghcr.io/hexs/gateway:0.1.0" });
    expect(gateway!.expose).toEqual([expect.objectContaining({ port: 8787, externalPort: 80, global: true })]);
    expect(gateway!.env).toEqual(
      expect.arrayContaining([
        "HEXS_GATEWAY_AGENT=0x5FbDB2315678afecb367f032d93F642f64180aa3",
        "HEXS_GATEWAY_RPC_URL=https://rpc.example.org",
        "HEXS_GATEWAY_IPFS_GATEWAYS=https://ipfs.example.org,https://trustless.example.net",
        "HEXS_GATEWAY_REGISTER_RECEIPT_SIGNER=true",
        "HEXS_GATEWAY_PORT=8787",
      ]),
    );
    expect(prepared.groupSpecs[0]!.resources[0]!.price).toMatchObject({ denom: "uact" });
  });

  it("is the SDL gateway/deploy.sdl.yaml ships for deploying by hand, filled in with the same values", async () => {
    const template = await readFile(new URL("../../../gateway/deploy.sdl.yaml", import.meta.url), "utf8");
    const values: Record<string, string> = {
      RPC_URL: service.rpcUrl,
      AGENT: service.agent,
      OPERATOR_KEY: service.operatorKey,
      IPFS_GATEWAYS: service.ipfsGateways.join(","),
    };
    const filled = template.replace(/\$\{(\w+)\}/g, (_, name: string) => values[name]!);
    const parsed = yaml(Object.assign([filled], { raw: [filled] }) as TemplateStringsArray);
    expect(parsed).toEqual(buildGatewaySdl(service));
  });

  it("knows its image by name, whatever the tag or digest", () => {
    expect(isGatewayImage("ghcr.io/hexs/gateway:0.2.0")).toBe(true);
    expect(isGatewayImage("ghcr.io/hexs/gateway@sha256:abc")).toBe(true);
    expect(isGatewayImage("ghcr.io/hexs/trainer-tiny:0.1.0")).toBe(false);
  });

  it("may answer at the lease's ingress host over HTTPS or plain HTTP, HTTPS tried first", () => {
    expect(gatewayEndpoints(["8hq2f3.ingress.provider.example.com"])).toEqual([
      "https://8hq2f3.ingress.provider.example.com/v1",
      "http://8hq2f3.ingress.provider.example.com/v1",
    ]);
    expect(gatewayEndpoints([" ", "127.0.0.1:41234/"])).toEqual([
      "https://127.0.0.1:41234/v1",
      "http://127.0.0.1:41234/v1",
    ]);
    expect(gatewayEndpoints(["http://gw.example.org"])).toEqual(["http://gw.example.org/v1"]);
    expect(gatewayEndpoints(null)).toEqual([]);
    expect(gatewayEndpoints([])).toEqual([]);
  });

  it("is found where /ready answers at all, loading (503) or ready (200); nowhere while nothing answers", async () => {
    const server = createServer((request, response) => {
      response.writeHead(request.url === "/ready" ? (loaded ? 200 : 503) : 404).end();
    });
    let loaded = false;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      // The stand-in's server speaks plain HTTP: the HTTPS handshake fails, and HTTP answers.
      const candidates = gatewayEndpoints([`127.0.0.1:${port}`]);
      expect(await probeGateway(candidates)).toEqual({ endpoint: `http://127.0.0.1:${port}/v1`, ready: false });
      loaded = true;
      expect(await probeGateway(candidates)).toEqual({ endpoint: `http://127.0.0.1:${port}/v1`, ready: true });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    // A port nothing listens on: neither scheme answers.
    const closed = await freePort();
    expect(await probeGateway(gatewayEndpoints([`127.0.0.1:${closed}`]))).toBeUndefined();
  });

  it("warns of plain HTTP to another host, not to this machine", () => {
    expect(isPlainHttpRemote("http://8hq2f3.ingress.provider.example.com/v1")).toBe(true);
    expect(isPlainHttpRemote("https://8hq2f3.ingress.provider.example.com/v1")).toBe(false);
    expect(isPlainHttpRemote("http://127.0.0.1:41234/v1")).toBe(false);
    expect(isPlainHttpRemote("http://localhost:8787/v1")).toBe(false);
  });
});
