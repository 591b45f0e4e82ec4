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
  manifestServes,
  probeGateway,
  vllmLayoutProblem,
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

  const gpuService: GatewayService = {
    ...service,
    resources: { cpu: 1, memory: "2Gi", storage: "2Gi" },
    maxPricePerBlock: 100,
    vllm: {
      weightsCid: "bafybeiei7hwbvcyrwycyeddnjyh75mcchogyjmenh3vyu3okjcydcfi4u4",
      resources: { cpu: 8, memory: "32Gi", storage: "64Gi", gpu: { vendor: "nvidia", count: 1, model: "h100" } },
      maxPricePerBlock: 4000,
    },
  };

  it.each([
    ["deploy.sdl.yaml", service],
    ["deploy-vllm.sdl.yaml", gpuService],
  ])("is the SDL gateway/%s ships for deploying by hand, filled in with the same values", async (file, shipped) => {
    const template = await readFile(new URL(`../../../gateway/${file}`, import.meta.url), "utf8");
    const values: Record<string, string> = {
      RPC_URL: shipped.rpcUrl,
      AGENT: shipped.agent,
      OPERATOR_KEY: shipped.operatorKey,
      IPFS_GATEWAYS: shipped.ipfsGateways.join(","),
      WEIGHTS_CID: shipped.vllm?.weightsCid ?? "",
    };
    const filled = template.replace(/\$\{(\w+)\}/g, (_, name: string) => values[name]!);
    const parsed = yaml(Object.assign([filled], { raw: [filled] }) as TemplateStringsArray);
    expect(parsed).toEqual(buildGatewaySdl(shipped));
  });

  it("with vLLM, is one lease of two services: the gateway on the ingress in front of vLLM on the GPU, reached by it alone", async () => {
    const prepared = await prepareSdl(buildGatewaySdl(gpuService));
    const [group] = JSON.parse(prepared.manifestJson) as {
      services: {
        name: string;
        image: string;
        env: string[];
        expose: { port: number; externalPort: number; global: boolean; service: string }[];
        resources: { gpu: { units: { val: string }; attributes: { key: string }[] } };
      }[];
    }[];
    const [gateway, vllm] = group!.services;
    expect(gateway!.env).toEqual(
      expect.arrayContaining([
        "HEXS_GATEWAY_UPSTREAM_URL=http://vllm:8000/v1",
        `HEXS_GATEWAY_UPSTREAM_MODEL=${gpuService.vllm!.weightsCid}`,
      ]),
    );
    expect(vllm).toMatchObject({ name: "vllm", image: "ghcr.io/hexs/gateway-vllm:0.1.0" });
    expect(vllm!.env).toEqual([
      `HEXS_WEIGHTS_CID=${gpuService.vllm!.weightsCid}`,
      "HEXS_IPFS_GATEWAYS=https://ipfs.example.org,https://trustless.example.net",
      "HEXS_VLLM_PORT=8000",
    ]);
    expect(vllm!.expose).toEqual([expect.objectContaining({ port: 8000, global: false, service: "gateway" })]);
    expect(vllm!.resources.gpu.units.val).toBe("1");
    expect(vllm!.resources.gpu.attributes.map((a) => a.key)).toEqual(["vendor/nvidia/model/h100"]);
    expect(manifestServes(prepared.manifestJson, "vllm")).toBe(true);
    expect(manifestServes((await prepareSdl(buildGatewaySdl(service))).manifestJson, "vllm")).toBe(false);
    // One group, one lease: a provider bids for both, at most the sum of their prices.
    expect(prepared.groupSpecs).toHaveLength(1);
    expect(prepared.groupSpecs[0]!.resources.map((unit) => unit.price)).toEqual([
      { denom: "uact", amount: "100" },
      { denom: "uact", amount: "4000" },
    ]);
  });

  it("tells weights vLLM can load from those it cannot, as its service checks them", () => {
    expect(
      vllmLayoutProblem(["config.json", "model.safetensors", "tokenizer.json", "onnx/model.onnx"]),
    ).toBeUndefined();
    expect(
      vllmLayoutProblem(["config.json", "model.safetensors.index.json", "model-00001-of-00002.safetensors"]),
    ).toBeUndefined();
    expect(vllmLayoutProblem(["model.onnx", "tokenizer.json"])).toMatch(/HEXS's first format .*built-in runtime/);
    expect(vllmLayoutProblem(["onnx/model.onnx"])).toMatch(/no config\.json/);
    expect(vllmLayoutProblem(["config.json", "onnx/model.onnx"])).toMatch(/no safetensors weights/);
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

  it("gives up on an address that takes the connection and never answers, as a firewall that drops packets", async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const started = performance.now();
      const { port } = silent.address() as AddressInfo;
      expect(await probeGateway([`http://127.0.0.1:${port}/v1`])).toBeUndefined();
      expect(performance.now() - started).toBeLessThan(15_000);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  }, 30_000);

  it("warns of plain HTTP to another host, not to this machine", () => {
    expect(isPlainHttpRemote("http://8hq2f3.ingress.provider.example.com/v1")).toBe(true);
    expect(isPlainHttpRemote("https://8hq2f3.ingress.provider.example.com/v1")).toBe(false);
    expect(isPlainHttpRemote("http://127.0.0.1:41234/v1")).toBe(false);
    expect(isPlainHttpRemote("http://localhost:8787/v1")).toBe(false);
  });
});
